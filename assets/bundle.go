package assets

import (
	"bytes"
	"fmt"
	"hash/crc32"

	"convlab/assets/internal/idx"
)

// Bundle describes the files of one bundled set, as the generator wrote
// them: a labels file and the images in tiers, so that a program that
// needs only the first images of each class reads only the first tiers'
// files. The set is the first images of each class in MNIST's file, and
// its labels file holds every label of MNIST's file from its first image
// through the set's last: a label's position in the file is its image's
// index in MNIST's, and the set's images are each class's first labels,
// as many as the last tier holds (the others, of images not bundled, are
// skipped). So the files alone give each image's MNIST index, as
// Dataset.Indices; no manifest is needed.
// TrainBundle and TestBundle describe the embedded sets; a browser fetches
// the same files from the site (dist/data/) and hands their bytes to
// Assemble.
type Bundle struct {
	Set    string // "training" or "test", for messages
	Labels File
	Tiers  []Tier
}

// Tier is one images file of a bundled set. Counting each class's images
// in file order from 1, it holds those numbered from the previous tier's
// UpTo + 1 (from 1 for the first tier) to UpTo, in file order.
type Tier struct {
	UpTo   int
	Images File
}

// File is one bundled file: its path relative to the assets package
// directory, which is also its URL relative to the built site ("data/…"),
// and its size and CRC-32 (IEEE), which Check holds received bytes to.
type File struct {
	Name  string
	Size  int
	CRC32 uint32
}

// Check reports whether content is the file f describes: its size, then
// its CRC-32. A mismatch means a damaged download, or a file from another
// build of the site than the program's. (A checksum is enough here: the
// files come from the same site as the program, so whoever could forge
// them could forge the program too. The CRC-32 code is in every program
// already, for gzip; SHA-256 would add 50 kB of gzip-compressed
// WebAssembly to each browser program. The manifest keeps each file's
// SHA-256, which the tests check.)
func (f File) Check(content []byte) error {
	if len(content) != f.Size {
		return fmt.Errorf("assets: %s is %d bytes, want %d: a damaged download, or a file from another build", f.Name, len(content), f.Size)
	}
	if got := crc32.ChecksumIEEE(content); got != f.CRC32 {
		return fmt.Errorf("assets: %s has CRC-32 %08x, want %08x: a damaged download, or a file from another build", f.Name, got, f.CRC32)
	}
	return nil
}

// Files returns the files that hold the first perClass images of every
// class: the labels and the first tiers' images. It fails if perClass is
// below 1 or beyond the set's last tier.
func (b Bundle) Files(perClass int) ([]File, error) {
	if perClass < 1 {
		return nil, fmt.Errorf("assets: %s set: %d images per class; at least 1 is needed", b.Set, perClass)
	}
	files := []File{b.Labels}
	for _, t := range b.Tiers {
		files = append(files, t.Images)
		if perClass <= t.UpTo {
			return files, nil
		}
	}
	return nil, fmt.Errorf("assets: %s set: %d images per class asked, %d bundled", b.Set, perClass, b.maxPerClass())
}

// maxPerClass is the last tier's UpTo: the most images of a class bundled.
func (b Bundle) maxPerClass() int {
	if len(b.Tiers) == 0 {
		return 0
	}
	return b.Tiers[len(b.Tiers)-1].UpTo
}

// Assemble builds a Dataset from the contents of files as Files listed
// them (the labels file, then the first tiers' images files, in order): it
// checks every file with File.Check, parses it, and returns the images of
// the tiers given, in file order, with their labels and their indices in
// MNIST's file. The first tiers of a set give the same images, labels and
// indices as Dataset.FirstPerClass of the whole set, and the whole set is
// what Train or Test returns.
func (b Bundle) Assemble(contents [][]byte) (*Dataset, error) {
	if len(contents) < 2 || len(contents) > 1+len(b.Tiers) {
		return nil, fmt.Errorf("assets: %s set: %d files given; want the labels and 1 to %d images files", b.Set, len(contents), len(b.Tiers))
	}
	c, err := b.Catalog(contents[0])
	if err != nil {
		return nil, err
	}
	tiers := make([]idx.Images, len(contents)-1)
	for t := range tiers {
		f := b.Tiers[t].Images
		if err := f.Check(contents[1+t]); err != nil {
			return nil, err
		}
		if tiers[t], err = idx.ReadImages(bytes.NewReader(contents[1+t])); err != nil {
			return nil, fmt.Errorf("assets: %s: %w", f.Name, err)
		}
	}
	return b.merge(c, tiers)
}

// Catalog lists the set's images from its labels file's content alone:
// it checks the file with File.Check, parses it, and gives each image's
// label and MNIST index, in file order, as Assemble of every tier would.
// A program that does not hold the images (the page, whose workers
// train) reads it to say which images a run used.
func (b Bundle) Catalog(labelsFile []byte) (*Catalog, error) {
	if err := b.Labels.Check(labelsFile); err != nil {
		return nil, err
	}
	labels, err := idx.ReadLabels(bytes.NewReader(labelsFile))
	if err != nil {
		return nil, fmt.Errorf("assets: %s: %w", b.Labels.Name, err)
	}
	return b.catalog(labels)
}

// catalog takes each class's first labels, as many as the last tier
// holds, with their positions as indices, and skips the rest.
func (b Bundle) catalog(labels []byte) (*Catalog, error) {
	limit := b.maxPerClass()
	c := &Catalog{Labels: make([]uint8, 0, 10*limit), Indices: make([]int, 0, 10*limit)}
	var seen [10]int
	for pos, l := range labels {
		if l > 9 {
			return nil, fmt.Errorf("assets: %s: label %d at position %d is out of range 0..9", b.Labels.Name, l, pos)
		}
		if seen[l]++; seen[l] <= limit {
			c.Labels = append(c.Labels, l)
			c.Indices = append(c.Indices, pos)
		}
	}
	return c, nil
}

// merge walks the set's catalog in file order and takes each image from
// the tier its number within its class falls in, the tiers' images being
// in file order too; images beyond the tiers given are left out.
func (b Bundle) merge(c *Catalog, tiers []idx.Images) (*Dataset, error) {
	rows, cols := tiers[0].Rows, tiers[0].Cols
	size := rows * cols
	total := 0
	for _, t := range tiers {
		total += t.Count
	}
	out := &Dataset{Rows: rows, Cols: cols, Pixels: make([]uint8, 0, total*size),
		Labels: make([]uint8, 0, total), Indices: make([]int, 0, total)}
	var seen [10]int
	taken := make([]int, len(tiers)) // images taken from each tier so far
	for i, l := range c.Labels {
		seen[l]++
		t := 0
		for t < len(tiers) && seen[l] > b.Tiers[t].UpTo {
			t++
		}
		if t == len(tiers) {
			continue
		}
		from := tiers[t]
		if from.Rows != rows || from.Cols != cols || taken[t] >= from.Count {
			return nil, fmt.Errorf("assets: %s holds %d images of %d×%d; the labels ask for more, or of %d×%d", b.Tiers[t].Images.Name, from.Count, from.Rows, from.Cols, rows, cols)
		}
		out.Pixels = append(out.Pixels, from.Pixels[taken[t]*size:(taken[t]+1)*size]...)
		out.Labels = append(out.Labels, l)
		out.Indices = append(out.Indices, c.Indices[i])
		taken[t]++
	}
	for t, n := range taken {
		if n != tiers[t].Count {
			return nil, fmt.Errorf("assets: %s holds %d images, the labels place %d in it", b.Tiers[t].Images.Name, tiers[t].Count, n)
		}
	}
	return out, nil
}
