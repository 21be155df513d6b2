//go:build js && wasm

package main

import (
	"fmt"
	"syscall/js"

	"convlab/assets"
	"convlab/wasm/data"
)

// downloadFullSet downloads MNIST's full files for a run that asks for
// more images than the bundle holds, showing their progress in the
// loading card (the bar, the megabytes received of the total, and a
// Cancel button): the test set, which the page keeps whole, the training
// labels, which name the training images in the report, and the training
// images, which are only checked (size and CRC-32) here: the workers parse
// them. Every file is kept in keep once all are in and checked, for the
// page's own training and to be posted to each worker that needs them
// (link.PostFile). It blocks: call it from a goroutine that may wait. On
// failure or Cancel it returns why, and the page goes on with the bundled
// images.
func downloadFullSet(keep *data.Files) (*assets.Dataset, *assets.Catalog, error) {
	train, test := assets.FullTrain(), assets.FullTest()
	card := showDownloadCard(fmt.Sprintf("Downloading MNIST: %d training and %d test images…", train.Size(), test.Size()))
	defer card.close()
	dl := data.NewDownload(assets.FullBytes(), card.progress)
	card.onCancel(dl.Cancel)

	got := &data.Files{}
	fullTest, err := data.NewLoader(got.Fetcher(func(name string) ([]byte, error) {
		b, err := dl.Fetch(name)
		if err == nil {
			got.Put(name, b)
		}
		return b, err
	}, false)).Full(test)
	if err != nil {
		return nil, nil, err
	}
	labels, err := dl.Fetch(train.Labels.Name)
	if err != nil {
		return nil, nil, fmt.Errorf("MNIST's full training set: %w", err)
	}
	catalog, err := train.Catalog(labels)
	if err != nil {
		return nil, nil, fmt.Errorf("MNIST's full training set: %w", err)
	}
	images, err := dl.Fetch(train.Images.Name)
	if err != nil {
		return nil, nil, fmt.Errorf("MNIST's full training set: %w", err)
	}
	if err := train.Images.Check(images); err != nil {
		return nil, nil, fmt.Errorf("MNIST's full training set: %w", err)
	}
	got.Put(train.Labels.Name, labels)
	got.Put(train.Images.Name, images)
	for name, content := range got.All() {
		keep.Put(name, content)
	}
	return fullTest, catalog, nil
}

// downloadCard is the loading card (#loader in index.html) showing a
// download: shown over the dashboard, and put back as it was by close.
type downloadCard struct {
	loader, what, fill, detail, cancel js.Value
	was                                [3]string // the card's display, text and detail before
	onClick                            js.Func
	total                              int
}

func showDownloadCard(what string) *downloadCard {
	doc := js.Global().Get("document")
	get := func(id string) js.Value { return doc.Call("getElementById", id) }
	c := &downloadCard{loader: get("loader"), what: get("what"), fill: get("fill"), detail: get("detail"), cancel: get("cancel")}
	c.was = [3]string{c.loader.Get("style").Get("display").String(), c.what.Get("textContent").String(), c.detail.Get("textContent").String()}
	c.loader.Get("style").Set("display", "flex")
	c.what.Set("textContent", what)
	c.fill.Get("style").Set("width", "0%")
	c.cancel.Set("hidden", false)
	return c
}

// progress shows got of total bytes received.
func (c *downloadCard) progress(got, total int) {
	mb := func(n int) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
	c.fill.Get("style").Set("width", fmt.Sprintf("%.1f%%", 100*float64(got)/float64(max(total, 1))))
	c.detail.Set("textContent", mb(got)+" of "+mb(total))
}

// onCancel makes the Cancel button call cancel.
func (c *downloadCard) onCancel(cancel func()) {
	c.onClick = js.FuncOf(func(js.Value, []js.Value) any {
		cancel()
		return nil
	})
	c.cancel.Call("addEventListener", "click", c.onClick)
}

// close hides the Cancel button and puts the card back as it was.
func (c *downloadCard) close() {
	c.cancel.Set("hidden", true)
	if c.onClick.Truthy() {
		c.cancel.Call("removeEventListener", "click", c.onClick)
		c.onClick.Release()
	}
	c.loader.Get("style").Set("display", c.was[0])
	c.what.Set("textContent", c.was[1])
	c.detail.Set("textContent", c.was[2])
	c.fill.Get("style").Set("width", "100%")
}
