package ui

import (
	"image"
	"math"
	"slices"
	"testing"

	"convlab/nn"
	"convlab/ui/digit"
	"convlab/ui/geom"
)

// drawSmallOffCentre draws a small L in the pad's top-left corner, whose
// crop, scaling and centring all change it.
func drawSmallOffCentre(t *testing.T, a *App) {
	t.Helper()
	a.Update(padStroke(a, []digit.Point{{X: 30, Y: 20}, {X: 30, Y: 90}, {X: 60, Y: 90}}))
	if a.pad.input == nil {
		t.Fatal("the stroke left the pad empty")
	}
}

// The step views hold what digit.Preprocess computes of the pad's ink:
// the crop box, the scaled image, the 28×28 input and where the centre of
// mass was.
func TestPadStepsArePreprocessResults(t *testing.T) {
	a := newTestApp(t, "")
	drawSmallOffCentre(t, a)
	want, err := digit.Preprocess(a.pad.ink)
	if err != nil {
		t.Fatal(err)
	}
	s := &a.pad.steps
	if s.crop != want.Crop {
		t.Errorf("crop %v, want %v", s.crop, want.Crop)
	}
	if s.scaled.W != want.ScaledW || s.scaled.H != want.ScaledH || !slices.Equal(s.scaled.Pix, greyPixels(nil, want.Scaled, colInk, colPaper)) {
		t.Errorf("the scaled image (%d×%d) is not Preprocess's (%d×%d)", s.scaled.W, s.scaled.H, want.ScaledW, want.ScaledH)
	}
	if !slices.Equal(a.pad.inputImage.Pix, greyPixels(nil, want.Input, colInk, colPaper)) || !slices.Equal(a.pad.input, want.Input) {
		t.Error("the input image is not Preprocess's input")
	}
	if s.massX != want.MassX || s.massY != want.MassY {
		t.Errorf("mass at (%.2f, %.2f), want (%.2f, %.2f)", s.massX, s.massY, want.MassX, want.MassY)
	}
	// The drawing is small and off-centre, so every step shows a change.
	if max(want.Crop.Dx(), want.Crop.Dy()) >= digit.PadSide/2 || max(want.ScaledW, want.ScaledH) != digit.FitSide {
		t.Errorf("crop %v scaled to %d×%d: want a small drawing scaled up to %d pixels", want.Crop, want.ScaledW, want.ScaledH, digit.FitSide)
	}
	if math.Hypot(want.MassX-14, want.MassY-14) < 1 {
		t.Errorf("the centre of mass was at (%.2f, %.2f) already: the L does not show the centring", want.MassX, want.MassY)
	}
}

// cropView keeps the crop's aspect ratio and fills the tile in its longer
// direction, centred; scaledView shows the scaled image at the field's
// pixel size where digit.Steps pastes it; fieldPoint is a pixel's middle.
func TestPadStepViews(t *testing.T) {
	tile := rect(10, 20, 56, 56)
	for _, crop := range []image.Rectangle{image.Rect(5, 7, 45, 127), image.Rect(0, 0, 200, 50), image.Rect(3, 3, 4, 4)} {
		v := cropView(tile, crop)
		if d := v.W/v.H - float64(crop.Dx())/float64(crop.Dy()); math.Abs(d) > 1e-9 {
			t.Errorf("crop %v shown %.1f×%.1f: aspect ratio changed by %.3g", crop, v.W, v.H, d)
		}
		if !inside(v, tile.Inset(-1e-9)) || math.Abs(math.Max(v.W, v.H)-tile.W) > 1e-9 {
			t.Errorf("crop %v shown at %+v in tile %+v: want it filling the tile in its longer direction", crop, v, tile)
		}
		if cx, cy := v.Center(); math.Abs(cx-38) > 1e-9 || math.Abs(cy-48) > 1e-9 {
			t.Errorf("crop %v shown centred at (%.1f, %.1f), want (38, 48)", crop, cx, cy)
		}
	}
	if got, want := scaledView(tile, 20, 13), rect(10+4*2, 20+7*2, 40, 26); got != want {
		t.Errorf("scaledView(20×13) = %+v, want %+v (pasted at (4, 7), 2 units a pixel)", got, want)
	}
	if x, y := fieldPoint(tile, 14, 3); x != 10+14.5*2 || y != 20+3.5*2 {
		t.Errorf("fieldPoint(14, 3) = (%.1f, %.1f), want the middle of that pixel", x, y)
	}
}

