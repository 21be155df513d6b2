package nn

import "fmt"

// Activations holds every intermediate result of the homework network for
// one image, each copied out of the layers so it stays valid.
type Activations struct {
	Conv1  []float64 // 4×28×28, after ReLU
	Pool1  []float64 // 4×14×14
	Conv2  []float64 // 4×14×14, after ReLU
	Pool2  []float64 // 4×7×7
	Hidden []float64 // 49, after ReLU: the bottleneck
	Probs  []float64 // 10 class probabilities
}

// Activations runs one 28×28 image through the network and returns what
// each stage produced.
func (n *Network) Activations(image []float64) (*Activations, error) {
	if len(image) != ImageSize {
		return nil, fmt.Errorf("activations: %w, got %d", ErrImageSize, len(image))
	}
	_, a := n.forwardRecorded(image)
	return a, nil
}

// forwardRecorded runs one image through every layer, copying out what
// Activations shows, and returns the logits (owned by the last layer).
func (n *Network) forwardRecorded(image []float64) ([]float64, *Activations) {
	a := &Activations{Probs: make([]float64, NumClasses)}
	targets := map[string]*[]float64{
		LayerReLU1: &a.Conv1, LayerPool1: &a.Pool1, LayerReLU2: &a.Conv2,
		LayerPool2: &a.Pool2, LayerReLU3: &a.Hidden,
	}
	x := image
	for _, l := range n.Layers {
		x = l.Forward(x, 1)
		if dst, ok := targets[l.Name()]; ok {
			*dst = append([]float64(nil), x...)
		}
	}
	Softmax(x, a.Probs)
	return x, a
}

// Bottleneck returns the 49 hidden-layer values (after ReLU) of each image
// in images (n×784 values), computed in chunks of at most chunk images.
func (n *Network) Bottleneck(images []float64, chunk int) ([][]float64, error) {
	if len(images)%ImageSize != 0 {
		return nil, fmt.Errorf("bottleneck: %d values is not a whole number of 784-value images", len(images))
	}
	if chunk < 1 {
		return nil, fmt.Errorf("bottleneck: chunk size must be at least 1, got %d", chunk)
	}
	count := len(images) / ImageSize
	out := make([][]float64, 0, count)
	for start := 0; start < count; start += chunk {
		b := min(chunk, count-start)
		x := images[start*ImageSize : (start+b)*ImageSize]
		for _, l := range n.Layers {
			x = l.Forward(x, b)
			if l.Name() == LayerReLU3 {
				break
			}
		}
		width := len(x) / b
		for i := 0; i < b; i++ {
			out = append(out, append([]float64(nil), x[i*width:(i+1)*width]...))
		}
	}
	return out, nil
}
