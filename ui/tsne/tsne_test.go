package tsne

import (
	"math"
	"strings"
	"testing"

	gotsne "github.com/danaugrs/go-tsne/tsne"
	"gonum.org/v1/gonum/mat"
)

// The dashboard's setting: 100 test images, 10 classes, 49 bottleneck features.
const (
	clusters   = 10
	perCluster = 10
	features   = 49
)

// TestKeepsClusterNeighbourhoods checks that the map keeps the labelled
// neighbourhoods of the original space: its 5-NN label agreement may not fall
// more than 0.05 below the 49-d one. The bound is one-sided because t-SNE
// tends to tighten clusters, so the map may agree more than the original.
func TestKeepsClusterNeighbourhoods(t *testing.T) {
	const k, tolerance = 5, 0.05
	tests := []struct {
		name      string
		centreStd float64 // spread of cluster centres; points have unit spread
	}{
		{"well separated", 3},
		{"touching", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			points, labels := gaussianClusters(7, clusters, perCluster, features, tc.centreStd)
			e := mustNew(t, points, DefaultOptions())
			e.Step(math.MaxInt)
			hi, lo, err := KNNAgreement(points, e.Points(), labels, k)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d-NN label agreement: %.3f in %d-d, %.3f in the map (KL %.4f)", k, hi, features, lo, e.Cost())
			if lo < hi-tolerance {
				t.Errorf("map agreement %.3f is more than %.2f below the original %.3f", lo, tolerance, hi)
			}
		})
	}
}

func TestSameSeedGivesSameMap(t *testing.T) {
	points, _ := gaussianClusters(3, clusters, perCluster, features, 3)
	a := mustNew(t, points, DefaultOptions())
	b := mustNew(t, points, DefaultOptions())
	a.Step(300)
	b.Step(300)
	pa, pb := a.Points(), b.Points()
	for i := range pa {
		if pa[i] != pb[i] {
			t.Fatalf("point %d: %v and %v from the same seed", i, pa[i], pb[i])
		}
	}
}

func TestDifferentSeedGivesDifferentMap(t *testing.T) {
	points, _ := gaussianClusters(3, clusters, perCluster, features, 3)
	opts := DefaultOptions()
	a := mustNew(t, points, opts)
	opts.Seed++
	b := mustNew(t, points, opts)
	a.Step(300)
	b.Step(300)
	if d := maxCoordinateDifference(a.Points(), b.Points()); d < 0.1 {
		t.Errorf("maps from seeds %d and %d differ by at most %g", opts.Seed-1, opts.Seed, d)
	}
}

func TestMapStaysBounded(t *testing.T) {
	const maxGrowth = 1.05
	points, _ := gaussianClusters(7, clusters, perCluster, features, 3)
	e := mustNew(t, points, DefaultOptions())
	e.Step(500)
	at500 := rmsRadius(e.Points())
	e.Step(500)
	at1000 := rmsRadius(e.Points())
	t.Logf("RMS radius: %.4f at iteration 500, %.4f at 1000", at500, at1000)
	if at1000 > maxGrowth*at500 {
		t.Errorf("map grew by a factor %.3f between iterations 500 and 1000, want < %.2f", at1000/at500, maxGrowth)
	}
}

// TestGoTSNEOptimiserKeepsSpreading documents why this package does not use
// go-tsne's own optimiser (see the package documentation): its accumulated
// gradient makes the map grow roughly linearly with the iteration count.
func TestGoTSNEOptimiserKeepsSpreading(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 1000 iterations of go-tsne")
	}
	const minGrowth = 1.5
	points, _ := gaussianClusters(7, clusters, perCluster, features, 3)
	d, err := scaledSquaredDistances(points)
	if err != nil {
		t.Fatal(err)
	}
	n := len(points)
	radius := map[int]float64{}
	var divergence float64
	g := gotsne.NewTSNE(2, 30, 100, 1000, false)
	g.EmbedDistances(mat.NewDense(n, n, d), func(iter int, kl float64, y mat.Matrix) bool {
		if iter+1 == 500 || iter+1 == 1000 {
			radius[iter+1] = rmsRadius(rowsOf(y))
			divergence = kl
		}
		return false
	})
	t.Logf("go-tsne RMS radius: %.4g at iteration 500, %.4g at 1000 (KL %.4f)", radius[500], radius[1000], divergence)
	if radius[1000] < minGrowth*radius[500] {
		t.Errorf("go-tsne's map grew by only %.3f between iterations 500 and 1000; has the accumulated gradient been fixed?", radius[1000]/radius[500])
	}
}