// The panel draws each step from those views: the ink with its box, the
// crop as a part of the ink image, the scaled image in the field, the
// input with crosses where the centre of mass was and at pixel (14, 14).
func TestPadDrawsItsSteps(t *testing.T) {
	a := newTestApp(t, "")
	var empty recorder
	a.Draw(&empty)
	for _, c := range stepCaptions {
		if !empty.drew(c) {
			t.Errorf("the empty pad has no caption %q", c)
		}
	}
	drawSmallOffCentre(t, a)
	var r recorder
	a.Draw(&r)
	l := a.padLayout()
	s := &a.pad.steps
	for i, want := range []drawnImage{
		{&a.pad.inkImage, a.pad.inkImage.Bounds(), l.steps[0]},
		{&a.pad.inkImage, s.crop, cropView(l.steps[1], s.crop)},
		{&s.scaled, s.scaled.Bounds(), scaledView(l.steps[2], s.scaled.W, s.scaled.H)},
		{&a.pad.inputImage, a.pad.inputImage.Bounds(), l.steps[3]},
	} {
		if !slices.Contains(r.images, want) {
			t.Errorf("step %d: no image of %v drawn at %+v", i+1, want.src, want.dst)
		}
	}
	for _, at := range [][2]float64{{s.massX, s.massY}, {14, 14}} {
		x, y := fieldPoint(l.steps[3], at[0], at[1])
		if !slices.Contains(r.lines, [4]float64{x - crossArm, y, x + crossArm, y}) {
			t.Errorf("no cross at field position (%.2f, %.2f) in step 4", at[0], at[1])
		}
	}
}

// The pad's parts fit its panel without overlapping, at the design size
// and at other shapes of window, with a surface large enough to draw on
// and square step tiles.
func TestPadLayoutFits(t *testing.T) {
	for sz, d := range testDashboards() {
		in := panelInner(d.Pad)
		l := layoutPad(in, d.PadSide)
		if d.Flow && l.surface.W != d.PadSide {
			t.Errorf("%v: surface %.1f wide, want the flow arrangement's %.1f", sz, l.surface.W, d.PadSide)
		}
		parts := []geom.Rect{l.surface, l.answer, l.clear, l.bars}
		parts = append(parts, l.steps[:]...)
		for i, p := range parts {
			if !inside(p, in) || p.Empty() {
				t.Errorf("%v: part %d %+v is empty or leaves the panel's inside %+v", sz, i, p, in)
			}
			for _, q := range parts[i+1:] {
				if overlapping(p, q) {
					t.Errorf("%v: parts %+v and %+v overlap", sz, p, q)
				}
			}
		}
		if l.surface.W < 150 || l.surface.W != l.surface.H {
			t.Errorf("%v: surface %.0f×%.0f, want a square of at least 150", sz, l.surface.W, l.surface.H)
		}
		if l.steps[0].W != l.steps[0].H || l.steps[0].W < nn.ImageSide*2 {
			t.Errorf("%v: step tiles %.0f×%.0f, want squares of at least 2 units a pixel", sz, l.steps[0].W, l.steps[0].H)
		}
		if l.bars.H < padBarsMin {
			t.Errorf("%v: bars %.0f high, want at least %.0f", sz, l.bars.H, padBarsMin)
		}
	}
}

// overlapping reports whether a and b share some area.
func overlapping(a, b geom.Rect) bool {
	return a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H
}
