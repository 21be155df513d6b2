package layout

import (
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

func TestScale(t *testing.T) {
	tests := []struct{ w, h, want float64 }{
		{1280, 780, 1}, {2560, 1560, 2}, {1280, 1440, 1}, {640, 780, 0.5}, {1280, 720, 720.0 / 780}, {0, 720, 1},
	}
	for _, tc := range tests {
		if got := Scale(tc.w, tc.h); got != tc.want {
			t.Errorf("Scale(%g, %g) = %g, want %g", tc.w, tc.h, got, tc.want)
		}
	}
}
