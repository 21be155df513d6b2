package digit

import (
	"errors"
	"math"
	"slices"
	"testing"
)

func TestToMNISTEmptyCanvas(t *testing.T) {
	c := mustCanvas(t, 280, 280)
	if _, err := ToMNIST(c); !errors.Is(err, ErrEmpty) {
		t.Fatalf("empty canvas: error = %v, want ErrEmpty", err)
	}
	c.ink[100*280+100] = InkThreshold / 2 // faint smudge only
	if _, err := ToMNIST(c); !errors.Is(err, ErrEmpty) {
		t.Fatalf("canvas with faint smudge: error = %v, want ErrEmpty", err)
	}
}

// inkBox returns the bounding box [x0,x1)×[y0,y1) of the values above thr
// in a MNISTSide² image.
func inkBox(img []float64, thr float64) (x0, y0, x1, y1 int) {
	x0, y0 = MNISTSide, MNISTSide
	for i, v := range img {
		if v > thr {
			x, y := i%MNISTSide, i/MNISTSide
			x0, y0 = min(x0, x), min(y0, y)
			x1, y1 = max(x1, x+1), max(y1, y+1)
		}
	}
	return
}

func mustMNIST(t *testing.T, c *Canvas) []float64 {
	t.Helper()
	img, err := ToMNIST(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(img) != MNISTSide*MNISTSide {
		t.Fatalf("ToMNIST returned %d values, want %d", len(img), MNISTSide*MNISTSide)
	}
	for i, v := range img {
		if v < 0 || v > 1 || math.IsNaN(v) {
			t.Fatalf("value %d = %v outside [0,1]", i, v)
		}
	}
	return img
}

func TestToMNISTKeepsAspectRatio(t *testing.T) {
	tests := []struct {
		name                   string
		x0, y0, x1, y1, r      float64
		wantW, wantH           int // exact side that must become FitSide
		maxOtherSide, minOther int
	}{
		// A tall thin "1": 17×217 canvas px → about 1.6×20.
		{"tall one", 140, 40, 140, 240, 8, 0, FitSide, 3, 1},
		// A flat dash: 217×17 → about 20×1.6.
		{"flat dash", 40, 140, 240, 140, 8, FitSide, 0, 3, 1},
	}
	for _, tt := range tests {
		c := mustCanvas(t, 280, 280)
		mustStroke(t, c, tt.x0, tt.y0, tt.x1, tt.y1, tt.r)
		img := mustMNIST(t, c)
		x0, y0, x1, y1 := inkBox(img, 0)
		w, h := x1-x0, y1-y0
		long, other := w, h
		if tt.wantH == FitSide {
			long, other = h, w
		}
		if long != FitSide {
			t.Errorf("%s: long side = %d px, want %d", tt.name, long, FitSide)
		}
		if other < tt.minOther || other > tt.maxOtherSide {
			t.Errorf("%s: short side = %d px, want %d…%d", tt.name, other, tt.minOther, tt.maxOtherSide)
		}
	}
}

// offCentre reports whether (cx, cy) is more than half a pixel from
// (14, 14) on either axis. An even-sized symmetric blob has its centre on a
// half pixel and lands exactly 0.5 away, so the bound allows float noise.
func offCentre(cx, cy float64) bool {
	const tol = 0.5 + 1e-9
	return math.Abs(cx-14) > tol || math.Abs(cy-14) > tol
}

// massCentre returns the intensity-weighted centre of a MNISTSide² image,
// with pixel i at coordinate i.
func massCentre(img []float64) (cx, cy float64) {
	return centreOfMass(img, MNISTSide, MNISTSide)
}

func TestToMNISTCentresMass(t *testing.T) {
	type seg = [4]float64
	tests := []struct {
		name   string
		r      float64
		stroke []seg
	}{
		{"seven in a corner", 9, []seg{{10, 10, 110, 10}, {110, 10, 40, 160}}},
		{"L near the bottom", 6, []seg{{200, 120, 200, 270}, {200, 270, 275, 270}}},
		{"diagonal", 12, []seg{{20, 250, 250, 30}}},
		{"ring", 8, ring(140, 140, 70, 100, 24)},
		{"lopsided blob", 15, []seg{{60, 60, 62, 61}, {60, 60, 200, 70}}},
	}
	for _, tt := range tests {
		c := mustCanvas(t, 280, 280)
		for _, s := range tt.stroke {
			mustStroke(t, c, s[0], s[1], s[2], s[3], tt.r)
		}
		img := mustMNIST(t, c)
		cx, cy := massCentre(img)
		if offCentre(cx, cy) {
			t.Errorf("%s: centre of mass (%.3f, %.3f), want (14, 14) ± 0.5", tt.name, cx, cy)
		}
	}
}

// ring returns n segments approximating an ellipse with radii rx, ry.
func ring(cx, cy, rx, ry float64, n int) [][4]float64 {
	var segs [][4]float64
	for i := range n {
		a0 := 2 * math.Pi * float64(i) / float64(n)
		a1 := 2 * math.Pi * float64(i+1) / float64(n)
		segs = append(segs, [4]float64{
			cx + rx*math.Cos(a0), cy + ry*math.Sin(a0),
			cx + rx*math.Cos(a1), cy + ry*math.Sin(a1),
		})
	}
	return segs
}

func TestToMNISTTinyDots(t *testing.T) {
	for _, p := range [][2]float64{{140, 140}, {0.2, 0.2}, {279.9, 279.9}, {279.5, 0.5}} {
		c := mustCanvas(t, 280, 280)
		mustStroke(t, c, p[0], p[1], p[0], p[1], 0.5)
		if c.Empty() {
			t.Errorf("dot at %v left no ink", p)
			continue
		}
		img := mustMNIST(t, c)
		cx, cy := massCentre(img)
		if offCentre(cx, cy) {
			t.Errorf("dot at %v: centre of mass (%.2f, %.2f)", p, cx, cy)
		}
	}
	one := mustCanvas(t, 1, 1)
	one.ink[0] = 1
	mustMNIST(t, one)
}

func TestBoxWeightsAreExactCoverage(t *testing.T) {
	// Three samples squeezed into two: each output covers 1.5 inputs.
	got := resizeArea([]float64{1, 0.5, 0}, 3, 1, 2, 1)
	want := []float64{(1 + 0.5*0.5) / 1.5, (0.5*0.5 + 0) / 1.5}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Errorf("3→2 sample %d = %v, want %v", i, got[i], want[i])
		}
	}
	// Area averaging preserves mass per unit area for any ratio.
	const sw, sh, dw, dh = 37, 23, 20, 9
	src := make([]float64, sw*sh)
	srcSum := 0.0
	for i := range src {
		src[i] = float64((i*7919)%101) / 100
		srcSum += src[i]
	}
	dstSum := 0.0
	for _, v := range resizeArea(src, sw, sh, dw, dh) {
		dstSum += v
	}
	if got, want := dstSum/(dw*dh), srcSum/(sw*sh); math.Abs(got-want) > 1e-12 {
		t.Errorf("mean after resize %v, before %v", got, want)
	}
}

