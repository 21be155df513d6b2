package nn

// ReLU is the rectified linear unit max(0, x), applied elementwise. Its
// gradient at exactly 0 is taken as 0.
type ReLU struct {
	name   string
	shape  Shape
	out    []float64
	gradIn []float64
	simd   bool // run in the WebAssembly SIMD kernels (simd.go)
}

// NewReLU returns a ReLU for examples of the given shape.
func NewReLU(name string, shape Shape) *ReLU {
	return &ReLU{name: name, shape: shape, simd: simdEnabled}
}

// Name returns the layer's name.
func (r *ReLU) Name() string { return r.name }

// InShape returns the shape of one example.
func (r *ReLU) InShape() Shape { return r.shape }

// OutShape returns the shape of one example (unchanged).
func (r *ReLU) OutShape() Shape { return r.shape }

// Params returns nil: ReLU has no parameters.
func (r *ReLU) Params() []*Param { return nil }

// Forward applies max(0, x).
func (r *ReLU) Forward(in []float64, batch int) []float64 {
	n := batch * r.shape.Size()
	r.out = grow(r.out, n)
	if r.simd {
		simdReLUForward(addr(in), addr(r.out), i32(n))
		return r.out
	}
	for i, v := range in[:n] {
		r.out[i] = max(v, 0)
	}
	return r.out
}

// Backward passes the gradient through where the output was positive.
func (r *ReLU) Backward(gradOut []float64, wantInput bool) []float64 {
	if !wantInput {
		return nil
	}
	r.gradIn = grow(r.gradIn, len(r.out))
	if r.simd {
		simdReLUBackward(addr(r.out), addr(gradOut[:len(r.out)]), addr(r.gradIn), i32(len(r.out)))
		return r.gradIn
	}
	for i, y := range r.out {
		if y > 0 {
			r.gradIn[i] = gradOut[i]
		} else {
			r.gradIn[i] = 0
		}
	}
	return r.gradIn
}

// Flatten turns a C×H×W example into a vector of C·H·W values. The data is
// already flat in memory, so it only changes the shape.
type Flatten struct {
	name string
	in   Shape
}

// NewFlatten returns a flatten layer for examples of the given shape.
func NewFlatten(name string, in Shape) *Flatten { return &Flatten{name: name, in: in} }

// Name returns the layer's name.
func (f *Flatten) Name() string { return f.name }

// InShape returns the shape of one input example.
func (f *Flatten) InShape() Shape { return f.in }

// OutShape returns Shape{C·H·W, 1, 1}.
func (f *Flatten) OutShape() Shape { return Shape{f.in.Size(), 1, 1} }

// Params returns nil: Flatten has no parameters.
func (f *Flatten) Params() []*Param { return nil }

// Forward returns its input unchanged.
func (f *Flatten) Forward(in []float64, batch int) []float64 { return in[:batch*f.in.Size()] }

// Backward returns the gradient unchanged.
func (f *Flatten) Backward(gradOut []float64, wantInput bool) []float64 {
	if !wantInput {
		return nil
	}
	return gradOut
}
