package tsne

import (
	"fmt"
	"math"
)

// The perplexity search (see jointAffinities and the package documentation).
const (
	entropyTolerance = 1e-5  // |H − log perplexity| that ends a point's search
	maxSearchSteps   = 50    // a point's search ends after this many steps regardless
	entropyFloor     = 1e-7  // probabilities at or below it add nothing to H
	minAffinity      = 1e-12 // every joint affinity is at least this
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
// summing to 1 up to the floor) for the squared distances d at the given
// perplexity. For each point i it searches for the precision β of a
// Gaussian kernel such that the conditional distribution
// p_j|i = exp(−β·d_ij) / Σ_k≠i exp(−β·d_ik) has entropy
// H = −Σ_j p_j|i·log p_j|i equal to log(perplexity): starting from β = 1,
// it doubles β while H is too high and halves it while H is too low until
// the target is bracketed, then bisects, and stops once H is within
// entropyTolerance or after maxSearchSteps steps, keeping the distribution
// of the last β tried. Then p_ij = (p_j|i + p_i|j) / 2n, floored at
// minAffinity. These are go-tsne's d2p's rules (package documentation), so
// the dashboard's maps are unchanged; TestAffinitiesMatchGoTSNE holds them
// to it bit for bit.
func jointAffinities(d []float64, n int, perplexity float64) []float64 {
	cond := make([]float64, n*n) // row i: p_j|i
	target := math.Log(perplexity)
	for i := 0; i < n; i++ {
		searchPrecision(d[i*n:(i+1)*n], i, target, cond[i*n:(i+1)*n])
	}
	return symmetrise(cond, n)
}

// symmetrise returns the joint affinities p_ij = (p_j|i + p_i|j) / 2n,
// floored at minAffinity, of the n×n conditional ones.
func symmetrise(cond []float64, n int) []float64 {
	p := make([]float64, n*n)
	scale := 1 / float64(2*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			p[i*n+j] = math.Max((cond[i*n+j]+cond[j*n+i])*scale, minAffinity)
		}
	}
	return p
}

// searchPrecision fills row with point i's conditional distribution over
// the others for the precision whose entropy is within entropyTolerance of
// target (see jointAffinities); dist holds i's squared distances.
func searchPrecision(dist []float64, i int, target float64, row []float64) {
	beta, low, high := 1.0, math.Inf(-1), math.Inf(1)
	for range maxSearchSteps {
		diff := conditional(dist, i, beta, row) - target
		if diff > 0 { // too spread out: sharpen the kernel
			low = beta
			if math.IsInf(high, 1) {
				beta *= 2
			} else {
				beta = (beta + high) / 2
			}
		} else { // too peaked: widen it
			high = beta
			if math.IsInf(low, -1) {
				beta /= 2
			} else {
				beta = (beta + low) / 2
			}
		}
		if math.Abs(diff) < entropyTolerance {
			return
		}
	}
}

// conditional fills row with exp(−beta·dist_j) normalised over j ≠ i (all
// zero if every term underflows) and returns its entropy, counting only
// probabilities above entropyFloor.
func conditional(dist []float64, i int, beta float64, row []float64) float64 {
	var sum float64
	for j, dj := range dist {
		row[j] = 0
		if j != i {
			row[j] = math.Exp(-dj * beta)
		}
		sum += row[j]
	}
	var h float64
	for j := range row {
		if sum == 0 {
			row[j] = 0
		} else {
			row[j] /= sum
		}
		if row[j] > entropyFloor {
			h -= row[j] * math.Log(row[j])
		}
	}
	return h
}
