//go:build js && wasm

package data

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"convlab/assets"
)

// files serves the bundled files from the repository, as the site does
// from dist/, and records what was asked for.
type files struct {
	asked  []string
	broken map[string]func([]byte) ([]byte, error)
}

func (f *files) fetch(name string) ([]byte, error) {
	f.asked = append(f.asked, name)
	b, err := os.ReadFile(filepath.Join("..", "..", "assets", filepath.FromSlash(name)))
	if err != nil {
		return nil, err
	}
	if breakIt, ok := f.broken[name]; ok {
		return breakIt(b)
	}
	return b, nil
}

// A run of the default size fetches the labels and the first tier only; a
// larger one then fetches the second tier too; and at every tier the sets
// are the ones the embedded files give natively, with the same images,
// labels and MNIST indices.
func TestLoaderFetchesOnlyTheTiersARunNeeds(t *testing.T) {
	f := &files{}
	l := NewLoader(f.fetch)
	b := assets.TrainBundle()
	embedded, err := assets.Train()
	if err != nil {
		t.Fatal(err)
	}
	small, err := l.Train(assets.DefaultTrainPerClass)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{b.Labels.Name, b.Tiers[0].Images.Name}; !slices.Equal(f.asked, want) {
		t.Fatalf("for %d per class fetched %v, want %v", assets.DefaultTrainPerClass, f.asked, want)
	}
	sameAsEmbedded(t, "the first tier", small, embedded, b.Tiers[0].UpTo)
	again, err := l.Train(10)
	if err != nil || again != small || len(f.asked) != 2 {
		t.Fatalf("a smaller run fetched again (%v, %v)", f.asked, err)
	}
	whole, err := l.Train(assets.MaxTrainPerClass)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(f.asked, b.Tiers[1].Images.Name) {
		t.Errorf("the whole set did not fetch the second tier: %v", f.asked)
	}
	sameAsEmbedded(t, "the whole training set", whole, embedded, assets.MaxTrainPerClass)
	test, err := l.Test(assets.MaxTestPerClass)
	if err != nil {
		t.Fatal(err)
	}
	embeddedTest, err := assets.Test()
	if err != nil {
		t.Fatal(err)
	}
	sameAsEmbedded(t, "the test set", test, embeddedTest, assets.MaxTestPerClass)
}

// sameAsEmbedded fails the test unless fetched is the first perClass
// images of each class of embedded: pixels, labels and MNIST indices.
func sameAsEmbedded(t *testing.T, what string, fetched, embedded *assets.Dataset, perClass int) {
	t.Helper()
	want, err := embedded.FirstPerClass(perClass)
	if err != nil {
		t.Fatal(err)
	}
	if fetched.Len() != want.Len() || !bytes.Equal(fetched.Pixels, want.Pixels) || !bytes.Equal(fetched.Labels, want.Labels) {
		t.Errorf("%s: the fetched images differ from the embedded ones", what)
	}
	if !slices.Equal(fetched.Indices, want.Indices) {
		t.Errorf("%s: the fetched images' MNIST indices differ from the embedded ones'", what)
	}
}

// The training catalog comes from the labels file alone and names the
// images as the native training set does.
func TestTrainCatalogFetchesOnlyTheLabels(t *testing.T) {
	f := &files{}
	c, err := NewLoader(f.fetch).TrainCatalog()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{assets.TrainBundle().Labels.Name}; !slices.Equal(f.asked, want) {
		t.Errorf("fetched %v, want %v", f.asked, want)
	}
	embedded, err := assets.Train()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c.Labels, embedded.Labels) || !slices.Equal(c.Indices, embedded.Indices) {
		t.Error("the catalog's labels or MNIST indices differ from the embedded training set's")
	}
	broken := &files{broken: map[string]func([]byte) ([]byte, error){
		assets.TrainBundle().Labels.Name: func(b []byte) ([]byte, error) { return b[1:], nil }}}
	if _, err := NewLoader(broken.fetch).TrainCatalog(); err == nil || !strings.Contains(err.Error(), "a damaged download") {
		t.Errorf("a damaged labels file: %v", err)
	}
}

// A file that cannot be fetched, or arrives damaged, fails the set with a
// message that names the file.
func TestLoaderReportsBadFiles(t *testing.T) {
	tier := assets.TrainBundle().Tiers[0].Images.Name
	for _, tt := range []struct {
		name  string
		fault func([]byte) ([]byte, error)
		want  string
	}{
		{"unreachable", func([]byte) ([]byte, error) {
			return nil, errors.New("fetching " + tier + ": the server answered 404 Not Found")
		}, "404 Not Found"},
		{"cut short", func(b []byte) ([]byte, error) { return b[:len(b)/2], nil }, "a damaged download"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := &files{broken: map[string]func([]byte) ([]byte, error){tier: tt.fault}}
			_, err := NewLoader(f.fetch).Train(assets.DefaultTrainPerClass)
			if err == nil || !strings.Contains(err.Error(), tier) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one naming %s and saying %q", err, tier, tt.want)
			}
		})
	}
}

// Files gives the files it holds before asking the next fetcher, lets a
// file go once given when told to take, and keeps it otherwise.
func TestFilesFetcher(t *testing.T) {
	var held Files
	held.Put("data/mnist/a", []byte("held"))
	var asked []string
	next := func(name string) ([]byte, error) {
		asked = append(asked, name)
		return []byte("fetched"), nil
	}
	keep, take := held.Fetcher(next, false), held.Fetcher(next, true)
	for i, tt := range []struct {
		fetch Fetcher
		want  string
	}{{keep, "held"}, {keep, "held"}, {take, "held"}, {take, "fetched"}, {keep, "fetched"}} {
		got, err := tt.fetch("data/mnist/a")
		if err != nil || string(got) != tt.want {
			t.Errorf("fetch %d: %q, %v; want %q", i+1, got, err, tt.want)
		}
	}
	if len(asked) != 2 || len(held.All()) != 0 {
		t.Errorf("asked the next fetcher %d times (want 2), %d files still held (want 0)", len(asked), len(held.All()))
	}
}
