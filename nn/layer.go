package nn

import "fmt"

// Shape is the size of one example as it flows between layers: channels,
// height and width. A vector of n values has Shape{n, 1, 1}.
type Shape struct{ C, H, W int }

// Size is the number of values in one example of this shape.
func (s Shape) Size() int { return s.C * s.H * s.W }

// String formats the shape as C×H×W.
func (s Shape) String() string { return fmt.Sprintf("%d×%d×%d", s.C, s.H, s.W) }

// Layer is one stage of the network. Forward takes a batch of examples laid
// one after another and returns the layer's output for all of them; the slice
// is owned by the layer and overwritten by the next Forward. A layer
// remembers what it needs from the last Forward (the input slice included, so
// the caller must leave it unchanged) for Backward.
//
// Backward takes the gradient of the loss with respect to the last output,
// adds the gradients of its parameters into their Grad slices, and returns
// the gradient with respect to the input, or nil when wantInput is false.
type Layer interface {
	Name() string
	InShape() Shape
	OutShape() Shape
	Forward(in []float64, batch int) []float64
	Backward(gradOut []float64, wantInput bool) []float64
	Params() []*Param
}

// grow returns buf resliced to n values, reallocating only when it is too
// small. The contents are not cleared.
func grow(buf []float64, n int) []float64 {
	if cap(buf) < n {
		return make([]float64, n)
	}
	return buf[:n]
}
