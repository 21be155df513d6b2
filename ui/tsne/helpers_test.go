package tsne

import (
	"math"
	"math/rand/v2"
)

// gaussianClusters returns clusters×perCluster points in dim dimensions and
// their cluster labels. Cluster centres are drawn from N(0, centreStd²) per
// coordinate and points from N(centre, 1), all from a PCG seeded with seed.
func gaussianClusters(seed uint64, clusters, perCluster, dim int, centreStd float64) ([][]float64, []int) {
	rng := rand.New(rand.NewPCG(seed, 0))
	var points [][]float64
	var labels []int
	for c := 0; c < clusters; c++ {
		centre := make([]float64, dim)
		for k := range centre {
			centre[k] = centreStd * rng.NormFloat64()
		}
		for range perCluster {
			p := make([]float64, dim)
			for k := range p {
				p[k] = centre[k] + rng.NormFloat64()
			}
			points = append(points, p)
			labels = append(labels, c)
		}
	}
	return points, labels
}

// rmsRadius returns the root-mean-square distance of the points from their mean.
func rmsRadius(points [][2]float64) float64 {
	var mx, my float64
	for _, p := range points {
		mx += p[0]
		my += p[1]
	}
	n := float64(len(points))
	mx, my = mx/n, my/n
	var s float64
	for _, p := range points {
		s += (p[0]-mx)*(p[0]-mx) + (p[1]-my)*(p[1]-my)
	}
	return math.Sqrt(s / n)
}
