package nn

import "unsafe"

// The layers' SIMD path. Under WebAssembly, when the host has attached the
// SIMD kernels (simd/kernels.wat, loaded by simd/kernels.js), each layer's
// Forward and Backward hands its whole batch to one kernel call instead of
// running the Go loops; natively, and in a browser without WebAssembly
// SIMD, the Go loops run. The kernels compute every value with the same
// floating-point operations in the same order as the Go loops, so both
// paths give bit-identical results (kernels.wat argues it operation by
// operation; simd_test.go checks it). A layer's simd field is set once, by
// its constructor, from simdEnabled.

// addr is the address of a slice's first element, as the kernels take it.
func addr[T any](s []T) unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(s)) }

// i32 converts a size to the kernels' int32; every size here is far below
// 2³¹ (a WebAssembly memory has at most 2³² bytes).
func i32(n int) int32 { return int32(n) }

// convPadded returns the geometry of the padded planes the convolution
// kernels work on: rows ph, pitch pw, and the slack they may read past the
// last plane.
func (c *Conv2D) convPadded() (ph, pw, slack int) {
	return c.in.H + 2*c.pad, c.in.W + 2*c.pad, c.k + 8
}

// forwardSIMD is Forward in one kernel call; it keeps the padded input
// for Backward.
func (c *Conv2D) forwardSIMD() {
	if c.batch == 0 {
		return
	}
	ph, pw, slack := c.convPadded()
	c.padded = grow(c.padded, c.batch*c.in.C*ph*pw+slack)
	c.scratch = grow(c.scratch, 2*(c.in.H*pw+8)) // two output planes
	simdConvForward(addr(c.input), addr(c.padded), addr(c.Weight.Value), addr(c.Bias.Value), addr(c.out), addr(c.scratch),
		i32(c.batch), i32(c.in.C), i32(c.in.H), i32(c.in.W), i32(c.outC), i32(c.k))
}

// backwardSIMD is Backward in one kernel call.
func (c *Conv2D) backwardSIMD(gradOut []float64, wantInput bool) {
	if c.batch == 0 {
		return
	}
	ph, pw, slack := c.convPadded()
	h, w := c.in.H, c.in.W
	plane, gpad, list := max(h*pw+8, 12), c.outC*ph*pw+slack, 2*h*w
	c.scratch = grow(c.scratch, plane+gpad+list)
	simdConvBackward(addr(c.padded), addr(gradOut), addr(c.Weight.Value), addr(c.Weight.Grad), addr(c.Bias.Grad),
		addr(c.gradIn), addr(c.scratch[plane:]), addr(c.scratch[plane+gpad:]), addr(c.scratch),
		i32(c.batch), i32(c.in.C), i32(h), i32(w), i32(c.outC), i32(c.k), flag(wantInput))
}

// forwardSIMD is Forward in one kernel call.
func (d *Dense) forwardSIMD() {
	n := d.in.Size()
	d.scratch = grow(d.scratch, n*d.outN+d.outN)
	simdDenseForward(addr(d.input), addr(d.Weight.Value), addr(d.Bias.Value), addr(d.out), addr(d.scratch),
		i32(d.batch), i32(n), i32(d.outN))
}

// backwardSIMD is Backward in one kernel call.
func (d *Dense) backwardSIMD(gradOut []float64, wantInput bool) {
	simdDenseBackward(addr(d.input), addr(d.Weight.Value), addr(gradOut), addr(d.Weight.Grad), addr(d.Bias.Grad),
		addr(d.gradIn), i32(d.batch), i32(d.in.Size()), i32(d.outN), flag(wantInput))
}

// flag is a bool as the kernels take it.
func flag(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

// SIMD reports whether layers built now run in the WebAssembly SIMD kernels:
// true only under WebAssembly when the host attached them.
func SIMD() bool { return simdEnabled }
