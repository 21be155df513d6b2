package assets

import (
	"embed"
	"fmt"

	"convlab/assets/internal/manifest"
)

// Defaults and limits for how many images of each class a homework run
// uses. The limits are the sizes of the bundled sets.
const (
	DefaultTrainPerClass = 100 // training images per class used by default
	DefaultTestPerClass  = 10  // test images per class used by default
	MaxTrainPerClass     = 500 // training images per class bundled by Train
	MaxTestPerClass      = 100 // test images per class bundled by Test
)

// data holds the generated files; see the package documentation.
//
//go:embed data/*.gz data/manifest.json
var data embed.FS

// manifestPath is where the manifest sits in data.
const manifestPath = "data/manifest.json"

// Train returns the 5000 bundled training images (MaxTrainPerClass of each
// class), in MNIST file order, with Indices into MNIST's training file.
func Train() (*Dataset, error) {
	m, err := readManifest()
	if err != nil {
		return nil, err
	}
	return loadSet("training", m.Train)
}

// Test returns the 1000 bundled test images (MaxTestPerClass of each
// class), in MNIST file order, with Indices into MNIST's test file.
func Test() (*Dataset, error) {
	m, err := readManifest()
	if err != nil {
		return nil, err
	}
	return loadSet("test", m.Test)
}

// readManifest parses the embedded manifest.
func readManifest() (*manifest.Manifest, error) {
	raw, err := data.ReadFile(manifestPath)
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	m, err := manifest.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("assets: %s: %w", manifestPath, err)
	}
	return m, nil
}

// loadSet parses the embedded files of set and gives its images their
// MNIST indices from the manifest.
func loadSet(name string, set manifest.Set) (*Dataset, error) {
	images, err := data.Open(set.Images.Name)
	if err != nil {
		return nil, fmt.Errorf("assets: %s set: %w", name, err)
	}
	defer images.Close()
	labels, err := data.Open(set.Labels.Name)
	if err != nil {
		return nil, fmt.Errorf("assets: %s set: %w", name, err)
	}
	defer labels.Close()

	d, err := parse(set.Images.Name, images, set.Labels.Name, labels)
	if err != nil {
		return nil, err
	}
	if len(set.Indices) != d.Len() {
		return nil, fmt.Errorf("assets: %s set: manifest lists %d indices for %d images", name, len(set.Indices), d.Len())
	}
	if got := d.CountPerClass(); got != set.CountPerClass {
		return nil, fmt.Errorf("assets: %s set: images per class %v, manifest says %v", name, got, set.CountPerClass)
	}
	d.Indices = set.Indices
	return d, nil
}
