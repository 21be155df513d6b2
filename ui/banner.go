package ui

import (
	"slices"

	"convlab/ui/geom"
	"convlab/ui/insightview"
	"convlab/ui/layout"
)

// maxNotices bounds the banner: older notices give way to newer ones.
const maxNotices = 4

// notices are the messages the banner shows until they are dismissed:
// problems with the URL's settings, resets that failed.
type notices struct {
	list []string
}

// add adds a notice unless it is already there, dropping the oldest
// beyond maxNotices.
func (n *notices) add(msg string) {
	if slices.Contains(n.list, msg) {
		return
	}
	n.list = append(n.list, msg)
	if len(n.list) > maxNotices {
		n.list = slices.Delete(n.list, 0, len(n.list)-maxNotices)
	}
}

// clear dismisses every notice.
func (n *notices) clear() { n.list = nil }

// banner shows the frame's messages over the top of the dashboard until
// Esc dismisses them. Its rectangle is the window below the header (all
// of the window once the header has scrolled out of it).
type banner struct{}

// Sizes of the banner.
const (
	bannerLine = 18.0 // one message
	bannerPad  = 26.0 // above the first message and below the last, for the hint
)

func (banner) update(f *frame) []action {
	if f.input.pressed(KeyEscape) {
		return []action{do(dismissMessages)}
	}
	return nil
}

// bannerNarrow is the widest area whose banner spans it all: a phone's.
const bannerNarrow = 700.0

// bannerRect places a banner of n lines at the top of area: over its
// middle three fifths, or across it when it is narrow.
func bannerRect(area geom.Rect, n int) geom.Rect {
	x, w := area.X+area.W*0.2, area.W*0.6
	if area.W < bannerNarrow {
		x, w = area.X+layout.FlowMargin, area.W-2*layout.FlowMargin
	}
	return rect(x, area.Y+4, w, bannerLine*float64(n)+bannerPad)
}

// bannerText is the size of a message's text.
const bannerText = 13.0

func (banner) draw(c *canvas, f *frame) {
	if len(f.messages) == 0 {
		return
	}
	width := bannerRect(f.rect, 0).W - 20
	var lines []string
	for _, m := range f.messages { // a long message (a stall warning) takes several lines
		lines = append(lines, insightview.Wrap(m, width, func(t string) float64 { return c.TextWidth(t, bannerText) })...)
	}
	r := bannerRect(f.rect, len(lines))
	c.FillRect(r, colWarnSoft)
	c.StrokeRect(r, 1.5, colWarn)
	for i, line := range lines {
		c.Text(line, r.X+10, r.Y+6+bannerLine*float64(i), bannerText, colWarn, AlignLeft)
	}
	c.Text("Esc to dismiss", r.X+r.W-10, r.Y+r.H-17, 11, colMuted, AlignRight)
}
