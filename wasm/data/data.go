//go:build js && wasm

// Package data fetches the MNIST files from the site for the browser's
// programs, the page and the training worker, and hands them to package
// assets, which checks (size, CRC-32, IDX headers) and assembles them:
// the bundled subset (make dist copies it to dist/data/), and MNIST's
// full original files (dist/data/mnist/), fetched only for a run that asks
// for more images of a class than the bundle holds. The page and its
// workers fetch the same URLs, so the browser's HTTP cache downloads each
// file once.
package data

import (
	"fmt"
	"syscall/js"

	"convlab/assets"
	"convlab/wasm/link"
)

// Fetcher returns the bytes of a bundled file, by its name relative to the
// site (assets.File.Name).
type Fetcher func(name string) ([]byte, error)

// Loader fetches and assembles the bundled sets, remembering the training
// set with the most tiers assembled so far. It blocks while fetching:
// call it from a goroutine that may wait, never from a JavaScript event
// handler. It is not safe for concurrent use.
type Loader struct {
	fetch Fetcher
	train *assets.Dataset // nil until a training set was assembled
	tiers int             // the bundled tiers train holds, if not full
	full  bool            // train is MNIST's whole training set
	test  *assets.Dataset // nil until a test set was assembled
}

// NewLoader returns a loader that gets the files from fetch (Fetch in the
// browser).
func NewLoader(fetch Fetcher) *Loader { return &Loader{fetch: fetch} }

// Train returns a training set that holds at least perClass images of each
// class (assets.AllPerClass: every image), in MNIST's file order: the
// bundled set's first tiers while they are enough (assets.Bundle.Files),
// else MNIST's whole training set (assets.FullTrain). It is fetched and
// assembled the first time, and the same Dataset comes again while it is
// enough. Once the whole set is here, the bundled one is let go: the
// whole set's first images of each class are the bundled images.
func (l *Loader) Train(perClass int) (*assets.Dataset, error) {
	if l.full {
		return l.train, nil
	}
	if perClass > assets.MaxTrainPerClass {
		d, err := l.Full(assets.FullTrain())
		if err != nil {
			return nil, err
		}
		l.train, l.full = d, true
		return d, nil
	}
	b := assets.TrainBundle()
	files, err := b.Files(perClass)
	if err != nil {
		return nil, err
	}
	if tiers := len(files) - 1; l.train == nil || tiers > l.tiers {
		d, err := l.assemble(b, files)
		if err != nil {
			return nil, err
		}
		l.train, l.tiers = d, tiers
	}
	return l.train, nil
}

// TrainCatalog fetches the bundled training set's labels file alone (a
// few kilobytes, no images) and returns the training images' labels and
// MNIST indices (assets.Bundle.Catalog): what the page needs to name the
// images its workers train on.
func (l *Loader) TrainCatalog() (*assets.Catalog, error) {
	b := assets.TrainBundle()
	content, err := l.fetch(b.Labels.Name)
	if err != nil {
		return nil, fmt.Errorf("the MNIST %s labels: %w", b.Set, err)
	}
	c, err := b.Catalog(content)
	if err != nil {
		return nil, fmt.Errorf("the MNIST %s labels: %w", b.Set, err)
	}
	return c, nil
}

// Test returns a test set that holds at least perClass images of each
// class: the bundled one while it is enough, else MNIST's whole test set
// (assets.FullTest); fetched the first time, as Train does.
func (l *Loader) Test(perClass int) (*assets.Dataset, error) {
	if l.test != nil && (l.test.Len() == assets.FullTest().Size() || perClass <= assets.MaxTestPerClass) {
		return l.test, nil
	}
	var d *assets.Dataset
	var err error
	if perClass > assets.MaxTestPerClass {
		d, err = l.Full(assets.FullTest())
	} else {
		b := assets.TestBundle()
		var files []assets.File
		if files, err = b.Files(assets.MaxTestPerClass); err == nil {
			d, err = l.assemble(b, files)
		}
	}
	if err != nil {
		return nil, err
	}
	l.test = d
	return d, nil
}

// Full fetches one of MNIST's full sets, labels first, and assembles it
// (assets.FullSet.Assemble), failing with a message that names the file
// that could not be had or was damaged. It keeps nothing: Train and Test
// remember what they return.
func (l *Loader) Full(set assets.FullSet) (*assets.Dataset, error) {
	labels, err := l.fetch(set.Labels.Name)
	if err != nil {
		return nil, fmt.Errorf("MNIST's full %s set: %w", set.Set, err)
	}
	images, err := l.fetch(set.Images.Name)
	if err != nil {
		return nil, fmt.Errorf("MNIST's full %s set: %w", set.Set, err)
	}
	d, err := set.Assemble(images, labels)
	if err != nil {
		return nil, fmt.Errorf("MNIST's full %s set: %w", set.Set, err)
	}
	return d, nil
}

func (l *Loader) assemble(b assets.Bundle, files []assets.File) (*assets.Dataset, error) {
	contents := make([][]byte, len(files))
	for i, f := range files {
		c, err := l.fetch(f.Name)
		if err != nil {
			return nil, fmt.Errorf("the MNIST %s images: %w", b.Set, err)
		}
		contents[i] = c
	}
	d, err := b.Assemble(contents)
	if err != nil {
		return nil, fmt.Errorf("the MNIST %s images: %w", b.Set, err)
	}
	return d, nil
}

// Fetch gets name, a path relative to the page or worker script, with the
// browser's fetch, and fails with the server's answer or the network's
// error.
func Fetch(name string) ([]byte, error) {
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	var onResponse, onBody, onError js.Func
	onError = js.FuncOf(func(_ js.Value, args []js.Value) any {
		why := "the request failed"
		if len(args) > 0 {
			if m := args[0].Get("message"); m.Type() == js.TypeString {
				why = m.String()
			}
		}
		done <- result{err: fmt.Errorf("fetching %s: %s", name, why)}
		return nil
	})
	onBody = js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- result{b: link.BytesOf(args[0])}
		return nil
	})
	onResponse = js.FuncOf(func(_ js.Value, args []js.Value) any {
		r := args[0]
		if !r.Get("ok").Bool() {
			done <- result{err: fmt.Errorf("fetching %s: the server answered %d %s", name, r.Get("status").Int(), r.Get("statusText").String())}
			return nil
		}
		r.Call("arrayBuffer").Call("then", onBody, onError)
		return nil
	})
	defer func() {
		onResponse.Release()
		onBody.Release()
		onError.Release()
	}()
	js.Global().Call("fetch", name).Call("then", onResponse, onError)
	r := <-done
	return r.b, r.err
}
