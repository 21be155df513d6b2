package tsne

import (
	"cmp"
	"fmt"
	"slices"
)

// KNNAgreement measures how well a map keeps labelled neighbourhoods. For
// every point it takes the k nearest other points (Euclidean distance, ties
// broken by index) and counts the fraction that share the point's label; hi
// is the mean of that fraction over all points in the original space high
// and lo the same in the map low. A map that preserves the structure of the
// data has lo close to hi.
//
// high and low must describe the same points (equal lengths, also equal to
// len(labels)); the rows of high must be of equal length and k must be in
// [1, n−1].
func KNNAgreement(high [][]float64, low [][2]float64, labels []int, k int) (hi, lo float64, err error) {
	n := len(labels)
	if len(high) != n || len(low) != n {
		return 0, 0, fmt.Errorf("tsne: KNNAgreement got %d high, %d low points and %d labels", len(high), len(low), n)
	}
	if k < 1 || k > n-1 {
		return 0, 0, fmt.Errorf("tsne: KNNAgreement needs k in [1, %d] for %d points, got %d", n-1, n, k)
	}
	if err := checkRows(high); err != nil {
		return 0, 0, err
	}
	hi = labelAgreement(n, labels, k, func(i, j int) float64 {
		return squaredDistance(high[i], high[j])
	})
	lo = labelAgreement(n, labels, k, func(i, j int) float64 {
		return squaredDistance(low[i][:], low[j][:])
	})
	return hi, lo, nil
}

// labelAgreement returns the mean over the n points of the fraction of their
// k nearest neighbours under dist that share their label.
func labelAgreement(n int, labels []int, k int, dist func(i, j int) float64) float64 {
	type neighbour struct {
		index int
		dist  float64
	}
	others := make([]neighbour, 0, n-1)
	var total float64
	for i := 0; i < n; i++ {
		others = others[:0]
		for j := 0; j < n; j++ {
			if j != i {
				others = append(others, neighbour{j, dist(i, j)})
			}
		}
		slices.SortFunc(others, func(a, b neighbour) int {
			return cmp.Or(cmp.Compare(a.dist, b.dist), cmp.Compare(a.index, b.index))
		})
		same := 0
		for _, o := range others[:k] {
			if labels[o.index] == labels[i] {
				same++
			}
		}
		total += float64(same) / float64(k)
	}
	return total / float64(n)
}
