package nn

import "fmt"

// Param is one trainable tensor: its values and the gradient of the loss with
// respect to them, laid out flat in row-major order of Shape.
type Param struct {
	Name  string
	Shape []int
	Value []float64
	Grad  []float64
}

// newParam allocates a zeroed parameter of the given shape.
func newParam(name string, shape ...int) *Param {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return &Param{Name: name, Shape: shape, Value: make([]float64, n), Grad: make([]float64, n)}
}

// ZeroGrad sets the accumulated gradient to zero.
func (p *Param) ZeroGrad() { clear(p.Grad) }

// String describes the parameter as name[shape].
func (p *Param) String() string { return fmt.Sprintf("%s%v", p.Name, p.Shape) }
