package nn

import "fmt"

// Conv2D is a 2-D convolution with stride 1 and "same" zero padding, so the
// output has the input's height and width. Its Weight has shape
// [out channels, in channels, k, k] and its Bias one value per output channel.
//
// In Go it computes each example as one matrix product: the input is
// unrolled into a (in·k·k)×(h·w) matrix of patches (im2col) and multiplied
// by the out×(in·k·k) weight matrix (see matmul.go). The SIMD kernels
// (simd.go) convolve a zero-padded copy of the input directly, with the
// same arithmetic.
type Conv2D struct {
	name   string
	in     Shape
	outC   int
	k, pad int
	Weight *Param
	Bias   *Param

	input    []float64 // last Forward's input (not owned)
	batch    int
	cols     []float64 // patch matrices: one per example of a small batch, else one scratch
	cached   bool      // cols holds every example of the last Forward
	gradCols []float64 // gradient w.r.t. cols, one example
	out      []float64
	gradIn   []float64

	simd    bool      // run in the WebAssembly SIMD kernels (simd.go)
	padded  []float64 // SIMD: the zero-padded input of the last Forward
	scratch []float64 // SIMD: the kernels' scratch space
}

// NewConv2D returns a convolution from in to outC channels with k×k kernels.
// k must be odd so that same padding is symmetric.
func NewConv2D(name string, in Shape, outC, k int) (*Conv2D, error) {
	if in.Size() <= 0 || outC <= 0 || k <= 0 || k%2 == 0 {
		return nil, fmt.Errorf("conv %s: need positive input %v, out channels %d and an odd kernel size %d", name, in, outC, k)
	}
	return &Conv2D{
		name: name, in: in, outC: outC, k: k, pad: k / 2,
		Weight: newParam(name+".weight", outC, in.C, k, k),
		Bias:   newParam(name+".bias", outC),
		simd:   simdEnabled,
	}, nil
}

// Name returns the layer's name.
func (c *Conv2D) Name() string { return c.name }

// InShape returns the shape of one input example.
func (c *Conv2D) InShape() Shape { return c.in }

// OutShape returns the shape of one output example.
func (c *Conv2D) OutShape() Shape { return Shape{c.outC, c.in.H, c.in.W} }

// Params returns the weight and the bias.
func (c *Conv2D) Params() []*Param { return []*Param{c.Weight, c.Bias} }

func (c *Conv2D) patchRows() int { return c.in.C * c.k * c.k }

// Forward convolves every example of the batch.
func (c *Conv2D) Forward(in []float64, batch int) []float64 {
	c.input, c.batch = in[:batch*c.in.Size()], batch
	c.out = grow(c.out, batch*c.OutShape().Size())
	if c.simd {
		c.forwardSIMD()
	} else {
		c.forwardGo()
	}
	return c.out
}

// Backward accumulates the kernel and bias gradients and, if asked, returns
// the gradient with respect to the input.
func (c *Conv2D) Backward(gradOut []float64, wantInput bool) []float64 {
	gradOut = gradOut[:c.batch*c.OutShape().Size()]
	if wantInput {
		c.gradIn = grow(c.gradIn, c.batch*c.in.Size())
	}
	if c.simd {
		c.backwardSIMD(gradOut, wantInput)
	} else {
		c.backwardGo(gradOut, wantInput)
	}
	if !wantInput {
		return nil
	}
	return c.gradIn
}

// forwardGo is Forward in Go: im2col and one matrix product per example.
func (c *Conv2D) forwardGo() {
	inSize, outSize, hw := c.in.Size(), c.OutShape().Size(), c.in.H*c.in.W
	rows := c.patchRows()
	c.cached = c.batch <= maxCachedBatch
	kept := 1
	if c.cached {
		kept = c.batch
	}
	c.cols = grow(c.cols, kept*rows*hw)
	for b := 0; b < c.batch; b++ {
		cols := c.patches(b)
		c.im2col(c.input[b*inSize:(b+1)*inSize], cols)
		out := c.out[b*outSize : (b+1)*outSize]
		for oc := 0; oc < c.outC; oc++ {
			fill(out[oc*hw:(oc+1)*hw], c.Bias.Value[oc])
		}
		mulAdd(c.outC, hw, rows, c.Weight.Value, cols, out)
	}
}

