//go:build js && wasm

// Package data fetches the bundled MNIST files from the site (make dist
// copies them to dist/data/) for the browser's programs, the page and the
// training worker, and hands them to package assets, which checks (size,
// CRC-32) and assembles them. The page and its workers fetch the same
// URLs, so the browser's HTTP cache downloads each file once.
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
	tiers int             // the tiers train holds
}

// NewLoader returns a loader that gets the files from fetch (Fetch in the
// browser).
func NewLoader(fetch Fetcher) *Loader { return &Loader{fetch: fetch} }

// Train returns the training set's first tiers, enough for perClass images
// of each class (assets.Bundle.Files): fetched and assembled the first
// time, the same Dataset again while it is enough.
func (l *Loader) Train(perClass int) (*assets.Dataset, error) {
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

// TrainCatalog fetches the training set's labels file alone (a few
// kilobytes, no images) and returns the training images' labels and MNIST
// indices (assets.Bundle.Catalog): what the page needs to name the images
// its workers train on.
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

// Test fetches and assembles the whole test set.
func (l *Loader) Test() (*assets.Dataset, error) {
	b := assets.TestBundle()
	files, err := b.Files(assets.MaxTestPerClass)
	if err != nil {
		return nil, err
	}
	return l.assemble(b, files)
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
