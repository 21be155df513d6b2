package assets

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"convlab/assets/internal/idx"
	"convlab/assets/internal/manifest"
)

// The generated TrainBundle and TestBundle describe the same files as the
// manifest: a stale bundled_files.go would make the browser reject good
// files.
func TestBundlesMatchManifest(t *testing.T) {
	m := testManifest(t)
	for _, tt := range []struct {
		bundle Bundle
		set    manifest.Set
	}{{TrainBundle(), m.Train}, {TestBundle(), m.Test}} {
		b, set := tt.bundle, tt.set
		same := func(f File, g manifest.File) bool {
			return f.Name == g.Name && f.Size == g.Size && f.CRC32 == g.CRC32
		}
		if !same(b.Labels, set.Labels) || len(b.Tiers) != len(set.Tiers) {
			t.Fatalf("%s bundle %+v disagrees with the manifest %+v %+v: run go generate ./assets", b.Set, b, set.Labels, set.Tiers)
		}
		for i, tier := range b.Tiers {
			if tier.UpTo != set.Tiers[i].UpTo || !same(tier.Images, set.Tiers[i].Images) {
				t.Errorf("%s bundle tier %d %+v, manifest %+v: run go generate ./assets", b.Set, i, tier, set.Tiers[i])
			}
		}
	}
	if got := TrainBundle().maxPerClass(); got != MaxTrainPerClass {
		t.Errorf("training tiers end at %d per class, MaxTrainPerClass is %d", got, MaxTrainPerClass)
	}
	if got := TestBundle().maxPerClass(); got != MaxTestPerClass {
		t.Errorf("test tiers end at %d per class, MaxTestPerClass is %d", got, MaxTestPerClass)
	}
}

func TestBundleFiles(t *testing.T) {
	b := TrainBundle()
	names := func(perClass int) []string {
		files, err := b.Files(perClass)
		if err != nil {
			t.Fatalf("Files(%d): %v", perClass, err)
		}
		var out []string
		for _, f := range files {
			out = append(out, f.Name)
		}
		return out
	}
	labels, first, second := b.Labels.Name, b.Tiers[0].Images.Name, b.Tiers[1].Images.Name
	for _, tt := range []struct {
		perClass int
		want     []string
	}{
		{1, []string{labels, first}},
		{DefaultTrainPerClass, []string{labels, first}},
		{DefaultTrainPerClass + 1, []string{labels, first, second}},
		{MaxTrainPerClass, []string{labels, first, second}},
	} {
		if got := names(tt.perClass); !slices.Equal(got, tt.want) {
			t.Errorf("Files(%d) = %v, want %v", tt.perClass, got, tt.want)
		}
	}
	for _, perClass := range []int{0, MaxTrainPerClass + 1} {
		if _, err := b.Files(perClass); err == nil {
			t.Errorf("Files(%d) succeeded", perClass)
		}
	}
}

// readBundle reads the embedded files that Files(perClass) lists.
func readBundle(t *testing.T, b Bundle, perClass int) [][]byte {
	t.Helper()
	files, err := b.Files(perClass)
	if err != nil {
		t.Fatal(err)
	}
	var contents [][]byte
	for _, f := range files {
		c, err := data.ReadFile(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		contents = append(contents, c)
	}
	return contents
}

// At every tier, the sets assembled from the files as a browser fetches
// them are the ones Train and Test give natively, MNIST indices included:
// the first tiers give the whole set's FirstPerClass, so a run trains on
// the same images whether its program fetched one tier or all, and the
// labels file alone gives the whole set's labels and indices (Catalog).
func TestAssembledSetsAreTheEmbeddedOnes(t *testing.T) {
	for _, tt := range []struct {
		b    Bundle
		load func() (*Dataset, error)
	}{{TrainBundle(), Train}, {TestBundle(), Test}} {
		native, err := tt.load()
		if err != nil {
			t.Fatal(err)
		}
		for k, tier := range tt.b.Tiers {
			got, err := tt.b.Assemble(readBundle(t, tt.b, tier.UpTo))
			if err != nil {
				t.Fatal(err)
			}
			want, err := native.FirstPerClass(tier.UpTo)
			if err != nil {
				t.Fatal(err)
			}
			if got.Len() != 10*tier.UpTo || !reflect.DeepEqual(got, want) {
				t.Errorf("%s set, tiers 1 to %d: %d images, not the first %d of each class that %s gives natively", tt.b.Set, k+1, got.Len(), tier.UpTo, tt.b.Set)
			}
		}
		c, err := tt.b.Catalog(readBundle(t, tt.b, 1)[0])
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(c, native.Catalog()) {
			t.Errorf("%s set: the labels file's catalog differs from the native set's labels and indices", tt.b.Set)
		}
	}
}

// The first tier alone gives each class's first images in the whole set's
// order, and no more.
func TestFirstTierGivesTheFirstImages(t *testing.T) {
	b := TrainBundle()
	whole, err := b.Assemble(readBundle(t, b, MaxTrainPerClass))
	if err != nil {
		t.Fatal(err)
	}
	first, err := b.Assemble(readBundle(t, b, DefaultTrainPerClass))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 37, DefaultTrainPerClass} {
		a, err := whole.FirstPerClass(n)
		if err != nil {
			t.Fatal(err)
		}
		c, err := first.FirstPerClass(n)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, c) {
			t.Errorf("FirstPerClass(%d) differs between the whole set and its first tier", n)
		}
	}
	if _, err := first.FirstPerClass(DefaultTrainPerClass + 1); err == nil {
		t.Error("the first tier gave more images of a class than it holds")
	}
}