func TestToMNISTDoesNotModifyCanvas(t *testing.T) {
	c := mustCanvas(t, 280, 280)
	mustStroke(t, c, 30, 40, 200, 220, 10)
	before := c.Ink()
	mustMNIST(t, c)
	for i, v := range c.Ink() {
		if v != before[i] {
			t.Fatalf("pixel %d changed from %v to %v", i, before[i], v)
		}
	}
}

// TestPreprocessSteps checks each step's own result on a drawing placed
// off-centre: a 40×80 bar in the top-left of a 280-pixel pad.
func TestPreprocessSteps(t *testing.T) {
	c, err := NewCanvas(280, 280)
	if err != nil {
		t.Fatal(err)
	}
	for y := 10; y < 90; y++ {
		for x := 20; x < 60; x++ {
			c.ink[y*c.w+x] = 1
		}
	}
	st, err := Preprocess(c)
	if err != nil {
		t.Fatal(err)
	}
	if st.Crop.Min.X != 20 || st.Crop.Min.Y != 10 || st.Crop.Dx() != 40 || st.Crop.Dy() != 80 {
		t.Errorf("crop %v, want (20,10)-(60,90)", st.Crop)
	}
	if st.ScaledW != 10 || st.ScaledH != FitSide || len(st.Scaled) != 10*FitSide {
		t.Errorf("scaled to %d×%d (%d values), want 10×20", st.ScaledW, st.ScaledH, len(st.Scaled))
	}
	for i, v := range st.Scaled {
		if v != 1 {
			t.Fatalf("scaled pixel %d is %v; a solid bar stays solid under area averaging", i, v)
		}
	}
	// Pasted in the middle (offsets 9 and 4), the bar's centre of mass is
	// at (9 + 4.5, 4 + 9.5); step 3 moves it to (14, 14).
	if st.MassX != 13.5 || st.MassY != 13.5 {
		t.Errorf("centre of mass before centring (%v, %v), want (13.5, 13.5)", st.MassX, st.MassY)
	}
	cx, cy := centreOfMass(st.Input, MNISTSide, MNISTSide)
	if math.Abs(cx-14) > 0.5 || math.Abs(cy-14) > 0.5 {
		t.Errorf("input's centre of mass (%v, %v), want within 0.5 of (14, 14)", cx, cy)
	}
	input, err := ToMNIST(c)
	if err != nil || !slices.Equal(input, st.Input) {
		t.Error("ToMNIST and Preprocess disagree")
	}
	if _, err := Preprocess(&Canvas{w: 3, h: 3, ink: make([]float64, 9)}); err != ErrEmpty {
		t.Errorf("empty canvas: %v, want ErrEmpty", err)
	}
}