func TestStepIsIncremental(t *testing.T) {
	points, _ := gaussianClusters(5, clusters, perCluster, features, 1)
	opts := DefaultOptions()
	opts.Iterations = 105
	chunked := mustNew(t, points, opts)
	whole := mustNew(t, points, opts)
	for range 10 {
		if !chunked.Step(10) {
			t.Fatal("Step reported no iterations left before the end")
		}
	}
	whole.Step(100)
	if chunked.Iteration() != 100 || whole.Iteration() != 100 {
		t.Fatalf("iterations %d and %d, want 100", chunked.Iteration(), whole.Iteration())
	}
	if d := maxCoordinateDifference(chunked.Points(), whole.Points()); d != 0 {
		t.Errorf("ten Step(10) and one Step(100) differ by %g", d)
	}
	if chunked.Step(0) != true || chunked.Iteration() != 100 {
		t.Errorf("Step(0) ran iterations or reported none left")
	}
	if chunked.Step(10) || !chunked.Done() || chunked.Iteration() != 105 {
		t.Errorf("after the last iteration: Iteration %d, Done %v; want 105, true", chunked.Iteration(), chunked.Done())
	}
}

// A Builder stepped a few points at a time makes the Embedding New makes,
// bit for bit, and gives none before every point is searched.
func TestBuilderMatchesNew(t *testing.T) {
	points, _ := gaussianClusters(6, clusters, perCluster, features, 1)
	opts := DefaultOptions()
	opts.Iterations = 50
	b, err := NewBuilder(points, opts)
	if err != nil {
		t.Fatal(err)
	}
	steps := 0
	for b.Step(7) {
		steps++
		if _, err := b.Embedding(); err == nil {
			t.Fatal("an Embedding came before every point was searched")
		}
	}
	if want := (len(points)+6)/7 - 1; steps != want {
		t.Errorf("%d steps reported points left, want %d", steps, want)
	}
	built, err := b.Embedding()
	if err != nil {
		t.Fatal(err)
	}
	whole := mustNew(t, points, opts)
	built.Step(50)
	whole.Step(50)
	if d := maxCoordinateDifference(built.Points(), whole.Points()); d != 0 {
		t.Errorf("the built and the new embedding differ by %g after 50 iterations", d)
	}
	if _, err := NewBuilder(points[:2], opts); err == nil {
		t.Error("NewBuilder took 2 points")
	}
}

func TestPointsReturnsACopy(t *testing.T) {
	points, _ := gaussianClusters(5, 3, 5, 4, 3)
	opts := DefaultOptions()
	opts.Perplexity = 5
	e := mustNew(t, points, opts)
	p := e.Points()
	p[0] = [2]float64{1e9, 1e9}
	if e.Points()[0] == p[0] {
		t.Error("changing the slice from Points changed the embedding")
	}
}

func TestAffinitiesAreAJointDistribution(t *testing.T) {
	points, _ := gaussianClusters(9, clusters, perCluster, features, 1)
	e := mustNew(t, points, DefaultOptions())
	n := e.n
	var sum float64
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			p := e.p[i*n+j]
			if !(p > 0) || p != e.p[j*n+i] {
				t.Fatalf("p[%d][%d] = %g, p[%d][%d] = %g; want positive and symmetric", i, j, p, j, i, e.p[j*n+i])
			}
			sum += p
		}
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("P sums to %.12f, want 1", sum)
	}
}

