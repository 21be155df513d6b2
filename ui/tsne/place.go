package tsne

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Placement is where a new point lands in an existing map.
type Placement struct {
	X, Y      float64 // map coordinates
	Neighbour int     // the index of its nearest point in the original space
}

// Place puts a point that was not embedded into an existing map: it takes
// the k points nearest to x in the original space (Euclidean distance,
// ties broken by index) and returns the mean of their map positions
// weighted by 1/(d + ε), so a point equal to one of them lands on it.
//
// t-SNE has no exact out-of-sample mapping: the embedding is an
// optimisation over the points it was given, and adding one would move
// them all. Placing by neighbours is the usual approximation: a point
// whose neighbours share a cluster lands in that cluster.
//
// high and low describe the map's points (equal lengths, rows of high as
// long as x); k is reduced to the number of points.
func Place(x []float64, high [][]float64, low [][2]float64, k int) (Placement, error) {
	if len(high) != len(low) || len(high) == 0 {
		return Placement{}, fmt.Errorf("tsne: Place got %d high and %d low points", len(high), len(low))
	}
	if k < 1 {
		return Placement{}, fmt.Errorf("tsne: Place needs k ≥ 1, got %d", k)
	}
	type neighbour struct {
		index int
		dist  float64
	}
	near := make([]neighbour, len(high))
	for i, h := range high {
		if len(h) != len(x) {
			return Placement{}, fmt.Errorf("tsne: Place: point %d has %d values, the new point %d", i, len(h), len(x))
		}
		near[i] = neighbour{i, math.Sqrt(squaredDistance(x, h))}
	}
	slices.SortFunc(near, func(a, b neighbour) int {
		return cmp.Or(cmp.Compare(a.dist, b.dist), cmp.Compare(a.index, b.index))
	})
	const eps = 1e-9
	var sx, sy, sw float64
	for _, n := range near[:min(k, len(near))] {
		w := 1 / (n.dist + eps)
		sx += w * low[n.index][0]
		sy += w * low[n.index][1]
		sw += w
	}
	return Placement{X: sx / sw, Y: sy / sw, Neighbour: near[0].index}, nil
}
