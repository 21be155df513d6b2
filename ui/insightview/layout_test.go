package insightview

import (
	"fmt"
	"strings"
	"testing"

	"convlab/ui/geom"
	"convlab/ui/layout"
)

// inner is the area inside a dashboard panel (see ui's canvas.panel).
func inner(r geom.Rect) geom.Rect {
	return geom.Rect{X: r.X + 10, Y: r.Y + 26, W: r.W - 20, H: r.H - 34}
}

// windows are logical canvases the dashboard lays out: the design size,
// a wide one (a laptop browser's viewport below its toolbar), and a tall
// and a large one.
var windows = [][2]float64{{1280, 720}, {1600, 720}, {1280, 1000}, {1920, 1080}}

// handhelds are windows in CSS pixels that get the flow arrangement:
// phones and tablets, upright and on their side. (The narrowest phone in
// use, 320 pixels wide, gets a confusion matrix of 19-unit cells, which
// still hold two digits at 11 units, and four thumbnails in the strip.)
var handhelds = [][2]float64{{390, 844}, {844, 390}, {768, 1024}, {360, 740}, {1024, 1366}}

// dashboards returns the layouts of windows and of handhelds, by name.
func dashboards() map[string]layout.Dashboard {
	out := make(map[string]layout.Dashboard)
	for _, win := range windows {
		out[fmt.Sprintf("%.0fx%.0f", win[0], win[1])] = layout.Compute(win[0], win[1])
	}
	for _, win := range handhelds {
		out[fmt.Sprintf("flow %.0fx%.0f", win[0], win[1])] = layout.Fit(win[0], win[1])
	}
	return out
}

func within(r, outer geom.Rect) bool {
	const eps = 1e-9
	return r.X >= outer.X-eps && r.Y >= outer.Y-eps && r.X+r.W <= outer.X+outer.W+eps && r.Y+r.H <= outer.Y+outer.H+eps
}

func overlap(a, b geom.Rect) bool {
	return a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H
}

func TestLayoutActivations(t *testing.T) {
	for name, d := range dashboards() {
		t.Run(name, func(t *testing.T) {
			r := inner(d.Activations)
			l := LayoutActivations(r)
			rows := 1
			if l.Stages[StageConv2].Y > l.Stages[StageInput].Y {
				rows = 2
			}
			// The flow arrangement keeps the backward view's room in both views.
			checkActivationLayout(t, l, r, d.Flow, GradientExtraHeight(rows), nil)
		})
	}
}

// TestLayoutGradients checks the backward view as the activation view,
// with its target row and layer strip inside the panel and clear of the
// maps.
func TestLayoutGradients(t *testing.T) {
	for name, d := range dashboards() {
		t.Run(name, func(t *testing.T) {
			r := inner(d.Activations)
			l := LayoutGradients(r)
			extra := append([]geom.Rect{l.TargetLabel}, l.Targets[:]...)
			extra = append(extra, l.KernelSource[:]...)
			if l.Note.H < 5*LineHeight {
				t.Errorf("the note has %v units below the kernels' switch, want room for its 5 lines", l.Note.H)
			}
			if l.KernelSource[0].Y != l.Kernels[0].Y || l.KernelSource[0].W < 40 {
				t.Errorf("the kernels' switch %v is not level with their label %v, or narrower than 40", l.KernelSource[0], l.Kernels[0])
			}
			if !d.Flow && l.Loss.Empty() {
				t.Error("no room for the loss on a desktop")
			}
			if !l.Loss.Empty() {
				extra = append(extra, l.Loss)
			}
			for _, f := range l.Figures {
				f.H -= 1e-6 // touches the kernels' label line below it
				extra = append(extra, f)
			}
			checkActivationLayout(t, l.ActivationLayout, r, d.Flow, 0, extra)
			if l.Targets[0].W < MinTarget {
				t.Errorf("target cells %v wide, want at least %v to click", l.Targets[0].W, MinTarget)
			}
		})
	}
}

// checkActivationLayout checks l in the panel's inside r: every place
// inside r and apart, one size for every map, enough thumbnails, and in
// the flow arrangement (which sizes the panel to what it holds) little
// room left below beyond spare. extra are further places that must be
// inside r and clear of the others.
func checkActivationLayout(t *testing.T, l ActivationLayout, r geom.Rect, flow bool, spare float64, extra []geom.Rect) {
	t.Helper()
	all := append([]geom.Rect{l.Pad, l.Prev, l.Next, l.Info, l.Note}, l.Thumbs...)
	all = append(all, l.Tiles[:]...)
	all = append(all, extra...)
	for i, a := range all {
		if !within(a, r) || a.Empty() {
			t.Errorf("rect %d %v is empty or outside the panel %v", i, a, r)
		}
		for j := range i {
			if overlap(a, all[j]) {
				t.Errorf("rect %d %v overlaps rect %d %v", i, a, j, all[j])
			}
		}
	}
	// Every map, input and hidden square has one size: big enough
	// to read a 28×28 map at more than a unit a pixel.
	side := l.Tiles[TileInput].W
	for i := range TileKernel1 {
		if m := l.Tiles[i]; m.W != side || m.H != side {
			t.Errorf("map tile %d is %v×%v, want %v square", i, m.W, m.H, side)
		}
	}
	if side < 40 {
		t.Errorf("maps are %v units, want at least 40", side)
	}
	if want := map[bool]int{false: 10, true: 5}[flow]; len(l.Thumbs) < want {
		t.Errorf("%d thumbnails in the strip, want at least %d", len(l.Thumbs), want)
	}
	for _, s := range l.Stages {
		if !within(s, r) {
			t.Errorf("stage column %v outside the panel %v", s, r)
		}
	}
	// Each conv2 map's kernels sit inside the place of conv1's kernel
	// of the same number, shifted to where conv2's kernels are.
	for out := range Maps {
		place := l.Tiles[TileKernel1+out]
		place.X += l.Kernels[1].X - l.Kernels[0].X
		place.Y += l.Kernels[1].Y - l.Kernels[0].Y
		for in := range Maps {
			if k := l.Tiles[TileKernel2+Maps*out+in]; !within(k, place) {
				t.Errorf("conv2 kernel %d→%d %v outside its map's place %v", in, out, k, place)
			}
		}
	}
	for _, bar := range []int{TileActivationBar, TileWeightBar} {
		if !within(l.Tiles[bar], l.Legend) {
			t.Errorf("colour bar %v outside the legend %v", l.Tiles[bar], l.Legend)
		}
	}
	// The flow arrangement sizes the panel to what it holds
	// (layout's activationsHeight): little is left below.
	bottom := 0.0
	for _, a := range all {
		bottom = max(bottom, a.Y+a.H)
	}
	if flow && r.Y+r.H-bottom > 2*LineHeight+spare {
		t.Errorf("%.0f units left below the kernels in the panel %v", r.Y+r.H-bottom, r)
	}
}

