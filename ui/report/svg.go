package report

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"
)

// markup is HTML or SVG that this package wrote with a writer: every
// value in it escaped.
type markup string

// escaper replaces the characters that HTML and XML give a meaning.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")

// writer writes HTML or SVG by hand. Element and attribute names are
// the package's own; every attribute value and every text goes through
// escaper, so a run's label can hold any characters: a figure stays
// well-formed XML and the page holds no markup it did not write. (The
// page is not written with html/template, which would add some 100 kB
// of gzip to the app the browser downloads: reflection keeps every
// exported method of the program.)
type writer struct {
	b strings.Builder
}

// start opens an element with attributes given as name, value pairs.
func (w *writer) start(name string, attrs ...string) {
	w.b.WriteString("<" + name)
	w.attrs(attrs)
	w.b.WriteString(">")
}

// end closes an element.
func (w *writer) end(name string) { w.b.WriteString("</" + name + ">") }

// el writes an element without content.
func (w *writer) el(name string, attrs ...string) {
	w.b.WriteString("<" + name)
	w.attrs(attrs)
	w.b.WriteString("/>")
}

// elem writes an element holding text.
func (w *writer) elem(name, text string, attrs ...string) {
	w.start(name, attrs...)
	w.chars(text)
	w.end(name)
}

// chars writes text.
func (w *writer) chars(text string) { w.b.WriteString(escaper.Replace(text)) }

// raw writes markup written before.
func (w *writer) raw(m markup) { w.b.WriteString(string(m)) }

func (w *writer) attrs(attrs []string) {
	if len(attrs)%2 != 0 {
		panic(fmt.Sprintf("report: attributes %q are not name, value pairs", attrs))
	}
	for i := 0; i < len(attrs); i += 2 {
		w.b.WriteString(" " + attrs[i] + `="` + escaper.Replace(attrs[i+1]) + `"`)
	}
}

// svg writes one inline SVG figure.
type svg struct {
	writer
}

// newSVG opens an <svg> of the given class with a viewBox of w×h user
// units, scaled to the width of its container. label is what a screen
// reader announces for the figure; without one (a colour swatch beside
// its run's name) the figure is hidden from screen readers.
func newSVG(class string, w, h float64, label string) *svg {
	s := &svg{}
	a := []string{"xmlns", "http://www.w3.org/2000/svg", "class", class, "viewBox", "0 0 " + num(w) + " " + num(h)}
	if label == "" {
		a = append(a, "aria-hidden", "true")
	} else {
		a = append(a, "role", "img", "aria-label", label)
	}
	s.start("svg", a...)
	return s
}

// text writes a <text> element holding content.
func (s *svg) text(content string, attrs ...string) { s.elem("text", content, attrs...) }

// html closes the <svg> and returns it.
func (s *svg) html() markup {
	s.end("svg")
	return markup(s.b.String())
}

// num formats a coordinate: at most two decimals, no trailing zeros.
// Adding 0 turns −0 into 0.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100+0, 'f', -1, 64)
}

// hex writes an opaque colour as #rrggbb.
func hex(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }
