// Package nn is ConvLab's convolutional neural network, written from scratch:
// layers with forward and backward passes, the homework network, three
// optimizers, a time-sliceable training loop with per-epoch metrics, the
// introspection the dashboard draws, and a versioned model file format.
//
// All arithmetic is float64. Tensors are flat slices in channel-major order
// (C×H×W for one image), and a batch is the images laid one after another.
// The dense and convolution layers (convolution through im2col) multiply
// matrices with the small kernels in matmul.go: plain Go loops, the same
// code natively and under WebAssembly.
//
// Under WebAssembly, when the host provides them, the layers run their hot
// loops in WebAssembly SIMD kernels instead (simd/kernels.wat, loaded by
// simd/kernels.js; see simd.go). The kernels do every floating-point
// operation of the Go loops in the same order, so results are bit-identical
// on both paths. A Go program built for GOOS=js with this package imports
// them, so its host must use simd/kernels.js (or, under Node.js,
// simd/node_exec).
//
// Nothing in this package uses global mutable state: randomness comes from a
// seeded source held by whoever needs it, so a run is reproducible from its
// seed.
package nn
