package nn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Input geometry and class count of the homework network.
const (
	ImageSide  = 28
	ImageSize  = ImageSide * ImageSide
	NumClasses = 10
)

// Names of the homework network's layers, in order. The dashboard and the
// model file refer to layers by these names.
const (
	LayerConv1   = "conv1"
	LayerReLU1   = "relu1"
	LayerPool1   = "pool1"
	LayerConv2   = "conv2"
	LayerReLU2   = "relu2"
	LayerPool2   = "pool2"
	LayerFlatten = "flatten"
	LayerHidden  = "hidden"
	LayerReLU3   = "relu3"
	LayerOutput  = "output"
)

// Architecture names the layer stack built by NewHomework; model files carry
// it so a file for another network is refused.
const Architecture = "28x28x1 conv4@5x5 relu pool2 conv4@5x5 relu pool2 flatten dense49 relu dense10 softmax"

// Network is a stack of layers ending in logits; softmax and cross-entropy
// are applied by the loss (CrossEntropy) and by Predict.
type Network struct {
	Layers []Layer
}

// NewHomework builds the homework CNN:
//
//	28×28×1 → conv 4@5×5 (same) → ReLU → maxpool 2×2
//	        → conv 4@5×5×4 (same) → ReLU → maxpool 2×2
//	        → flatten (196) → dense 49 → ReLU → dense 10 → softmax
//
// and initialises it randomly from seed (see Initialize).
func NewHomework(seed uint64) *Network {
	in := Shape{1, ImageSide, ImageSide}
	conv1, _ := NewConv2D(LayerConv1, in, 4, 5)
	pool1, _ := NewMaxPool(LayerPool1, conv1.OutShape())
	conv2, _ := NewConv2D(LayerConv2, pool1.OutShape(), 4, 5)
	pool2, _ := NewMaxPool(LayerPool2, conv2.OutShape())
	flat := NewFlatten(LayerFlatten, pool2.OutShape())
	hidden, _ := NewDense(LayerHidden, flat.OutShape(), 49)
	output, _ := NewDense(LayerOutput, hidden.OutShape(), NumClasses)
	n := &Network{Layers: []Layer{
		conv1, NewReLU(LayerReLU1, conv1.OutShape()), pool1,
		conv2, NewReLU(LayerReLU2, conv2.OutShape()), pool2,
		flat, hidden, NewReLU(LayerReLU3, hidden.OutShape()), output,
	}}
	n.Initialize(seed)
	return n
}

// Initialize draws fresh weights from a PCG source seeded with seed and sets
// every bias to zero. Weights that feed a ReLU use He initialisation in its
// uniform form, U(−√(6/fan_in), +√(6/fan_in)), which keeps the variance of
// activations steady through ReLU layers (He et al., 2015); the output layer,
// which feeds softmax, uses LeCun's U(−√(3/fan_in), +√(3/fan_in)). fan_in is
// in·k·k for a convolution and the input size for a dense layer. Uniform
// draws need only exact arithmetic, so native and WebAssembly builds start
// from bit-identical weights.
func (n *Network) Initialize(seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0x636f6e766c6162)) // "convlab"
	for i, l := range n.Layers {
		ps := l.Params()
		if len(ps) == 0 {
			continue
		}
		weight, bias := ps[0], ps[1]
		fanIn := len(weight.Value) / weight.Shape[0]
		gain := 6.0
		if i == len(n.Layers)-1 {
			gain = 3.0
		}
		limit := math.Sqrt(gain / float64(fanIn))
		for j := range weight.Value {
			weight.Value[j] = (2*rng.Float64() - 1) * limit
		}
		clear(bias.Value)
	}
}

// Params returns every trainable tensor, layer by layer.
func (n *Network) Params() []*Param {
	var ps []*Param
	for _, l := range n.Layers {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// Layer returns the layer with the given name, or nil.
func (n *Network) Layer(name string) Layer {
	for _, l := range n.Layers {
		if l.Name() == name {
			return l
		}
	}
	return nil
}

// Forward runs a batch of images (batch×784 values) through every layer and
// returns the logits (batch×10), owned by the network.
func (n *Network) Forward(images []float64, batch int) []float64 {
	x := images
	for _, l := range n.Layers {
		x = l.Forward(x, batch)
	}
	return x
}

// Backward propagates the gradient of the loss with respect to the logits
// back through every layer, accumulating parameter gradients. It skips the
// gradient with respect to the input image, which nothing needs.
func (n *Network) Backward(gradLogits []float64) {
	g := gradLogits
	for i := len(n.Layers) - 1; i >= 0; i-- {
		g = n.Layers[i].Backward(g, i > 0)
	}
}

// ZeroGrad clears every parameter's gradient.
func (n *Network) ZeroGrad() {
	for _, p := range n.Params() {
		p.ZeroGrad()
	}
}

// ErrImageSize reports an input that is not 28×28 = 784 values.
var ErrImageSize = errors.New("image must have 28×28 = 784 values")

// Predict returns the 10 class probabilities for one 28×28 image with
// values in [0, 1] (1 = ink).
func (n *Network) Predict(image []float64) ([]float64, error) {
	if len(image) != ImageSize {
		return nil, fmt.Errorf("predict: %w, got %d", ErrImageSize, len(image))
	}
	logits := n.Forward(image, 1)
	probs := make([]float64, NumClasses)
	Softmax(logits, probs)
	return probs, nil
}

// Argmax returns the index of the largest value (the first on ties).
func Argmax(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}