// A label's position in the labels file is its MNIST index; each class's
// labels beyond the last tier are skipped.
func TestCatalog(t *testing.T) {
	b := Bundle{Set: "toy", Labels: File{Name: "labels"}, Tiers: []Tier{{UpTo: 1}, {UpTo: 2}}}
	c, err := b.catalog([]byte{3, 1, 3, 3, 0, 1, 9, 1})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c.Labels, []byte{3, 1, 3, 0, 1, 9}) || !slices.Equal(c.Indices, []int{0, 1, 2, 4, 5, 6}) {
		t.Errorf("catalog %v %v", c.Labels, c.Indices)
	}
	if _, err := b.catalog([]byte{3, 10}); err == nil || !strings.Contains(err.Error(), "label 10 at position 1") {
		t.Errorf("a label out of range: %v", err)
	}
	labels := readBundle(t, TestBundle(), 1)[0]
	if _, err := TrainBundle().Catalog(labels); err == nil || !strings.Contains(err.Error(), TrainBundle().Labels.Name) {
		t.Errorf("the test set's labels taken for the training set's: %v", err)
	}
}

// merge interleaves the tiers by the labels: each class's first images
// from the first tier, the next from the second.
func TestMerge(t *testing.T) {
	b := Bundle{Set: "toy", Labels: File{Name: "labels"}, Tiers: []Tier{{UpTo: 1, Images: File{Name: "one"}}, {UpTo: 3, Images: File{Name: "two"}}}}
	labels, err := b.catalog([]byte{3, 1, 3, 3, 0, 3}) // the fourth 3 is not bundled
	if err != nil {
		t.Fatal(err)
	}
	one := idx.Images{Count: 3, Rows: 1, Cols: 1, Pixels: []byte{30, 10, 0}} // the first 3, 1 and 0
	two := idx.Images{Count: 2, Rows: 1, Cols: 1, Pixels: []byte{31, 32}}    // the second and third 3
	d, err := b.merge(labels, []idx.Images{one, two})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(d.Pixels, []byte{30, 10, 31, 32, 0}) || !bytes.Equal(d.Labels, []byte{3, 1, 3, 3, 0}) || !slices.Equal(d.Indices, []int{0, 1, 2, 3, 4}) {
		t.Errorf("merged %v %v %v", d.Pixels, d.Labels, d.Indices)
	}
	d, err = b.merge(labels, []idx.Images{one})
	if err != nil || !bytes.Equal(d.Pixels, []byte{30, 10, 0}) || !slices.Equal(d.Indices, []int{0, 1, 4}) {
		t.Errorf("first tier only: %v %v, %v", d.Pixels, d.Indices, err)
	}
	short := idx.Images{Count: 1, Rows: 1, Cols: 1, Pixels: []byte{31}}
	if _, err := b.merge(labels, []idx.Images{one, short}); err == nil || !strings.Contains(err.Error(), "two holds 1 images") {
		t.Errorf("a tier with too few images: %v", err)
	}
	long := idx.Images{Count: 4, Rows: 1, Cols: 1, Pixels: []byte{30, 10, 0, 5}}
	if _, err := b.merge(labels, []idx.Images{long}); err == nil || !strings.Contains(err.Error(), "the labels place 3 in it") {
		t.Errorf("a tier with too many images: %v", err)
	}
}

func TestAssembleRejects(t *testing.T) {
	b := TrainBundle()
	good := readBundle(t, b, MaxTrainPerClass)
	changed := func(i int, edit func([]byte) []byte) [][]byte {
		out := slices.Clone(good)
		out[i] = edit(slices.Clone(good[i]))
		return out
	}
	for _, tt := range []struct {
		name     string
		contents [][]byte
		want     string
	}{
		{"no images", good[:1], "1 files given"},
		{"too many files", append(slices.Clone(good), good[1]), "4 files given"},
		{"labels cut short", changed(0, func(c []byte) []byte { return c[:len(c)-1] }), fmt.Sprintf("%s is %d bytes, want %d", b.Labels.Name, b.Labels.Size-1, b.Labels.Size)},
		{"a flipped bit", changed(2, func(c []byte) []byte { c[100] ^= 1; return c }), b.Tiers[1].Images.Name + " has CRC-32"},
		{"tiers swapped", [][]byte{good[0], good[2], good[1]}, b.Tiers[0].Images.Name + " is"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.Assemble(tt.contents)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Assemble error %v, want one containing %q", err, tt.want)
			}
		})
	}
}
