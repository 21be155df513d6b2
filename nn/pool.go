package nn

import "fmt"

// MaxPool is 2×2 max pooling with stride 2. Each output is the largest of
// its four inputs; Backward sends the whole gradient to that input alone.
// Ties go to the first of the window in reading order (top-left, top-right,
// bottom-left, bottom-right), so the routing is deterministic.
type MaxPool struct {
	name   string
	in     Shape
	argmax []int32 // input offset (within the example) of each output's max
	batch  int
	out    []float64
	gradIn []float64
	simd   bool // run in the WebAssembly SIMD kernels (simd.go)
}

// NewMaxPool returns a 2×2, stride-2 max pool. Height and width must be even.
func NewMaxPool(name string, in Shape) (*MaxPool, error) {
	if in.Size() <= 0 || in.H%2 != 0 || in.W%2 != 0 {
		return nil, fmt.Errorf("maxpool %s: input %v must have even height and width", name, in)
	}
	return &MaxPool{name: name, in: in, simd: simdEnabled}, nil
}

// Name returns the layer's name.
func (p *MaxPool) Name() string { return p.name }

// InShape returns the shape of one input example.
func (p *MaxPool) InShape() Shape { return p.in }

// OutShape returns the halved shape.
func (p *MaxPool) OutShape() Shape { return Shape{p.in.C, p.in.H / 2, p.in.W / 2} }

// Params returns nil: pooling has no parameters.
func (p *MaxPool) Params() []*Param { return nil }

// Forward takes the maximum of every 2×2 window.
func (p *MaxPool) Forward(in []float64, batch int) []float64 {
	p.batch = batch
	inSize, outSize := p.in.Size(), p.OutShape().Size()
	p.out = grow(p.out, batch*outSize)
	if cap(p.argmax) < batch*outSize {
		p.argmax = make([]int32, batch*outSize)
	}
	p.argmax = p.argmax[:batch*outSize]
	if p.simd {
		simdPoolForward(addr(in[:batch*inSize]), addr(p.out), addr(p.argmax), i32(batch), i32(p.in.C), i32(p.in.H), i32(p.in.W))
		return p.out
	}
	for b := 0; b < batch; b++ {
		p.forwardOne(in[b*inSize:(b+1)*inSize], p.out[b*outSize:(b+1)*outSize], p.argmax[b*outSize:(b+1)*outSize])
	}
	return p.out
}

func (p *MaxPool) forwardOne(in, out []float64, argmax []int32) {
	w, oh, ow := p.in.W, p.in.H/2, p.in.W/2
	o := 0
	for c := 0; c < p.in.C; c++ {
		base := c * p.in.H * w
		for y := 0; y < oh; y++ {
			for x := 0; x < ow; x++ {
				i0 := base + 2*y*w + 2*x
				best, at := in[i0], i0
				for _, i := range [3]int{i0 + 1, i0 + w, i0 + w + 1} {
					if in[i] > best {
						best, at = in[i], i
					}
				}
				out[o], argmax[o] = best, int32(at)
				o++
			}
		}
	}
}

// Backward routes each output gradient to the input that was the maximum.
func (p *MaxPool) Backward(gradOut []float64, wantInput bool) []float64 {
	if !wantInput {
		return nil
	}
	inSize, outSize := p.in.Size(), p.OutShape().Size()
	p.gradIn = grow(p.gradIn, p.batch*inSize)
	if p.simd {
		simdPoolBackward(addr(gradOut[:p.batch*outSize]), addr(p.argmax), addr(p.gradIn), i32(p.batch), i32(inSize), i32(outSize))
		return p.gradIn
	}
	clear(p.gradIn)
	for b := 0; b < p.batch; b++ {
		gi := p.gradIn[b*inSize : (b+1)*inSize]
		for o, at := range p.argmax[b*outSize : (b+1)*outSize] {
			gi[at] += gradOut[b*outSize+o]
		}
	}
	return p.gradIn
}
