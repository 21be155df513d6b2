package ui

import (
	"convlab/ui/geom"
	"convlab/ui/widget"
)

// drawButton draws a push button, greyed out when disabled and darker
// while held.
func drawButton(c *canvas, b *widget.Button) {
	bg, fg := colAccent, colPanel
	switch {
	case !b.Enabled:
		bg, fg = colGrid, colMuted
	case b.Pressed():
		bg = colText
	}
	c.fillRect(b.Rect, bg)
	c.boldText(b.Label, b.X+b.W/2, b.Y+b.H/2-8, 13, fg, alignCenter)
}

// drawSelector draws the segments, the selected one filled.
func drawSelector(c *canvas, s *widget.Selector) {
	for i, r := range s.SegmentRects() {
		bg, fg := colPanel, colText
		switch {
		case i == s.Selected:
			bg, fg = colAccent, colPanel
		case i == s.PressedSegment():
			bg = colAccentSoft
		}
		c.fillRect(r, bg)
		c.strokeRect(r, 1, colBorder)
		c.text(s.Options[i], r.X+r.W/2, r.Y+r.H/2-7, 10.5, fg, alignCenter)
	}
}

// drawStepper draws − value + with the value's label.
func drawStepper(c *canvas, s *widget.Stepper, label string) {
	minus, value, plus := s.MinusRect(), s.ValueRect(), s.PlusRect()
	c.strokeRect(s.Rect, 1, colBorder)
	for _, b := range []struct {
		r       geom.Rect
		sign    string
		enabled bool
		held    bool
	}{{minus, "−", s.CanDec(), s.Pressed() < 0}, {plus, "+", s.CanInc(), s.Pressed() > 0}} {
		bg, fg := colAccentSoft, colAccent
		if !b.enabled {
			bg, fg = colGrid, colMuted
		} else if b.held {
			bg, fg = colAccent, colPanel
		}
		c.fillRect(b.r, bg)
		c.boldText(b.sign, b.r.X+b.r.W/2, b.r.Y+b.r.H/2-9, 15, fg, alignCenter)
	}
	c.text(label, value.X+value.W/2, value.Y+value.H/2-7, 12, colText, alignCenter)
}
