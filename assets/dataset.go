package assets

import "fmt"

// Dataset is a labelled set of greyscale images in MNIST's convention
// (0 = background, 255 = ink).
type Dataset struct {
	Rows, Cols int
	Pixels     []uint8 // Len()*Rows*Cols bytes, image after image, row-major
	Labels     []uint8 // one per image, 0..9
	Indices    []int   // each image's index in the original MNIST file
}

// Catalog names the images of a set without holding them: each image's
// label and index in MNIST's file, in the set's order. It is what a
// program that does not hold a set's images needs to say which of them a
// run used (Bundle.Catalog reads it from a bundled set's labels file).
type Catalog struct {
	Labels  []uint8 // one per image, 0..9
	Indices []int   // each image's index in the original MNIST file
}

// Catalog returns d's labels and indices as a Catalog, sharing d's slices.
func (d *Dataset) Catalog() *Catalog { return &Catalog{Labels: d.Labels, Indices: d.Indices} }

// Len returns the number of images, which is the number of labels.
func (d *Dataset) Len() int { return len(d.Labels) }

// Image returns image i as a view into d.Pixels: Rows*Cols bytes, row-major.
// Its capacity ends with the image, so appending to it cannot overwrite the
// next image. Like a slice index, it panics if i is out of range.
func (d *Dataset) Image(i int) []uint8 {
	size := d.Rows * d.Cols
	return d.Pixels[i*size : (i+1)*size : (i+1)*size]
}

// CountPerClass returns how many images carry each label 0..9. Labels
// outside 0..9, which the parser never produces, are not counted.
func (d *Dataset) CountPerClass() [10]int {
	var counts [10]int
	for _, l := range d.Labels {
		if int(l) < len(counts) {
			counts[l]++
		}
	}
	return counts
}

// PerClass returns the images a run with perClass images of each class
// uses: d itself, shared, for AllPerClass (so a full set is never copied),
// else FirstPerClass(perClass).
func (d *Dataset) PerClass(perClass int) (*Dataset, error) {
	if perClass == AllPerClass {
		if err := d.check(); err != nil {
			return nil, fmt.Errorf("assets: PerClass(all): %w", err)
		}
		return d, nil
	}
	return d.FirstPerClass(perClass)
}

// FirstPerClass returns a new dataset with the first n images of each
// class, in d's order, with their pixels copied and their indices kept. It
// returns an error if n < 1, if a class has fewer than n images, or if d is
// not self-consistent (pixel, label and index counts disagree).
func (d *Dataset) FirstPerClass(n int) (*Dataset, error) {
	if n < 1 {
		return nil, fmt.Errorf("assets: FirstPerClass(%d): n must be at least 1", n)
	}
	if err := d.check(); err != nil {
		return nil, fmt.Errorf("assets: FirstPerClass(%d): %w", n, err)
	}
	for class, count := range d.CountPerClass() {
		if count < n {
			return nil, fmt.Errorf("assets: FirstPerClass(%d): class %d has only %d images", n, class, count)
		}
	}

	total := 10 * n
	out := &Dataset{
		Rows:    d.Rows,
		Cols:    d.Cols,
		Pixels:  make([]uint8, 0, total*d.Rows*d.Cols),
		Labels:  make([]uint8, 0, total),
		Indices: make([]int, 0, total),
	}
	var taken [10]int
	for i, l := range d.Labels {
		if int(l) >= len(taken) || taken[l] == n {
			continue
		}
		taken[l]++
		out.Pixels = append(out.Pixels, d.Image(i)...)
		out.Labels = append(out.Labels, l)
		out.Indices = append(out.Indices, d.Indices[i])
	}
	return out, nil
}

// check reports whether d's fields agree with each other.
func (d *Dataset) check() error {
	n := d.Len()
	switch {
	case d.Rows < 1 || d.Cols < 1:
		return fmt.Errorf("image size %d×%d is empty", d.Rows, d.Cols)
	case len(d.Pixels) != n*d.Rows*d.Cols:
		return fmt.Errorf("%d pixel bytes for %d images of %d×%d", len(d.Pixels), n, d.Rows, d.Cols)
	case len(d.Indices) != n:
		return fmt.Errorf("%d indices for %d images", len(d.Indices), n)
	}
	return nil
}
