package main

import (
	"fmt"

	"convlab/assets/internal/idx"
)

// firstPerClass returns, in file order, the indices of the first n labels
// of each digit 0..9. A digit with fewer than n labels contributes all it
// has; the manifest's counts then show it.
func firstPerClass(labels []byte, n int) []int {
	var taken [10]int
	var indices []int
	for i, l := range labels {
		if taken[l] < n {
			taken[l]++
			indices = append(indices, i)
		}
	}
	return indices
}

// firstNotIn returns, in file order, for each digit 0..9 the index of its
// first label that is not among exclude.
func firstNotIn(labels []byte, exclude []int) ([]int, error) {
	excluded := make(map[int]bool, len(exclude))
	for _, i := range exclude {
		excluded[i] = true
	}
	var found [10]bool
	var indices []int
	for i, l := range labels {
		if !found[l] && !excluded[i] {
			found[l] = true
			indices = append(indices, i)
		}
	}
	for digit, ok := range found {
		if !ok {
			return nil, fmt.Errorf("no image of digit %d is left", digit)
		}
	}
	return indices, nil
}

// splitTiers returns, for each tier, the positions in labels of the images
// it holds: counting each class's images from 1 in order, tier t holds
// those numbered from tiers[t-1]+1 (1 for the first) to tiers[t], in
// order. Images numbered beyond the last tier are in none.
func splitTiers(labels []byte, tiers []int) [][]int {
	out := make([][]int, len(tiers))
	var seen [10]int
	for p, l := range labels {
		seen[l]++
		for t, upTo := range tiers {
			if seen[l] <= upTo {
				out[t] = append(out[t], p)
				break
			}
		}
	}
	return out
}

// subset copies the images and labels at indices out of s.
func subset(s source, indices []int) (idx.Images, []byte) {
	size := s.images.Rows * s.images.Cols
	images := idx.Images{
		Count:  len(indices),
		Rows:   s.images.Rows,
		Cols:   s.images.Cols,
		Pixels: make([]byte, 0, len(indices)*size),
	}
	labels := make([]byte, 0, len(indices))
	for _, i := range indices {
		images.Pixels = append(images.Pixels, s.images.Pixels[i*size:(i+1)*size]...)
		labels = append(labels, s.labels[i])
	}
	return images, labels
}