func TestGrid(t *testing.T) {
	r := geom.Rect{X: 10, Y: 20, W: 100, H: 50}
	tests := []struct {
		name       string
		w, h, gap  float64
		n          int
		wantCount  int
		wantLast   geom.Rect
		wantSecond geom.Rect
	}{
		{"one row", 30, 20, 5, 3, 3, geom.Rect{X: 80, Y: 20, W: 30, H: 20}, geom.Rect{X: 45, Y: 20, W: 30, H: 20}},
		{"wraps", 30, 20, 5, 5, 5, geom.Rect{X: 45, Y: 45, W: 30, H: 20}, geom.Rect{X: 45, Y: 20, W: 30, H: 20}},
		{"capacity", 30, 20, 5, 99, 6, geom.Rect{X: 80, Y: 45, W: 30, H: 20}, geom.Rect{X: 45, Y: 20, W: 30, H: 20}},
	}
	for _, tc := range tests {
		g := Grid(r, tc.w, tc.h, tc.gap, tc.n)
		if len(g) != tc.wantCount {
			t.Fatalf("%s: %d cells, want %d", tc.name, len(g), tc.wantCount)
		}
		if g[len(g)-1] != tc.wantLast || g[1] != tc.wantSecond {
			t.Errorf("%s: second %v last %v, want %v and %v", tc.name, g[1], g[len(g)-1], tc.wantSecond, tc.wantLast)
		}
	}
	if g := Grid(r, 200, 20, 0, 3); len(g) != 0 {
		t.Errorf("cells wider than the area: %d cells, want none", len(g))
	}
	if g := Grid(r, 0, 20, 0, 3); g != nil {
		t.Errorf("zero-width cells: %v, want nil", g)
	}
}

func TestHit(t *testing.T) {
	rects := []geom.Rect{{X: 0, Y: 0, W: 10, H: 10}, {X: 10, Y: 0, W: 10, H: 10}}
	tests := []struct {
		x, y float64
		want int
	}{{5, 5, 0}, {10, 5, 1}, {9.99, 0, 0}, {20, 5, -1}, {5, 10, -1}, {-1, 5, -1}}
	for _, tc := range tests {
		if got := Hit(rects, tc.x, tc.y); got != tc.want {
			t.Errorf("Hit(%v, %v) = %d, want %d", tc.x, tc.y, got, tc.want)
		}
	}
}

func TestPageStart(t *testing.T) {
	tests := []struct {
		selected, total, slots, want int
	}{
		{0, 100, 13, 0}, {12, 100, 13, 0}, {13, 100, 13, 13}, {50, 100, 13, 39},
		{95, 100, 13, 87}, // the last page is filled from the end
		{99, 100, 13, 87},
		{5, 8, 13, 0},      // everything fits
		{200, 100, 13, 87}, // out of range: clamped
		{-4, 100, 13, 0},
		{3, 100, 0, 0},
	}
	for _, tc := range tests {
		got := PageStart(tc.selected, tc.total, tc.slots)
		if got != tc.want {
			t.Errorf("PageStart(%d, %d, %d) = %d, want %d", tc.selected, tc.total, tc.slots, got, tc.want)
		}
		if sel := max(0, min(tc.selected, tc.total-1)); tc.slots > 0 && (sel < got || sel >= got+tc.slots) {
			t.Errorf("PageStart(%d, %d, %d) = %d does not show the selection", tc.selected, tc.total, tc.slots, got)
		}
	}
}

func TestWrap(t *testing.T) {
	measure := func(s string) float64 { return float64(len(s)) } // one unit a byte
	tests := []struct {
		s     string
		width float64
		want  []string
	}{
		{"the map appears when epoch one ends", 14, []string{"the map", "appears when", "epoch one ends"}},
		{"  spaced   out  ", 20, []string{"spaced out"}},
		{"unbreakable-word here", 5, []string{"unbreakable-word", "here"}},
		{"", 10, nil},
	}
	for _, tc := range tests {
		got := Wrap(tc.s, tc.width, measure)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("Wrap(%q, %v) = %q, want %q", tc.s, tc.width, got, tc.want)
		}
	}
}
