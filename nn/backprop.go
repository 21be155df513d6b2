package nn

import "fmt"

// Backprop is the backward counterpart of Activations: one image's
// forward pass and the gradients of its loss, computed by the layers' own
// Forward and Backward, for the dashboard to show.
//
// The loss is the cross-entropy of the target class, L = −log p_target,
// so a gradient says how each value would have to change to make the
// network more sure of the target (a descent step moves against it).
type Backprop struct {
	Target int
	Loss   float64 // −log p_target
	// Forward holds what each stage produced, from the same forward pass.
	Forward *Activations
	// Outputs holds, by layer name, ∂L/∂(the layer's output) for the
	// image: for LayerReLU1 that is the gradient with respect to conv1's
	// maps after ReLU, for LayerOutput the gradient with respect to the
	// logits, p − onehot(target).
	Outputs map[string][]float64
	// Input is ∂L/∂x for the 784 input pixels: the saliency map.
	Input []float64
	// Params holds, by parameter name (conv1.weight, …), ∂L/∂θ for this
	// image alone.
	Params map[string][]float64
	// Winners holds, by max-pooling layer name, the offset within the
	// pooled maps of the input each output took its maximum from: the
	// one input of its 2×2 window the backward pass routes the gradient
	// to (MaxPool's own record, not recomputed).
	Winners map[string][]int32
}

// Backprop runs one 28×28 image forward and back through the network for
// the given target class. It costs one forward and one backward pass
// (with the input gradient, which training skips). The parameters'
// accumulated gradients are set aside during the pass and restored after
// it, so a trainer sharing the network between two mini-batch chunks is
// not disturbed; the layers' remembered forward state is overwritten, as
// by any Forward.
func (n *Network) Backprop(image []float64, target int) (*Backprop, error) {
	if len(image) != ImageSize {
		return nil, fmt.Errorf("backprop: %w, got %d", ErrImageSize, len(image))
	}
	if target < 0 || target >= NumClasses {
		return nil, fmt.Errorf("backprop: target class %d is not a digit from 0 to %d", target, NumClasses-1)
	}
	b := &Backprop{
		Target:  target,
		Outputs: make(map[string][]float64, len(n.Layers)),
		Params:  make(map[string][]float64),
		Winners: make(map[string][]int32),
	}
	logits, acts := n.forwardRecorded(image)
	b.Forward = acts
	grad := make([]float64, NumClasses)
	b.Loss = CrossEntropy(logits, []int{target}, NumClasses, grad)
	for _, l := range n.Layers {
		if p, ok := l.(*MaxPool); ok {
			b.Winners[l.Name()] = append([]int32(nil), p.argmax[:p.OutShape().Size()]...)
		}
	}
	params := n.Params()
	kept := make([][]float64, len(params))
	for i, p := range params {
		kept[i], p.Grad = p.Grad, make([]float64, len(p.Value))
	}
	g := grad
	for i := len(n.Layers) - 1; i >= 0; i-- {
		b.Outputs[n.Layers[i].Name()] = append([]float64(nil), g...)
		g = n.Layers[i].Backward(g, true)
	}
	b.Input = append([]float64(nil), g...)
	for i, p := range params {
		b.Params[p.Name], p.Grad = p.Grad, kept[i]
	}
	return b, nil
}

// ParamCount returns the number of trainable values in the layer named
// name (0 for a layer without parameters or a name the network lacks).
func (n *Network) ParamCount(name string) int {
	l := n.Layer(name)
	if l == nil {
		return 0
	}
	total := 0
	for _, p := range l.Params() {
		total += len(p.Value)
	}
	return total
}
