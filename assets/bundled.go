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
// class), in MNIST file order, with Indices into MNIST's training file. It
// reads the copies embedded in the program: native tools and tests call
// it; the browser programs fetch the files instead (TrainBundle), and the
// linker leaves the embedded copies out of a program that never calls
// Train or Test.
func Train() (*Dataset, error) {
	m, err := readManifest()
	if err != nil {
		return nil, err
	}
	return loadSet(TrainBundle(), m.Train)
}

// Test returns the 1000 bundled test images (MaxTestPerClass of each
// class), in MNIST file order, with Indices into MNIST's test file, from
// the embedded copies, as Train does.
func Test() (*Dataset, error) {
	m, err := readManifest()
	if err != nil {
		return nil, err
	}
	return loadSet(TestBundle(), m.Test)
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

// loadSet assembles every tier of the embedded files of b and checks the
// images' counts and MNIST indices, which the labels file gives, against
// the manifest's set.
func loadSet(b Bundle, set manifest.Set) (*Dataset, error) {
	files, err := b.Files(b.maxPerClass())
	if err != nil {
		return nil, err
	}
	contents := make([][]byte, len(files))
	for i, f := range files {
		if contents[i], err = data.ReadFile(f.Name); err != nil {
			return nil, fmt.Errorf("assets: %s set: %w", b.Set, err)
		}
	}
	d, err := b.Assemble(contents)
	if err != nil {
		return nil, err
	}
	if got := d.CountPerClass(); got != set.CountPerClass {
		return nil, fmt.Errorf("assets: %s set: images per class %v, manifest says %v", b.Set, got, set.CountPerClass)
	}
	if len(set.Indices) != d.Len() {
		return nil, fmt.Errorf("assets: %s set: manifest lists %d indices for %d images", b.Set, len(set.Indices), d.Len())
	}
	for i, index := range d.Indices {
		if index != set.Indices[i] {
			return nil, fmt.Errorf("assets: %s set: the labels file puts image %d at MNIST index %d, the manifest at %d", b.Set, i, index, set.Indices[i])
		}
	}
	return d, nil
}
