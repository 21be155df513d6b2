package tsne

import (
	"cmp"
	"math"
	"slices"
	"testing"
)

func TestPlaceWeighsNeighboursByNearness(t *testing.T) {
	high := [][]float64{{0, 0}, {1, 0}, {10, 0}}
	low := [][2]float64{{0, 0}, {4, 4}, {100, 100}}
	p, err := Place([]float64{0, 0}, high, low, 2)
	if err != nil {
		t.Fatal(err)
	}
	if p.Neighbour != 0 || math.Abs(p.X) > 1e-6 || math.Abs(p.Y) > 1e-6 {
		t.Errorf("a point equal to point 0 landed at (%v, %v) near %d, want on point 0", p.X, p.Y, p.Neighbour)
	}
	// At distance 0.25 and 0.75 the weights are 4 and 4/3: 3/4 of the way
	// to point 0, so x = 0.25·4.
	p, _ = Place([]float64{0.25, 0}, high, low, 2)
	if p.Neighbour != 0 || math.Abs(p.X-1) > 1e-6 || math.Abs(p.Y-1) > 1e-6 {
		t.Errorf("landed at (%v, %v), want (1, 1)", p.X, p.Y)
	}
	if p, _ := Place([]float64{0.25, 0}, high, low, 99); p.X <= 1 {
		t.Errorf("k larger than the map should take every point; got x = %v", p.X)
	}
	for _, bad := range []func() error{
		func() error { _, err := Place([]float64{0}, high, low, 2); return err },
		func() error { _, err := Place([]float64{0, 0}, high, low[:2], 2); return err },
		func() error { _, err := Place([]float64{0, 0}, high, low, 0); return err },
	} {
		if bad() == nil {
			t.Error("bad arguments accepted")
		}
	}
}

// TestHeldOutPointsLandInTheirCluster embeds 90 points of ten clusters,
// then places the other 10 (one per cluster): the 5 map points nearest to
// where each lands must be mostly of its own cluster.
func TestHeldOutPointsLandInTheirCluster(t *testing.T) {
	points, labels := gaussianClusters(11, clusters, perCluster, features, 1.5)
	var kept [][]float64
	var keptLabels []int
	var heldOut []int
	for i := range points {
		if i%perCluster == 0 {
			heldOut = append(heldOut, i)
			continue
		}
		kept, keptLabels = append(kept, points[i]), append(keptLabels, labels[i])
	}
	e := mustNew(t, kept, DefaultOptions())
	e.Step(math.MaxInt)
	low := e.Points()
	right := 0
	for _, i := range heldOut {
		p, err := Place(points[i], kept, low, 5)
		if err != nil {
			t.Fatal(err)
		}
		if majorityNear(low, keptLabels, p.X, p.Y, 5) == labels[i] {
			right++
		}
	}
	t.Logf("%d of %d held-out points land among their own cluster", right, len(heldOut))
	if right < 9 {
		t.Errorf("only %d of %d held-out points land among their own cluster, want at least 9", right, len(heldOut))
	}
}

// majorityNear returns the most common label among the k map points
// nearest to (x, y), the smaller label on a tie.
func majorityNear(low [][2]float64, labels []int, x, y float64, k int) int {
	order := make([]int, len(low))
	for i := range order {
		order[i] = i
	}
	d := func(i int) float64 { return math.Hypot(low[i][0]-x, low[i][1]-y) }
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(d(a), d(b)) })
	votes := map[int]int{}
	best := -1
	for _, i := range order[:k] {
		votes[labels[i]]++
	}
	for l, v := range votes {
		if best < 0 || v > votes[best] || v == votes[best] && l < best {
			best = l
		}
	}
	return best
}
