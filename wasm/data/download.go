//go:build js && wasm

package data

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"syscall/js"
)

// ErrCancelled is the error of a Download's fetches once it is cancelled.
var ErrCancelled = errors.New("the download was cancelled")

// Download fetches files one after another, reading each body as it
// streams in, so that it can report the bytes received as they come
// (Progress) and be cancelled half-way (Cancel): what the page needs to
// show the full MNIST files arriving. Its Fetch is a Fetcher for a Loader.
// Fetch blocks: call it from a goroutine that may wait.
type Download struct {
	abort    js.Value             // the AbortController of every fetch
	progress func(got, total int) // called after every chunk, from Fetch's goroutine
	total    int                  // bytes expected in all
	got      int                  // bytes received so far
}

// NewDownload returns a download of total bytes in all, which reports
// every chunk received to progress.
func NewDownload(total int, progress func(got, total int)) *Download {
	return &Download{abort: js.Global().Get("AbortController").New(), progress: progress, total: total}
}

// Cancel stops the fetch under way and every later one, which fail with
// ErrCancelled. It may be called from a JavaScript event handler.
func (d *Download) Cancel() { d.abort.Call("abort") }

// Fetch gets name, a path relative to the page, reading its body chunk by
// chunk, and fails with the server's answer, the network's error or
// ErrCancelled.
func (d *Download) Fetch(name string) ([]byte, error) {
	opts := js.Global().Get("Object").New()
	opts.Set("signal", d.abort.Get("signal"))
	r, err := await(js.Global().Call("fetch", name, opts))
	if err != nil {
		return nil, d.failed(name, err)
	}
	if !r.Get("ok").Bool() {
		return nil, fmt.Errorf("fetching %s: the server answered %d %s", name, r.Get("status").Int(), r.Get("statusText").String())
	}
	reader := r.Get("body").Call("getReader")
	var body []byte
	// Size the buffer once when the server says how long the file is (the
	// files are served as they are, not compressed again), so the page's
	// memory, which never shrinks, holds no half-grown copies.
	if n, err := strconv.Atoi(r.Get("headers").Call("get", "Content-Length").String()); err == nil && n > 0 && n <= d.total {
		body = make([]byte, 0, n)
	}
	for {
		chunk, err := await(reader.Call("read"))
		if err != nil {
			return nil, d.failed(name, err)
		}
		if chunk.Get("done").Bool() {
			return body, nil
		}
		v := chunk.Get("value")
		n := v.Get("length").Int()
		body = slices.Grow(body, n)[:len(body)+n]
		js.CopyBytesToGo(body[len(body)-n:], v)
		d.got += n
		if d.progress != nil {
			d.progress(d.got, d.total)
		}
	}
}

// failed describes a rejected fetch or read: ErrCancelled once cancelled,
// else the browser's reason, naming the file.
func (d *Download) failed(name string, err error) error {
	if d.abort.Get("signal").Get("aborted").Bool() {
		return ErrCancelled
	}
	return fmt.Errorf("fetching %s: %w", name, err)
}

// await waits for a promise and returns its value, or its rejection's
// message as an error.
func await(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	done := make(chan result, 1)
	onValue := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- result{v: args[0]}
		return nil
	})
	onError := js.FuncOf(func(_ js.Value, args []js.Value) any {
		why := "the request failed"
		if len(args) > 0 {
			if m := args[0].Get("message"); m.Type() == js.TypeString && m.String() != "" {
				why = m.String()
			}
		}
		done <- result{err: errors.New(why)}
		return nil
	})
	defer onValue.Release()
	defer onError.Release()
	p.Call("then", onValue, onError)
	r := <-done
	return r.v, r.err
}