// The perplexity search gives go-tsne's P (EmbedDistances with no
// iteration) bit for bit, on the dashboard's shape and on points that make
// the search hit its limits: coincident points, a perplexity near n−1,
// and a low one.
func TestAffinitiesMatchGoTSNE(t *testing.T) {
	spread, _ := gaussianClusters(9, clusters, perCluster, features, 1)
	tight, _ := gaussianClusters(4, 3, 4, 5, 0)
	coincident := [][]float64{{0, 0}, {0, 0}, {1, 0}, {0, 1}, {3, 3}}
	for _, tt := range []struct {
		name       string
		points     [][]float64
		perplexity float64
	}{
		{"dashboard", spread, 30},
		{"low perplexity", spread, 2},
		{"near n-1", tight, 10.5},
		{"coincident points", coincident, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, err := scaledSquaredDistances(tt.points)
			if err != nil {
				t.Fatal(err)
			}
			n := len(tt.points)
			got := jointAffinities(d, n, tt.perplexity)
			g := gotsne.NewTSNE(2, tt.perplexity, 1, 0, false)
			g.EmbedDistances(mat.NewDense(n, n, append([]float64(nil), d...)), nil)
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					if want := g.P.At(i, j); math.Float64bits(got[i*n+j]) != math.Float64bits(want) {
						t.Fatalf("P[%d][%d] = %.17g, go-tsne %.17g", i, j, got[i*n+j], want)
					}
				}
			}
		})
	}
}

func TestAffinitiesDoNotDependOnUnits(t *testing.T) {
	points, _ := gaussianClusters(9, clusters, perCluster, features, 1)
	scaled := make([][]float64, len(points))
	for i, row := range points {
		scaled[i] = make([]float64, len(row))
		for k, v := range row {
			scaled[i][k] = 1e8 * v
		}
	}
	a := mustNew(t, points, DefaultOptions())
	b := mustNew(t, scaled, DefaultOptions())
	for k := range a.p {
		if math.Abs(a.p[k]-b.p[k]) > 1e-9*a.p[k] {
			t.Fatalf("P entry %d is %g for the points and %g for the points ×1e8", k, a.p[k], b.p[k])
		}
	}
}

func TestCostIsKLDivergence(t *testing.T) {
	points, _ := gaussianClusters(2, 4, 5, 6, 2)
	opts := DefaultOptions()
	opts.Perplexity = 5
	e := mustNew(t, points, opts)
	e.Step(50)
	n := e.n
	q := make([]float64, n*n)
	var z float64
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i != j {
				q[i*n+j] = kernel(e.y, i, j)
				z += q[i*n+j]
			}
		}
	}
	var want float64
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i != j {
				p := e.p[i*n+j]
				want += p * math.Log(p/(q[i*n+j]/z))
			}
		}
	}
	if got := e.Cost(); math.Abs(got-want) > 1e-12*math.Abs(want) {
		t.Errorf("Cost() = %.15g, want %.15g", got, want)
	}
}

func TestGradientMatchesCost(t *testing.T) {
	points, _ := gaussianClusters(2, 4, 5, 6, 2)
	opts := DefaultOptions()
	opts.Perplexity = 5
	e := mustNew(t, points, opts)
	e.Step(150) // past early exaggeration, so the map is spread out
	z := e.accumulateForces(1)
	const h = 1e-6
	for k := range e.y {
		analytic := 4 * (e.attract[k] - e.repel[k]/z)
		saved := e.y[k]
		e.y[k] = saved + h
		up := e.Cost()
		e.y[k] = saved - h
		down := e.Cost()
		e.y[k] = saved
		numeric := (up - down) / (2 * h)
		if math.Abs(analytic-numeric) > 1e-6*max(1, math.Abs(numeric)) {
			t.Errorf("coordinate %d: gradient %.9g, finite difference %.9g", k, analytic, numeric)
		}
	}
}

