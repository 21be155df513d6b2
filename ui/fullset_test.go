package ui

import (
	"errors"
	"strings"
	"testing"

	"convlab/assets"
	"convlab/ui/runner"
	"convlab/ui/settings"
)

// downloadHost is a Host that downloads MNIST's full files when told:
// FetchFullSet keeps done for the test to call.
type downloadHost struct {
	fileHost
	asked int
	done  func(*assets.Dataset, *assets.Catalog, error)
}

func (h *downloadHost) FetchFullSet(done func(*assets.Dataset, *assets.Catalog, error)) {
	h.asked++
	h.done = done
}

// fakeFull returns a blank test set and a training catalog of MNIST's
// full sizes and counts per class.
func fakeFull() (*assets.Dataset, *assets.Catalog) {
	labels := func(set assets.FullSet) []uint8 {
		var out []uint8
		for class, n := range set.CountPerClass {
			for range n {
				out = append(out, uint8(class))
			}
		}
		return out
	}
	test := &assets.Dataset{Rows: 28, Cols: 28, Labels: labels(assets.FullTest())}
	test.Pixels = make([]uint8, test.Len()*28*28)
	test.Indices = make([]int, test.Len())
	train := &assets.Catalog{Labels: labels(assets.FullTrain())}
	train.Indices = make([]int, len(train.Labels))
	return test, train
}

// newDownloadApp returns an App on a library of its own (the test changes
// it) with the default run, and its download host.
func newDownloadApp(t *testing.T) (*App, *downloadHost, *runner.Library) {
	t.Helper()
	shared, err := library()
	if err != nil {
		t.Fatal(err)
	}
	lib := &runner.Library{Train: shared.Train, Test: shared.Test, TrainCatalog: shared.TrainCatalog}
	a, err := New(lib, func() runner.Backend { return runner.NewLocal(lib) }, []settings.Settings{settings.Defaults()}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := &downloadHost{fileHost: *newFileHost()}
	a.SetHost(h)
	return a, h, lib
}

// A reset that asks for every image waits for MNIST's full files, which
// are downloaded once however often it is asked, and is done when they
// are in: the library then holds the full test set and training catalog.
func TestResetWaitsForTheFullSet(t *testing.T) {
	a, h, lib := newDownloadApp(t)
	all := settings.Defaults()
	all.TrainPerClass, all.TestPerClass, all.Epochs = assets.AllPerClass, assets.AllPerClass, 1
	for range 2 {
		if err := a.reset(all); !errors.Is(err, errFullSetDownloading) {
			t.Fatalf("reset with all the images: %v, want %v", err, errFullSetDownloading)
		}
	}
	if h.asked != 1 || !a.fullSet.downloading() {
		t.Fatalf("the full files were asked for %d times (want 1), downloading %v", h.asked, a.fullSet.downloading())
	}
	a.Update(Input{})
	if got := a.sess().Settings().TrainPerClass; got != settings.Defaults().TrainPerClass {
		t.Fatalf("before the files are in the run has %s training images per class", settings.PerClass(got))
	}
	test, catalog := fakeFull()
	h.done(test, catalog, nil) // never blocks: the page calls it from its download's goroutine
	a.Update(Input{})
	if a.fullSet.downloading() {
		t.Fatal("still downloading after the files were handed over")
	}
	if lib.Test != test || lib.TrainCatalog != catalog || !hasFullSet(lib) {
		t.Error("the library does not hold the full test set and catalog")
	}
	if s := a.sess().Settings(); s.TrainPerClass != assets.AllPerClass || s.TestPerClass != assets.AllPerClass {
		t.Errorf("after the download the run has %s training and %s test images per class, want all", settings.PerClass(s.TrainPerClass), settings.PerClass(s.TestPerClass))
	}
	if err := a.add(all); err != nil || h.asked != 1 {
		t.Errorf("a run added with the files in: %v, %d downloads", err, h.asked)
	}
}

// A download that fails is reported, saying why and that the bundle is
// still there; the run keeps its settings, and a later request tries again.
func TestFailedFullSetDownloadKeepsTheBundle(t *testing.T) {
	a, h, lib := newDownloadApp(t)
	more := settings.Defaults()
	more.TrainPerClass = 1000
	if err := a.add(more); !errors.Is(err, errFullSetDownloading) {
		t.Fatalf("adding a run of 1000 images per class: %v", err)
	}
	h.done(nil, nil, errors.New("fetching data/mnist/train-images-idx3-ubyte.gz: the server answered 404 Not Found"))
	a.Update(Input{})
	msgs := strings.Join(a.notices.list, "\n")
	for _, want := range []string{"could not be downloaded", "train-images-idx3-ubyte.gz", "404 Not Found", "The bundled images are still here"} {
		if !strings.Contains(msgs, want) {
			t.Errorf("the messages do not say %q:\n%s", want, msgs)
		}
	}
	if len(a.lab.Runs()) != 1 || hasFullSet(lib) || a.fullSet.downloading() {
		t.Errorf("%d runs, full set %v, downloading %v; want the 1 run on the bundle", len(a.lab.Runs()), hasFullSet(lib), a.fullSet.downloading())
	}
	if err := a.add(more); !errors.Is(err, errFullSetDownloading) || h.asked != 2 {
		t.Errorf("asking again: %v after %d downloads, want a second download", err, h.asked)
	}
}

// Without a page that can download (natively, say) a run beyond the
// bundle is refused, saying why.
func TestNoFullSetWithoutThePage(t *testing.T) {
	a := newTestApp(t, "")
	all := settings.Defaults()
	all.TrainPerClass = assets.AllPerClass
	if err := a.reset(all); err == nil || !strings.Contains(err.Error(), "only the web page can download") {
		t.Errorf("reset with all the images and no page: %v", err)
	}
	if got := a.sess().Settings().TrainPerClass; got != settings.Defaults().TrainPerClass {
		t.Errorf("the run has %s training images per class after the refusal", settings.PerClass(got))
	}
}
