package insightview

import (
	"image"
	"image/color"
	"strings"
	"testing"
)

// constant returns a palette that paints everything c.
func constant(c color.RGBA) Palette { return func(float64) color.RGBA { return c } }

func TestPackPlacesTilesInRows(t *testing.T) {
	red, blue, none := color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}, color.RGBA{}
	tiles := []Tile{
		{3, 2, make([]float64, 6), constant(red), nil},
		{4, 4, make([]float64, 16), constant(blue), nil},
		{5, 1, make([]float64, 5), constant(red), nil}, // 3+1+4+1+5 > 10: next row
		{2, 2, make([]float64, 4), constant(blue), nil},
	}
	a, err := Pack(tiles, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []image.Rectangle{
		image.Rect(0, 0, 3, 2), image.Rect(4, 0, 8, 4),
		image.Rect(0, 5, 5, 6), image.Rect(6, 5, 8, 7),
	}
	for i, r := range want {
		if a.Rects[i] != r {
			t.Errorf("tile %d at %v, want %v", i, a.Rects[i], r)
		}
	}
	if a.W != 10 || a.H != 7 || len(a.Pix) != 4*10*7 {
		t.Fatalf("atlas %d×%d with %d bytes, want 10×7 with 280", a.W, a.H, len(a.Pix))
	}
	at := func(x, y int) color.RGBA {
		o := 4 * (y*a.W + x)
		return color.RGBA{a.Pix[o], a.Pix[o+1], a.Pix[o+2], a.Pix[o+3]}
	}
	for _, c := range []struct {
		x, y int
		want color.RGBA
	}{{0, 0, red}, {2, 1, red}, {3, 0, none}, {4, 0, blue}, {7, 3, blue}, {0, 2, none}, {4, 5, red}, {7, 6, blue}, {9, 6, none}} {
		if got := at(c.x, c.y); got != c.want {
			t.Errorf("pixel (%d, %d) = %v, want %v", c.x, c.y, got, c.want)
		}
	}
}

func TestPackPaintsValuesRowMajor(t *testing.T) {
	grey := func(v float64) color.RGBA { return color.RGBA{uint8(v), 0, 0, 255} }
	a, err := Pack([]Tile{{2, 1, []float64{9, 9}, grey, nil}, {2, 3, []float64{1, 2, 3, 4, 5, 6}, grey, nil}}, 8)
	if err != nil {
		t.Fatal(err)
	}
	r := a.Rects[1]
	for j := range 6 {
		x, y := r.Min.X+j%2, r.Min.Y+j/2
		if got := a.Pix[4*(y*a.W+x)]; got != uint8(j+1) {
			t.Errorf("value %d painted as %d at (%d, %d)", j+1, got, x, y)
		}
	}
}

func TestPackRejectsBadTiles(t *testing.T) {
	p := constant(color.RGBA{})
	tests := []struct {
		name string
		tile Tile
		want string
	}{
		{"values do not match size", Tile{2, 2, make([]float64, 3), p, nil}, "2×2 with 3 values"},
		{"empty", Tile{0, 1, nil, p, nil}, "0×1"},
		{"too wide", Tile{9, 1, make([]float64, 9), p, nil}, "9 wide"},
		{"no palette", Tile{1, 1, []float64{0}, nil, nil}, "no palette"},
	}
	for _, tc := range tests {
		_, err := Pack([]Tile{tc.tile}, 8)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}

func TestPackNothingIsOnePixel(t *testing.T) {
	a, err := Pack(nil, 4)
	if err != nil || a.W != 4 || a.H != 1 || len(a.Pix) != 16 {
		t.Errorf("Pack(nil) = %d×%d, %d bytes, %v; want 4×1, 16 bytes", a.W, a.H, len(a.Pix), err)
	}
}