func TestNewRejectsBadInput(t *testing.T) {
	good, _ := gaussianClusters(1, 2, 5, 3, 2) // 10 points
	withValue := func(v float64) [][]float64 {
		rows := clonePoints(good)
		rows[4][1] = v
		return rows
	}
	ragged := clonePoints(good)
	ragged[3] = ragged[3][:2]
	opts := func(change func(*Options)) Options {
		o := DefaultOptions()
		o.Perplexity = 3
		change(&o)
		return o
	}
	same := func(*Options) {}
	tests := []struct {
		name   string
		points [][]float64
		opts   Options
		want   string
	}{
		{"no points", nil, opts(same), "at least 3 points"},
		{"two points", good[:2], opts(same), "at least 3 points"},
		{"ragged rows", ragged, opts(same), "point 3 has 2 coordinates"},
		{"empty rows", [][]float64{{}, {}, {}}, opts(func(o *Options) { o.Perplexity = 1 }), "no coordinates"},
		{"NaN", withValue(math.NaN()), opts(same), "NaN"},
		{"infinity", withValue(math.Inf(-1)), opts(same), "-Inf"},
		{"overflowing distances", withValue(1e300), opts(same), "overflow"},
		{"zero perplexity", good, opts(func(o *Options) { o.Perplexity = 0 }), "perplexity"},
		{"perplexity below 1", good, opts(func(o *Options) { o.Perplexity = 0.5 }), "perplexity"},
		{"perplexity n-1", good, opts(func(o *Options) { o.Perplexity = 9 }), "perplexity"},
		{"perplexity above n", good, opts(func(o *Options) { o.Perplexity = 30 }), "perplexity"},
		{"NaN perplexity", good, opts(func(o *Options) { o.Perplexity = math.NaN() }), "perplexity"},
		{"zero iterations", good, opts(func(o *Options) { o.Iterations = 0 }), "iterations"},
		{"negative iterations", good, opts(func(o *Options) { o.Iterations = -5 }), "iterations"},
		{"zero learning rate", good, opts(func(o *Options) { o.LearningRate = 0 }), "learning rate"},
		{"NaN learning rate", good, opts(func(o *Options) { o.LearningRate = math.NaN() }), "learning rate"},
		{"infinite learning rate", good, opts(func(o *Options) { o.LearningRate = math.Inf(1) }), "learning rate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := New(tc.points, tc.opts)
			if err == nil {
				t.Fatalf("New succeeded (%v), want an error containing %q", e != nil, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
	if _, err := New(good, opts(same)); err != nil {
		t.Errorf("valid input rejected: %v", err)
	}
}

func mustNew(t *testing.T, points [][]float64, opts Options) *Embedding {
	t.Helper()
	e, err := New(points, opts)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func clonePoints(points [][]float64) [][]float64 {
	out := make([][]float64, len(points))
	for i, row := range points {
		out[i] = append([]float64(nil), row...)
	}
	return out
}

func maxCoordinateDifference(a, b [][2]float64) float64 {
	var d float64
	for i := range a {
		d = max(d, math.Abs(a[i][0]-b[i][0]), math.Abs(a[i][1]-b[i][1]))
	}
	return d
}

func rowsOf(y mat.Matrix) [][2]float64 {
	n, _ := y.Dims()
	out := make([][2]float64, n)
	for i := range out {
		out[i] = [2]float64{y.At(i, 0), y.At(i, 1)}
	}
	return out
}

func BenchmarkIteration(b *testing.B) {
	points, _ := gaussianClusters(7, clusters, perCluster, features, 3)
	opts := DefaultOptions()
	opts.Iterations = math.MaxInt
	e, err := New(points, opts)
	if err != nil {
		b.Fatal(err)
	}
	e.Step(300) // a settled map, past the early phase
	b.ReportAllocs()
	for b.Loop() {
		e.Step(1)
	}
}

func BenchmarkNew(b *testing.B) {
	points, _ := gaussianClusters(7, clusters, perCluster, features, 3)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(points, DefaultOptions()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCost(b *testing.B) {
	points, _ := gaussianClusters(7, clusters, perCluster, features, 3)
	e, err := New(points, DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	e.Step(300)
	for b.Loop() {
		e.Cost()
	}
}