// backwardGo is Backward in Go, example by example.
func (c *Conv2D) backwardGo(gradOut []float64, wantInput bool) {
	inSize, outSize, hw := c.in.Size(), c.OutShape().Size(), c.in.H*c.in.W
	rows := c.patchRows()
	if wantInput {
		clear(c.gradIn)
		c.gradCols = grow(c.gradCols, rows*hw)
	}
	for b := 0; b < c.batch; b++ {
		g := gradOut[b*outSize : (b+1)*outSize]
		for oc := 0; oc < c.outC; oc++ {
			c.Bias.Grad[oc] += sum(g[oc*hw : (oc+1)*hw])
		}
		cols := c.patches(b)
		if !c.cached {
			c.im2col(c.input[b*inSize:(b+1)*inSize], cols)
		}
		// ∂L/∂W += ∂L/∂out · colsᵀ
		mulAddTransB(c.outC, rows, hw, g, cols, c.Weight.Grad)
		if wantInput {
			// ∂L/∂cols = Wᵀ · ∂L/∂out, then scattered back onto the input.
			clear(c.gradCols)
			mulAddTransA(rows, hw, c.outC, c.Weight.Value, g, c.gradCols)
			c.col2imAdd(c.gradIn[b*inSize : (b+1)*inSize])
		}
	}
}

// patchSpan gives, for a kernel offset d (−pad..pad) along an axis of length
// n, the output positions [lo, hi) whose shifted input position lies inside.
func patchSpan(d, n int) (lo, hi int) {
	return max(0, -d), min(n, n-d)
}

// forEachRun visits the patch matrix run by run. Row r = (ch, ky, kx) of
// the matrix holds, for every output pixel, the input value under that
// kernel tap; within an output row y, the pixels whose tap falls inside the
// input form one contiguous run. f gets the run's offset in the example
// (in), its offset in the patch matrix (col) and its length n.
func (c *Conv2D) forEachRun(f func(in, col, n int)) {
	h, w, hw := c.in.H, c.in.W, c.in.H*c.in.W
	r := 0
	for ch := 0; ch < c.in.C; ch++ {
		for ky := 0; ky < c.k; ky++ {
			dy := ky - c.pad
			y0, y1 := patchSpan(dy, h)
			for kx := 0; kx < c.k; kx++ {
				dx := kx - c.pad
				x0, x1 := patchSpan(dx, w)
				for y := y0; y < y1 && x0 < x1; y++ {
					f(ch*hw+(y+dy)*w+x0+dx, r*hw+y*w+x0, x1-x0)
				}
				r++
			}
		}
	}
}

// maxCachedBatch is the largest batch whose patch matrices Forward keeps
// for Backward (about 160 kB an example for either homework convolution);
// larger batches are unrolled again in Backward. The trainer's chunks are
// never larger.
const maxCachedBatch = 32

// patches returns the patch matrix of example b of the last Forward, or the
// shared scratch matrix when the batch was too large to keep them all.
func (c *Conv2D) patches(b int) []float64 {
	size := c.patchRows() * c.in.H * c.in.W
	if !c.cached {
		b = 0
	}
	return c.cols[b*size : (b+1)*size]
}

// im2col unrolls one example into its patch matrix cols (zero where a tap
// falls in the padding).
func (c *Conv2D) im2col(in, cols []float64) {
	clear(cols)
	c.forEachRun(func(i, col, n int) { copy(cols[col:col+n], in[i:i+n]) })
}

// col2imAdd is the adjoint of im2col: it adds c.gradCols back onto the input
// positions each entry was taken from.
func (c *Conv2D) col2imAdd(gradIn []float64) {
	c.forEachRun(func(i, col, n int) {
		dst, src := gradIn[i:i+n], c.gradCols[col:col+n]
		for j := range dst {
			dst[j] += src[j]
		}
	})
}

func fill(s []float64, v float64) {
	for i := range s {
		s[i] = v
	}
}

func sum(s []float64) float64 {
	t := 0.0
	for _, v := range s {
		t += v
	}
	return t
}
