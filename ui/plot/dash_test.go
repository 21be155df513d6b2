package plot

import (
	"math"
	"testing"
)

func TestDashesStraightLine(t *testing.T) {
	xs, ys := Dashes([]float64{0, 10}, []float64{0, 0}, 2, 1)
	// Dashes at 0–2, 3–5, 6–8, 9–10.
	want := [][2]float64{{0, 2}, {3, 5}, {6, 8}, {9, 10}}
	if len(xs) != len(want) {
		t.Fatalf("%d dashes %v, want %d", len(xs), xs, len(want))
	}
	for i, w := range want {
		if xs[i][0] != w[0] || xs[i][len(xs[i])-1] != w[1] || ys[i][0] != 0 {
			t.Errorf("dash %d from %v to %v, want %v", i, xs[i][0], xs[i][len(xs[i])-1], w)
		}
	}
}

func TestDashesRunOnAcrossCorners(t *testing.T) {
	// An L of two 3-long legs with dashes of 4: the first dash turns the
	// corner and ends 1 along the second leg.
	xs, ys := Dashes([]float64{0, 3, 3}, []float64{0, 0, 3}, 4, 1)
	if len(xs) != 2 {
		t.Fatalf("%d dashes, want 2", len(xs))
	}
	if len(xs[0]) != 3 || xs[0][1] != 3 || ys[0][1] != 0 || ys[0][2] != 1 {
		t.Errorf("first dash %v,%v; want (0,0) (3,0) (3,1)", xs[0], ys[0])
	}
	if ys[1][0] != 2 || ys[1][len(ys[1])-1] != 3 {
		t.Errorf("second dash y %v, want from 2 to 3", ys[1])
	}
}

func TestDashesTotalLength(t *testing.T) {
	xs := []float64{0, 7, 7.5, 20, 20}
	ys := []float64{0, 3, 9, 9, 9}
	dx, dy := Dashes(xs, ys, 3, 2)
	var inked float64
	for i := range dx {
		for j := 1; j < len(dx[i]); j++ {
			inked += math.Hypot(dx[i][j]-dx[i][j-1], dy[i][j]-dy[i][j-1])
		}
	}
	var total float64
	for j := 1; j < len(xs); j++ {
		total += math.Hypot(xs[j]-xs[j-1], ys[j]-ys[j-1])
	}
	// 3 of every 5 units are inked, give or take one partial dash.
	if math.Abs(inked-total*3/5) > 3 {
		t.Errorf("inked %.2f of %.2f, want about %.2f", inked, total, total*3/5)
	}
	if x, _ := Dashes(xs[:1], ys[:1], 3, 2); x != nil {
		t.Error("a single point gave dashes")
	}
}
