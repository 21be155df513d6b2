package nn

import "fmt"

// Data is a labelled set of 28×28 images ready for the network: pixel values
// scaled to [0, 1] (1 = ink), one label 0..9 per image.
type Data struct {
	Images []float64 // Len()×784 values
	Labels []int
}

// NewData converts MNIST-style bytes (0 = background, 255 = ink, image after
// image) and their labels into Data.
func NewData(pixels, labels []uint8) (*Data, error) {
	if len(labels) == 0 {
		return nil, fmt.Errorf("data: no images")
	}
	if len(pixels) != len(labels)*ImageSize {
		return nil, fmt.Errorf("data: %d labels need %d pixel bytes, got %d", len(labels), len(labels)*ImageSize, len(pixels))
	}
	d := &Data{Images: make([]float64, len(pixels)), Labels: make([]int, len(labels))}
	for i, p := range pixels {
		d.Images[i] = float64(p) / 255
	}
	for i, l := range labels {
		if l >= NumClasses {
			return nil, fmt.Errorf("data: label %d of image %d is not a digit 0-9", l, i)
		}
		d.Labels[i] = int(l)
	}
	return d, nil
}

// Len is the number of images.
func (d *Data) Len() int { return len(d.Labels) }

// Image returns image i's 784 values (a view, not a copy).
func (d *Data) Image(i int) []float64 { return d.Images[i*ImageSize : (i+1)*ImageSize] }
