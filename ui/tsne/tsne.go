package tsne

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Schedule of the optimiser (van der Maaten & Hinton, 2008, and the
// reference implementation).
const (
	earlyExaggeration       = 4.0 // factor on P during the first iterations
	exaggerationIterations  = 100 // iterations with exaggerated P
	initialMomentum         = 0.5
	finalMomentum           = 0.8
	momentumSwitchIteration = 250 // first iteration with finalMomentum
	gainIncrease            = 0.2 // added when the gradient changes direction
	gainDecay               = 0.8 // factor when it keeps its direction
	minGain                 = 0.01
)

// initialSpread is the standard deviation of the initial layout's
// coordinates (as in the reference implementation and go-tsne).
const initialSpread = 1e-4

// pcgStream is the fixed second word of the PCG state; Options.Seed is the first.
const pcgStream = 0x7473_6e65 // "tsne"

// Options configures an Embedding.
type Options struct {
	// Perplexity is the effective number of neighbours each point's
	// Gaussian kernel is tuned to. It must be at least 1 and less than n−1,
	// the perplexity of a uniform distribution over the other n−1 points.
	Perplexity float64
	// Iterations is the total number of gradient steps; it must be positive.
	Iterations int
	// Seed selects the random initial layout.
	Seed uint64
	// LearningRate scales each step; it must be positive and finite.
	LearningRate float64
}

// DefaultOptions returns the options used for the dashboard's 100 points:
// perplexity 30, 1000 iterations (as in the 2008 paper), seed 1 and learning
// rate 100.
//
// The learning rate is the paper's. Measured on 10 Gaussian clusters of 10
// points in 49-d, rates from 10 to 400 all settle by iteration 250 on the
// same map quality (KL 0.025-0.032, every 5-NN label kept); 500 does not
// settle (the map grows to some 30 times the size and KL stays above 0.2).
// Within the stable range a larger rate opens the map sooner: on
// overlapping clusters a rate of 10 (close to the n/12 rule of thumb for
// large data sets) leaves the map collapsed until early exaggeration ends at
// iteration 100, while 100 has spread it by then, which animates better.
func DefaultOptions() Options {
	return Options{Perplexity: 30, Iterations: 1000, Seed: 1, LearningRate: 100}
}

// Embedding is a t-SNE map being optimised. Create one with New and advance
// it with Step. An Embedding is not safe for concurrent use.
type Embedding struct {
	n            int
	iterations   int
	learningRate float64
	iter         int // iterations completed

	p        []float64 // n×n joint affinities, row-major, symmetric, summing to 1
	y        []float64 // n×2 map coordinates, row-major
	velocity []float64 // n×2 previous update
	gains    []float64 // n×2 per-coordinate step multipliers
	attract  []float64 // n×2 scratch: Σ_j α p_ij w_ij (y_i − y_j)
	repel    []float64 // n×2 scratch: Σ_j w_ij² (y_i − y_j)
}

// New computes the affinities of points (n rows of equal length, all finite,
// n ≥ 3) and returns an Embedding at iteration 0 with a random initial
// layout drawn from opts.Seed.
//
// For 100 points the perplexity search takes about 5 ms natively and
// 20-30 ms under WebAssembly, one or two frames; a Builder does the same
// work a few points at a time.
func New(points [][]float64, opts Options) (*Embedding, error) {
	b, err := NewBuilder(points, opts)
	if err != nil {
		return nil, err
	}
	b.Step(len(points))
	return b.Embedding()
}

// Builder makes an Embedding as New does, bit for bit, with the
// perplexity search (the long part) split into Steps of a few points each,
// for a caller that must not block a frame.
type Builder struct {
	opts   Options
	n      int
	d      []float64 // n×n scaled squared distances
	cond   []float64 // n×n conditional affinities, row i: p_j|i, filled up to row next
	next   int       // the next point whose precision to search
	target float64   // log perplexity
}

// NewBuilder checks points and opts as New does and computes the
// distances between the points.
func NewBuilder(points [][]float64, opts Options) (*Builder, error) {
	if err := validateOptions(opts, len(points)); err != nil {
		return nil, err
	}
	d, err := scaledSquaredDistances(points)
	if err != nil {
		return nil, err
	}
	n := len(points)
	return &Builder{opts: opts, n: n, d: d, cond: make([]float64, n*n), target: math.Log(opts.Perplexity)}, nil
}

// Step searches the precisions of up to k more points and reports whether
// points remain.
func (b *Builder) Step(k int) bool {
	for ; k > 0 && b.next < b.n; k-- {
		i := b.next
		searchPrecision(b.d[i*b.n:(i+1)*b.n], i, b.target, b.cond[i*b.n:(i+1)*b.n])
		b.next++
	}
	return b.next < b.n
}

// Embedding returns the Embedding at iteration 0 once every point's
// precision has been searched (Step has reported none remain).
func (b *Builder) Embedding() (*Embedding, error) {
	if b.next < b.n {
		return nil, fmt.Errorf("tsne: the affinities of %d of %d points are still to be searched", b.n-b.next, b.n)
	}
	opts, n := b.opts, b.n
	e := &Embedding{
		n:            n,
		iterations:   opts.Iterations,
		learningRate: opts.LearningRate,
		p:            symmetrise(b.cond, n),
		y:            make([]float64, 2*n),
		velocity:     make([]float64, 2*n),
		gains:        make([]float64, 2*n),
		attract:      make([]float64, 2*n),
		repel:        make([]float64, 2*n),
	}
	rng := rand.New(rand.NewPCG(opts.Seed, pcgStream))
	for k := range e.y {
		e.y[k] = rng.NormFloat64() * initialSpread
		e.gains[k] = 1
	}
	e.recentre()
	return e, nil
}

// validateOptions checks opts for a data set of n points.
func validateOptions(opts Options, n int) error {
	if n < 3 {
		return fmt.Errorf("tsne: need at least 3 points, got %d", n)
	}
	if opts.Iterations <= 0 {
		return fmt.Errorf("tsne: iterations must be positive, got %d", opts.Iterations)
	}
	if !(opts.LearningRate > 0) || math.IsInf(opts.LearningRate, 1) {
		return fmt.Errorf("tsne: learning rate must be positive and finite, got %v", opts.LearningRate)
	}
	if !(opts.Perplexity >= 1 && opts.Perplexity < float64(n-1)) {
		return fmt.Errorf("tsne: perplexity must be in [1, %d) for %d points, got %v", n-1, n, opts.Perplexity)
	}
	return nil
}

// Step runs up to n more iterations (none if n ≤ 0) and reports whether
// iterations remain.
func (e *Embedding) Step(n int) bool {
	for ; n > 0 && e.iter < e.iterations; n-- {
		e.iterate()
	}
	return !e.Done()
}

// Iteration returns the number of iterations completed.
func (e *Embedding) Iteration() int { return e.iter }

// Done reports whether all Options.Iterations iterations have run.
func (e *Embedding) Done() bool { return e.iter >= e.iterations }

// Points returns a copy of the current map, one point per input row. The map
// is centred on the origin; its scale is arbitrary, so callers fit it to
// their drawing area.
func (e *Embedding) Points() [][2]float64 {
	out := make([][2]float64, e.n)
	for i := range out {
		out[i] = [2]float64{e.y[2*i], e.y[2*i+1]}
	}
	return out
}

// Cost returns the Kullback-Leibler divergence KL(P‖Q) of the current map,
// using the un-exaggerated P. It takes a logarithm per pair of points, a few
// times the cost of an iteration natively and about 0.5 ms for 100 points
// under WebAssembly, so call it when the value is wanted, not every frame.
func (e *Embedding) Cost() float64 {
	n, y := e.n, e.y
	var z float64 // Σ_{i<j} w_ij
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			z += kernel(y, i, j)
		}
	}
	z *= 2
	var kl float64
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			p := e.p[i*n+j]
			kl += p * math.Log(p*z/kernel(y, i, j))
		}
	}
	return 2 * kl // each unordered pair stands for p_ij and p_ji
}

