package report

import (
	"fmt"
	"html"
	"html/template"
	"image/color"
	"math"
	"strconv"
	"strings"
)

// svg writes one inline SVG figure by hand. Every attribute value and
// every piece of text goes through html.EscapeString, so a run's label
// can hold any characters: the figure stays well-formed XML and the page
// stays free of markup it did not write.
type svg struct {
	b strings.Builder
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

// start opens an element with attributes given as name, value pairs.
func (s *svg) start(name string, attrs ...string) {
	s.b.WriteString("<" + name)
	s.attrs(attrs)
	s.b.WriteString(">")
}

// end closes an element.
func (s *svg) end(name string) { s.b.WriteString("</" + name + ">") }

// el writes an empty element.
func (s *svg) el(name string, attrs ...string) {
	s.b.WriteString("<" + name)
	s.attrs(attrs)
	s.b.WriteString("/>")
}

// text writes a <text> element holding content.
func (s *svg) text(content string, attrs ...string) {
	s.start("text", attrs...)
	s.b.WriteString(html.EscapeString(content))
	s.end("text")
}

func (s *svg) attrs(attrs []string) {
	if len(attrs)%2 != 0 {
		panic(fmt.Sprintf("report: svg attributes %q are not name, value pairs", attrs))
	}
	for i := 0; i < len(attrs); i += 2 {
		s.b.WriteString(" " + attrs[i] + `="` + html.EscapeString(attrs[i+1]) + `"`)
	}
}

// html closes the <svg> and returns it for the page's template.
func (s *svg) html() template.HTML {
	s.end("svg")
	return template.HTML(s.b.String()) // every value written was escaped
}

// num formats a coordinate: at most two decimals, no trailing zeros.
// Adding 0 turns −0 into 0.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100+0, 'f', -1, 64)
}

// hex writes an opaque colour as #rrggbb.
func hex(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }
