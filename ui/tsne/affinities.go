package tsne

import (
	"fmt"
	"math"

	gotsne "github.com/danaugrs/go-tsne/tsne"
	"gonum.org/v1/gonum/mat"
)

// scaledSquaredDistances returns the n×n matrix (row-major) of squared
// Euclidean distances between the rows of points, divided by the largest of
// them (left as is if all points coincide). It rejects rows of differing or
// zero length and values that are NaN or infinite.
func scaledSquaredDistances(points [][]float64) ([]float64, error) {
	if err := checkRows(points); err != nil {
		return nil, err
	}
	n := len(points)
	d := make([]float64, n*n)
	var largest float64
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			s := squaredDistance(points[i], points[j])
			d[i*n+j], d[j*n+i] = s, s
			largest = max(largest, s)
		}
	}
	if math.IsInf(largest, 1) {
		return nil, fmt.Errorf("tsne: squared distances overflow float64; rescale the input")
	}
	if largest > 0 {
		for k := range d {
			d[k] /= largest
		}
	}
	return d, nil
}

// checkRows verifies that all rows have the same non-zero length and hold
// finite values.
func checkRows(points [][]float64) error {
	if len(points) == 0 {
		return fmt.Errorf("tsne: no points")
	}
	dim := len(points[0])
	if dim == 0 {
		return fmt.Errorf("tsne: points have no coordinates")
	}
	for i, row := range points {
		if len(row) != dim {
			return fmt.Errorf("tsne: point %d has %d coordinates, point 0 has %d", i, len(row), dim)
		}
		for k, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("tsne: point %d coordinate %d is %v", i, k, v)
			}
		}
	}
	return nil
}

// squaredDistance returns Σ (a_k − b_k)²; a and b have equal length.
func squaredDistance(a, b []float64) float64 {
	var s float64
	for k, v := range a {
		diff := v - b[k]
		s += diff * diff
	}
	return s
}

// jointAffinities returns the symmetric joint affinities P (n×n, row-major,
// summing to 1) for the squared distances d at the given perplexity. The
// perplexity calibration is go-tsne's: EmbedDistances with zero iterations
// runs its d2p and initSolution but no gradient step (see the package
// documentation).
func jointAffinities(d []float64, n int, perplexity float64) []float64 {
	t := gotsne.NewTSNE(2, perplexity, 1, 0, false)
	t.EmbedDistances(mat.NewDense(n, n, d), nil)
	p := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			p[i*n+j] = t.P.At(i, j)
		}
	}
	return p
}
