package layout

import (
	"math"
	"testing"

	"convlab/ui/geom"
)

func overlaps(a, b geom.Rect) bool {
	return a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H
}

func TestPanelsFitWithoutOverlap(t *testing.T) {
	sizes := [][2]float64{{1280, 720}, {1920, 1080}, {1600, 720}, {1280, 1000}, {800, 600}}
	for _, sz := range sizes {
		d := Compute(sz[0], sz[1])
		panels := d.Panels()
		for name, r := range panels {
			if r.W < 100 || r.H < 30 {
				t.Errorf("%v: %s is only %.0f×%.0f", sz, name, r.W, r.H)
			}
			if r.X < 0 || r.Y < 0 || r.X+r.W > d.Width+1e-9 || r.Y+r.H > d.Height+1e-9 {
				t.Errorf("%v: %s %+v leaves the %.0f×%.0f canvas", sz, name, r, d.Width, d.Height)
			}
			for other, q := range panels {
				if name < other && overlaps(r, q) {
					t.Errorf("%v: %s and %s overlap", sz, name, other)
				}
			}
		}
	}
}

func TestDesignSizeLeavesRoomForThePad(t *testing.T) {
	d := Compute(DesignWidth, DesignHeight)
	if d.Pad.W < 280 || d.Pad.H < 330 {
		t.Errorf("pad panel %.0f×%.0f is too small for a 200 px pad, preview and bars", d.Pad.W, d.Pad.H)
	}
	if d.TSNEFirst.W < 200 || d.TSNEFirst.H < 250 {
		t.Errorf("t-SNE panels %.0f×%.0f are too small", d.TSNEFirst.W, d.TSNEFirst.H)
	}
}

// Windows in CSS pixels: desktops and laptops keep the three columns;
// phones, tablets held upright and small windows flow.
var (
	desktops  = [][2]float64{{1280, 780}, {1024, 768}, {1920, 1080}, {1280, 720}, {1100, 640}, {2560, 1440}}
	handhelds = [][2]float64{{390, 844}, {844, 390}, {768, 1024}, {360, 740}, {320, 568}, {430, 932}, {1024, 1366}, {800, 600}, {1080, 1920}}
)

func TestFitChoosesTheArrangement(t *testing.T) {
	for _, sz := range desktops {
		d := Fit(sz[0], sz[1])
		want := min(sz[0]/DesignWidth, sz[1]/DesignHeight)
		if d.Flow || d.Scale != want || d != withScale(Compute(sz[0]/want, sz[1]/want), want) {
			t.Errorf("%v: flow %v, scale %g; want the desktop arrangement at %g", sz, d.Flow, d.Scale, want)
		}
	}
	for _, sz := range handhelds {
		if d := Fit(sz[0], sz[1]); !d.Flow || d.Scale != ReadableScale {
			t.Errorf("%v: flow %v, scale %g; want the flow arrangement at %g", sz, d.Flow, d.Scale, ReadableScale)
		}
	}
	if d := Fit(0, 720); d.Flow || d.Scale != 1 || d.Width != DesignWidth {
		t.Errorf("a window with no area: %+v, want the design size", d)
	}
}

// withScale returns d with its Scale set.
func withScale(d Dashboard, s float64) Dashboard {
	d.Scale = s
	return d
}

// The flow arrangement shows the design's text at 12 CSS pixels or more,
// keeps every panel inside the window's width (no sideways scrolling) and
// apart from the others, with one column on a phone held upright, in the
// order a phone is used.
func TestFlowFitsTheWidth(t *testing.T) {
	if got := ReadableScale * BodyText; got < 12 {
		t.Errorf("the design's %g-unit text is %.2f CSS pixels tall in the flow arrangement, want at least 12", BodyText, got)
	}
	for _, sz := range handhelds {
		d := Fit(sz[0], sz[1])
		if math.Abs(d.Width*d.Scale-sz[0]) > 1e-9 || math.Abs(d.ViewHeight*d.Scale-sz[1]) > 1e-9 {
			t.Errorf("%v: the view is %g×%g units at %g, not the window", sz, d.Width, d.ViewHeight, d.Scale)
		}
		panels := d.Panels()
		bottom := 0.0
		for name, r := range panels {
			if r.W < 270 || r.H < 60 { // a 320-pixel phone gets 281
				t.Errorf("%v: %s is only %.0f×%.0f", sz, name, r.W, r.H)
			}
			if r.X < 0 || r.Y < 0 || r.X+r.W > d.Width+1e-9 || r.Y+r.H > d.Height+1e-9 {
				t.Errorf("%v: %s %+v leaves the %.0f×%.0f dashboard", sz, name, r, d.Width, d.Height)
			}
			for other, q := range panels {
				if name < other && overlaps(r, q) {
					t.Errorf("%v: %s and %s overlap", sz, name, other)
				}
			}
			bottom = max(bottom, r.Y+r.H)
		}
		if d.Height < d.ViewHeight || d.Height > bottom+FlowMargin+1e-9 && d.Height > d.ViewHeight {
			t.Errorf("%v: the dashboard is %g tall for panels down to %g in a view %g tall", sz, d.Height, bottom, d.ViewHeight)
		}
		if d.Header.X != 0 || d.Header.Y != 0 || d.Header.W != d.Width {
			t.Errorf("%v: header %+v, want it across the top", sz, d.Header)
		}
	}
	for _, sz := range [][2]float64{{390, 844}, {360, 740}, {430, 932}} {
		d := Fit(sz[0], sz[1])
		order := []geom.Rect{d.Header, d.Pad, d.Controls, d.Curves, d.Runs, d.Activations, d.Confusion, d.TSNEFirst, d.TSNELast}
		for i := 1; i < len(order); i++ {
			if order[i].X != order[1].X || order[i].Y < order[i-1].Y+order[i-1].H {
				t.Errorf("%v: panel %d %+v is not below panel %d %+v in one column", sz, i, order[i], i-1, order[i-1])
			}
		}
	}
}

// On a 390-pixel-wide phone the pad's surface is at least 240 CSS pixels
// wide, and in any flow arrangement it fits the window's height.
func TestFlowPadIsLargeEnoughForAFinger(t *testing.T) {
	if d := Fit(390, 844); d.PadSide*d.Scale < 240 {
		t.Errorf("on a 390×844 phone the pad's surface is %.1f CSS pixels, want at least 240", d.PadSide*d.Scale)
	}
	for _, sz := range handhelds {
		d := Fit(sz[0], sz[1])
		if d.PadSide+cardTitle > d.ViewHeight || d.PadSide < 150 {
			t.Errorf("%v: the pad's surface is %.0f units in a view %.0f tall", sz, d.PadSide, d.ViewHeight)
		}
	}
	if d := Fit(1280, 780); d.PadSide != DesktopPadSide {
		t.Errorf("desktop pad surface %g, want %g", d.PadSide, DesktopPadSide)
	}
}
