package nn

import "fmt"

// Data is a labelled set of 28×28 images for the network. The images stay
// MNIST's bytes (0 = background, 255 = ink): a value becomes the float64
// the network reads, byte/255 (1 = ink), only when its mini-batch or
// evaluation chunk is gathered (AppendImage), so a set costs one byte a
// pixel, not eight: 47 MB for MNIST's 60,000 training images instead of
// 376 MB. The conversion is the same expression wherever and whenever it
// runs, so every run sees bit-identical values.
type Data struct {
	Pixels []uint8 // Len()×784 bytes, image after image, row-major
	Labels []int   // one per image, 0..9
}

// NewData wraps MNIST-style bytes (0 = background, 255 = ink, image after
// image) and their labels. The pixels are shared, not copied: the caller
// must not change them afterwards.
func NewData(pixels, labels []uint8) (*Data, error) {
	if len(labels) == 0 {
		return nil, fmt.Errorf("data: no images")
	}
	if len(pixels) != len(labels)*ImageSize {
		return nil, fmt.Errorf("data: %d labels need %d pixel bytes, got %d", len(labels), len(labels)*ImageSize, len(pixels))
	}
	d := &Data{Pixels: pixels, Labels: make([]int, len(labels))}
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

// AppendImage appends image i's 784 values, each byte/255, to dst and
// returns the extended slice.
func (d *Data) AppendImage(dst []float64, i int) []float64 {
	for _, p := range d.Pixels[i*ImageSize : (i+1)*ImageSize] {
		dst = append(dst, float64(p)/255)
	}
	return dst
}

// Image returns image i's 784 values in a new slice.
func (d *Data) Image(i int) []float64 {
	return d.AppendImage(make([]float64, 0, ImageSize), i)
}
