package nn

import "fmt"

// Dense is a fully connected layer: out = W·in + b, with Weight of shape
// [out, in] and Bias of shape [out]. It accepts any input shape and treats
// each example as a vector.
type Dense struct {
	name   string
	in     Shape
	outN   int
	Weight *Param
	Bias   *Param
	input  []float64
	batch  int
	out    []float64
	gradIn []float64

	simd    bool      // run in the WebAssembly SIMD kernels (simd.go)
	scratch []float64 // SIMD: the kernels' scratch space
}

// NewDense returns a fully connected layer from in.Size() inputs to out
// outputs.
func NewDense(name string, in Shape, out int) (*Dense, error) {
	if in.Size() <= 0 || out <= 0 {
		return nil, fmt.Errorf("dense %s: need positive sizes, got %v → %d", name, in, out)
	}
	return &Dense{
		name: name, in: in, outN: out,
		Weight: newParam(name+".weight", out, in.Size()),
		Bias:   newParam(name+".bias", out),
		simd:   simdEnabled,
	}, nil
}

// Name returns the layer's name.
func (d *Dense) Name() string { return d.name }

// InShape returns the shape of one input example.
func (d *Dense) InShape() Shape { return d.in }

// OutShape returns Shape{out, 1, 1}.
func (d *Dense) OutShape() Shape { return Shape{d.outN, 1, 1} }

// Params returns the weight and the bias.
func (d *Dense) Params() []*Param { return []*Param{d.Weight, d.Bias} }

// Forward computes W·x + b for every example of the batch.
func (d *Dense) Forward(in []float64, batch int) []float64 {
	d.input, d.batch = in[:batch*d.in.Size()], batch
	d.out = grow(d.out, batch*d.outN)
	if d.simd {
		d.forwardSIMD()
	} else {
		d.forwardGo()
	}
	return d.out
}

// Backward accumulates the weight and bias gradients and, if asked, returns
// Wᵀ·gradOut for every example.
func (d *Dense) Backward(gradOut []float64, wantInput bool) []float64 {
	gradOut = gradOut[:d.batch*d.outN]
	if wantInput {
		d.gradIn = grow(d.gradIn, d.batch*d.in.Size())
	}
	if d.simd {
		d.backwardSIMD(gradOut, wantInput)
	} else {
		d.backwardGo(gradOut, wantInput)
	}
	if !wantInput {
		return nil
	}
	return d.gradIn
}

// forwardGo is Forward in Go.
func (d *Dense) forwardGo() {
	for b := 0; b < d.batch; b++ {
		copy(d.out[b*d.outN:(b+1)*d.outN], d.Bias.Value)
	}
	mulAddTransB(d.batch, d.outN, d.in.Size(), d.input, d.Weight.Value, d.out)
}

// backwardGo is Backward in Go.
func (d *Dense) backwardGo(g []float64, wantInput bool) {
	// ∂L/∂W += ∂L/∂outᵀ · x
	mulAddTransA(d.outN, d.in.Size(), d.batch, g, d.input, d.Weight.Grad)
	for b := 0; b < d.batch; b++ {
		for j, v := range g[b*d.outN : (b+1)*d.outN] {
			d.Bias.Grad[j] += v
		}
	}
	if wantInput {
		clear(d.gradIn)
		mulAdd(d.batch, d.in.Size(), d.outN, g, d.Weight.Value, d.gradIn) // ∂L/∂x = ∂L/∂out · W
	}
}