// kernel returns the Student-t kernel (1 + |y_i − y_j|²)⁻¹.
func kernel(y []float64, i, j int) float64 {
	dx, dy := y[2*i]-y[2*j], y[2*i+1]-y[2*j+1]
	return 1 / (1 + dx*dx + dy*dy)
}

// iterate performs one gradient step.
func (e *Embedding) iterate() {
	exaggeration, momentum := 1.0, finalMomentum
	if e.iter < exaggerationIterations {
		exaggeration = earlyExaggeration
	}
	if e.iter < momentumSwitchIteration {
		momentum = initialMomentum
	}
	z := e.accumulateForces(exaggeration)
	for k := range e.y {
		grad := 4 * (e.attract[k] - e.repel[k]/z)
		e.gains[k] = updatedGain(e.gains[k], grad, e.velocity[k])
		e.velocity[k] = momentum*e.velocity[k] - e.learningRate*e.gains[k]*grad
		e.y[k] += e.velocity[k]
	}
	e.recentre()
	e.iter++
}

// accumulateForces fills e.attract and e.repel for the current map and
// returns the normalisation Z = Σ_{i≠j} w_ij. With q_ij = w_ij/Z the
// gradient of point i is 4 Σ_j (α p_ij − q_ij) w_ij (y_i − y_j)
// = 4 (attract_i − repel_i/Z), so one pass over the pairs suffices.
func (e *Embedding) accumulateForces(exaggeration float64) float64 {
	clear(e.attract)
	clear(e.repel)
	n, y := e.n, e.y
	var z float64
	for i := 0; i < n; i++ {
		xi, yi := y[2*i], y[2*i+1]
		row := e.p[i*n : (i+1)*n]
		for j := i + 1; j < n; j++ {
			dx, dy := xi-y[2*j], yi-y[2*j+1]
			w := 1 / (1 + dx*dx + dy*dy)
			z += w
			a := exaggeration * row[j] * w
			r := w * w
			e.attract[2*i] += a * dx
			e.attract[2*i+1] += a * dy
			e.attract[2*j] -= a * dx
			e.attract[2*j+1] -= a * dy
			e.repel[2*i] += r * dx
			e.repel[2*i+1] += r * dy
			e.repel[2*j] -= r * dx
			e.repel[2*j+1] -= r * dy
		}
	}
	return 2 * z
}

// updatedGain grows a coordinate's gain while its gradient keeps opposing
// the previous update (the descent direction is stable) and shrinks it once
// they agree (the step overshot).
func updatedGain(gain, grad, velocity float64) float64 {
	if sign(grad) != sign(velocity) {
		gain += gainIncrease
	} else {
		gain *= gainDecay
	}
	return max(gain, minGain)
}

// sign returns −1, 0 or +1.
func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// recentre translates the map so that its mean is the origin.
func (e *Embedding) recentre() {
	var mx, my float64
	for i := 0; i < e.n; i++ {
		mx += e.y[2*i]
		my += e.y[2*i+1]
	}
	mx /= float64(e.n)
	my /= float64(e.n)
	for i := 0; i < e.n; i++ {
		e.y[2*i] -= mx
		e.y[2*i+1] -= my
	}
}
