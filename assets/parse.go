package assets

import (
	"fmt"
	"io"
	"os"

	"convlab/assets/internal/idx"
)

// ParseIDX parses a gzip-compressed IDX images stream (magic 0x00000803)
// and the matching labels stream (magic 0x00000801). The two must hold the
// same number of items and every label must be 0..9. Indices is set to
// 0..n-1, since the streams do not say where their images came from.
func ParseIDX(images, labels io.Reader) (*Dataset, error) {
	return parse("images", images, "labels", labels)
}

// ReadIDXFiles parses the gzip-compressed IDX images and labels files at the
// given paths, as ParseIDX does.
func ReadIDXFiles(imagesPath, labelsPath string) (*Dataset, error) {
	images, err := os.Open(imagesPath)
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	defer images.Close()
	labels, err := os.Open(labelsPath)
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	defer labels.Close()
	return parse(imagesPath, images, labelsPath, labels)
}

// parse does the work of ParseIDX, naming the streams in its errors.
func parse(imagesName string, images io.Reader, labelsName string, labels io.Reader) (*Dataset, error) {
	img, err := idx.ReadImages(images)
	if err != nil {
		return nil, fmt.Errorf("assets: %s: %w", imagesName, err)
	}
	lab, err := idx.ReadLabels(labels)
	if err != nil {
		return nil, fmt.Errorf("assets: %s: %w", labelsName, err)
	}
	if img.Count != len(lab) {
		return nil, fmt.Errorf("assets: %s holds %d images but %s holds %d labels", imagesName, img.Count, labelsName, len(lab))
	}
	for i, l := range lab {
		if l > 9 {
			return nil, fmt.Errorf("assets: %s: label %d at position %d is out of range 0..9", labelsName, l, i)
		}
	}
	indices := make([]int, len(lab))
	for i := range indices {
		indices[i] = i
	}
	return &Dataset{Rows: img.Rows, Cols: img.Cols, Pixels: img.Pixels, Labels: lab, Indices: indices}, nil
}
