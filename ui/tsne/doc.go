// Package tsne lays out high-dimensional points in two dimensions with
// t-distributed stochastic neighbour embedding (t-SNE; L. van der Maaten and
// G. Hinton, "Visualizing Data using t-SNE", JMLR 9, 2008). The dashboard uses
// it to draw the bottleneck features of the test images.
//
// An [Embedding] is optimised incrementally: [Embedding.Step] runs a few
// iterations and returns, so a single-threaded caller (the browser gives Go
// one thread) can advance the map a little every frame and animate it as it
// settles. An iteration for 100 points takes about 25 µs natively and 70 µs
// under WebAssembly and allocates nothing; creating the Embedding (the
// perplexity search) is a one-off 5 ms, 20-30 ms under WebAssembly.
//
// # What follows github.com/danaugrs/go-tsne, and why nothing is imported
//
// Line numbers below refer to tsne/tsne.go of go-tsne
// v0.0.0-20200708172100-6b7d1d577fd3.
//
// The joint affinities P follow the rules of go-tsne's unexported d2p
// (lines 106-187): for every point, a binary search on the precision of a
// Gaussian kernel until the conditional distribution has the requested
// perplexity, then symmetrise P, divide it by 2n and floor every entry at
// 1e-12 (lines 182-186). This package computes them itself
// (jointAffinities), with the same arithmetic in the same order, and
// TestAffinitiesMatchGoTSNE checks that the result is go-tsne's bit for
// bit: importing go-tsne would link gonum's matrix, BLAS and LAPACK code
// into the page, 0.74 MiB of its gzip-compressed download, for one n×n
// matrix. go-tsne stays a dependency of the tests only.
//
// Its optimiser is not followed, because in that version:
//
//   - The gradient is never reset. initSolution allocates tsne.dCdY once
//     (line 90); costGradient adds every new gradient into it (lines
//     264-273, orig+m*yDiff at lines 269-270) and nothing clears it; run
//     steps by learningRate times that buffer (lines 197-200). Each step
//     therefore moves the map by the sum of all earlier gradients, which is
//     momentum 1 with no damping, and the map keeps spreading outwards.
//   - run (lines 191-219) is plain gradient descent: no momentum schedule,
//     no per-parameter gains and no early exaggeration.
//   - The initial layout comes from RandNormal (lines 283-286), which uses the
//     global math/rand source. That source is seeded randomly since Go 1.20
//     and rand.Seed is a no-op since Go 1.24 (unless GODEBUG=randseednop=0),
//     so a map cannot be reproduced.
//   - Every iteration allocates about half a dozen n×n matrices (lines
//     231-259) plus an n×d one (line 197), which costs time and garbage
//     collection under WebAssembly.
//
// The squared distances the search starts from are computed directly as
// Σ(x_k−y_k)², not with go-tsne's SquaredDistanceMatrix (lines 308-331),
// whose expansion |x|²+|y|²−2x·y loses precision by cancellation when points
// lie far from the origin compared with their distance (it can even return
// small negative values). They are then divided by the largest one, which
// leaves P unchanged in principle (the searched precision absorbs any scale)
// but keeps the search inside its working range whatever the units of the
// features: it starts at precision 1 (go-tsne's line 126), moves by
// doubling or halving, stops after 50 steps (line 20) and lets exp(−d·β)
// underflow to zero (lines 136, 145-146). Measured on the test clusters
// (largest squared distance 1.6e3), searching on the raw squared distances
// multiplied by 1e-12 … 1e6 gives the same P within 3e-5 relative, but ×1e9
// is off by 2e-3 and ×1e12 by a factor of about 5.
//
// # The optimiser
//
// Each iteration performs the update described in the 2008 paper and used by
// van der Maaten's reference implementation:
//
//   - q_ij = w_ij / Σ_{k≠l} w_kl with the Student-t kernel
//     w_ij = (1 + |y_i − y_j|²)⁻¹;
//   - gradient ∂C/∂y_i = 4 Σ_j (α·p_ij − q_ij) w_ij (y_i − y_j), where the
//     early exaggeration α is 4 for the first 100 iterations and 1 after;
//   - per-coordinate gains: +0.2 when the gradient's sign differs from the
//     sign of the previous update, ×0.8 otherwise, never below 0.01;
//   - velocity v ← μ·v − η·gain·gradient with momentum μ = 0.5 for the
//     first 250 iterations and 0.8 after, and y ← y + v;
//   - the map is re-centred on the origin after every step.
//
// The initial layout is drawn from N(0, σ²) with σ = 1e-4 (go-tsne's
// InitialStandardDeviation, as in the reference implementation) using a
// PCG generator seeded from [Options.Seed], so the same points and options
// always give the same map.
package tsne
