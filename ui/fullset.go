package ui

import (
	"fmt"

	"convlab/assets"
	"convlab/ui/runner"
	"convlab/ui/settings"
)

// fullSetFetcher is a Host that can download MNIST's full files (the page
// can): it shows their progress with a way to cancel, and calls done once,
// from any goroutine, with the whole test set and the training set's
// catalog (the page's workers fetch the training images themselves, from
// the browser's HTTP cache by then), or why they could not be had.
type fullSetFetcher interface {
	FetchFullSet(done func(test *assets.Dataset, train *assets.Catalog, err error))
}

// fullSetResult is what a download of the full files gave.
type fullSetResult struct {
	test  *assets.Dataset
	train *assets.Catalog
	err   error
}

// fullSet follows the download of MNIST's full files for a run that asks
// for more images of a class than the bundle holds (Settings.NeedsFullSet).
// What asked for them — a reset, an added run — waits in pending and is
// done when they are in; if they cannot be had, it is dropped, saying why,
// and the bundled images serve on.
type fullSet struct {
	done    chan fullSetResult // non-nil while downloading
	pending []func() error
}

// errFullSetDownloading answers a request that waits for the full files.
var errFullSetDownloading = fmt.Errorf("MNIST's full files (%.1f MB) are downloading (see the bar); the run is set up with these settings when they are in",
	float64(assets.FullBytes())/1e6)

// hasFullSet reports whether the library holds what the page needs of
// MNIST's full files: the whole test set and the training catalog.
func hasFullSet(lib *runner.Library) bool {
	return lib.Test != nil && lib.Test.Len() == assets.FullTest().Size() &&
		lib.TrainCatalog != nil && len(lib.TrainCatalog.Labels) == assets.FullTrain().Size()
}

// withData does then at once if lib holds the images a run with settings
// s uses; else it starts downloading MNIST's full files through host
// (once) and keeps then for when they are in, returning (and noting)
// errFullSetDownloading, or an error if this page cannot download them.
func (f *fullSet) withData(lib *runner.Library, host Host, note func(string), s settings.Settings, then func() error) error {
	if !s.NeedsFullSet() || hasFullSet(lib) {
		return then()
	}
	fetcher, ok := host.(fullSetFetcher)
	if !ok {
		return fmt.Errorf("more than %d training or %d test images per class need MNIST's full files, which only the web page can download",
			assets.MaxTrainPerClass, assets.MaxTestPerClass)
	}
	f.pending = append(f.pending, then)
	if f.done == nil {
		done := make(chan fullSetResult, 1)
		f.done = done
		fetcher.FetchFullSet(func(test *assets.Dataset, train *assets.Catalog, err error) {
			done <- fullSetResult{test: test, train: train, err: err}
		})
	}
	note(errFullSetDownloading.Error())
	return errFullSetDownloading
}

// take takes in a finished download, if any: lib gets the full test set
// and training catalog, and what waited for them is done, each outcome
// given to report; or the failure is noted and what waited is dropped.
func (f *fullSet) take(lib *runner.Library, note func(string), report func(error)) {
	if f.done == nil {
		return
	}
	var r fullSetResult
	select {
	case r = <-f.done:
	default:
		return
	}
	pending := f.pending
	*f = fullSet{}
	if r.err != nil {
		note(fmt.Sprintf("MNIST's full files could not be downloaded: %v. The bundled images are still here: choose at most %d training and %d test images per class, or try again.",
			r.err, assets.MaxTrainPerClass, assets.MaxTestPerClass))
		return
	}
	lib.Test, lib.TrainCatalog = r.test, r.train
	for _, then := range pending {
		report(then())
	}
}

// downloading reports whether MNIST's full files are being downloaded.
func (f *fullSet) downloading() bool { return f.done != nil }
