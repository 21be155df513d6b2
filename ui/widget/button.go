package widget

import "convlab/ui/geom"

// Button is a push button. It reports a click when one pointer presses and
// releases inside it while it is enabled; moving out while pressed cancels
// the click (see geom.Rect for which edges count as inside). The zero Button is
// disabled.
type Button struct {
	geom.Rect
	Label   string
	Enabled bool
	press   press
}

// Handle feeds one pointer event to the button and reports whether it
// completed a click.
func (b *Button) Handle(e Event) (clicked bool) {
	return b.press.handle(e, b.hit, b.Enabled) == 0
}

// Pressed reports whether a pointer is holding the button down, for
// drawing its pressed look.
func (b *Button) Pressed() bool { return b.press.pressed() == 0 }

// hit returns 0 inside the button and −1 outside.
func (b *Button) hit(x, y float64) int {
	if b.Contains(x, y) {
		return 0
	}
	return -1
}
