package insightview

import (
	"slices"
	"testing"

	"convlab/nn"
	"convlab/ui/layout"
	"convlab/ui/plot"
)

func TestLayoutConfusion(t *testing.T) {
	for name, d := range dashboards() {
		t.Run(name, func(t *testing.T) {
			r := inner(d.Confusion)
			l := LayoutConfusion(r)
			for _, p := range []struct {
				name string
				ok   bool
			}{
				{"matrix inside", within(l.Matrix, r)},
				{"accuracy inside", within(l.Accuracy, r)},
				{"examples inside", within(l.Examples, r)},
				{"header inside", within(l.Header, r)},
				{"examples clear of the matrix", !overlap(l.Examples, l.Matrix) && !overlap(l.Examples, l.Accuracy)},
				{"matrix below the header", !overlap(l.Header, l.Matrix)},
				{"room for the row digits", l.Matrix.X-r.X >= 20},
				{"room for two title lines above", l.Matrix.Y-(l.Header.Y+l.Header.H) >= 2*LineHeight},
				{"cells fit a two-digit count", l.Cell >= 20},
				{"square matrix", l.Matrix.W == l.Matrix.H && l.Matrix.W == 10*l.Cell},
				{"examples fit an image with its text", l.Examples.W >= ExampleW},
				{"examples fit two rows of images", l.Examples.H >= StackedExamplesH},
				{"the panel holds little more than it shows", !d.Flow || r.Y+r.H-max(l.Matrix.Y+l.Matrix.H, l.Examples.Y+StackedExamplesH) < 2*LineHeight},
			} {
				if !p.ok {
					t.Errorf("%s: layout %+v in %v", p.name, l, r)
				}
			}
		})
	}
}

func TestCellAtInvertsCellRect(t *testing.T) {
	l := LayoutConfusion(inner(layout.Compute(1280, 720).Confusion))
	for tr := range nn.NumClasses {
		for p := range nn.NumClasses {
			c := l.CellRect(tr, p)
			for _, pt := range [][2]float64{{c.X, c.Y}, {c.X + c.W/2, c.Y + c.H/2}, {c.X + c.W - 0.01, c.Y + c.H - 0.01}} {
				gt, gp, ok := l.CellAt(pt[0], pt[1])
				if !ok || gt != tr || gp != p {
					t.Fatalf("CellAt(%v) = %d, %d, %v; want %d, %d (cell %v)", pt, gt, gp, ok, tr, p, c)
				}
			}
		}
	}
	m := l.Matrix
	for _, pt := range [][2]float64{{m.X - 1, m.Y + 5}, {m.X + m.W, m.Y + 5}, {m.X + 5, m.Y + m.H}, {m.X + 5, m.Y - 0.5}} {
		if tr, p, ok := l.CellAt(pt[0], pt[1]); ok {
			t.Errorf("CellAt(%v) outside the matrix %v = %d, %d, true", pt, m, tr, p)
		}
	}
}

func TestConfusionTile(t *testing.T) {
	var conf [nn.NumClasses][nn.NumClasses]int
	for c := range nn.NumClasses {
		conf[c][c] = 8
		conf[c][(c+1)%nn.NumClasses] = 2
	}
	conf[3][3], conf[3][5] = 2, 6 // class 3: mostly called 5
	tile, full := ConfusionTile(&conf)
	if full != 10 || tile.W != 10 || tile.H != 10 {
		t.Fatalf("full %d, tile %d×%d; want 10 and 10×10", full, tile.W, tile.H)
	}
	tests := []struct {
		t, p int
		want float64
	}{{0, 0, -0.8}, {0, 1, 0.2}, {3, 5, 0.6}, {3, 3, -0.2}, {0, 5, 0}}
	for _, tc := range tests {
		v := tile.Values[tc.t*10+tc.p]
		if v != tc.want {
			t.Errorf("cell %d,%d value %v, want %v", tc.t, tc.p, v, tc.want)
		}
		if got, want := tile.Palette(v), plot.Diverging(tc.want); got != want {
			t.Errorf("cell %d,%d colour %v, want %v", tc.t, tc.p, got, want)
		}
	}
	var empty [nn.NumClasses][nn.NumClasses]int
	tile, full = ConfusionTile(&empty)
	if full != 0 || slices.ContainsFunc(tile.Values, func(v float64) bool { return v != 0 }) {
		t.Errorf("empty matrix: full %d, values %v; want 0 and zeros", full, tile.Values)
	}
}

func TestMembers(t *testing.T) {
	labels := []int{3, 5, 3, 3, 1}
	predicted := []int{5, 5, 3, 5, 1}
	tests := []struct {
		t, p int
		want []int
	}{{3, 5, []int{0, 3}}, {3, 3, []int{2}}, {5, 5, []int{1}}, {1, 3, nil}}
	for _, tc := range tests {
		if got := Members(labels, predicted, tc.t, tc.p); !slices.Equal(got, tc.want) {
			t.Errorf("Members(%d, %d) = %v, want %v", tc.t, tc.p, got, tc.want)
		}
	}
	if got := Members(labels, predicted[:2], 3, 3); got != nil {
		t.Errorf("predictions shorter than labels: %v, want only the first two images considered", got)
	}
}
