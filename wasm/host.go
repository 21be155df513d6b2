//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"syscall/js"

	"convlab/assets"
	"convlab/ui"
	"convlab/ui/api"
	"convlab/ui/record"
	"convlab/ui/screen"
	"convlab/wasm/data"
)

// pageHost is what the dashboard asks of the page: files saved as
// downloads, model and experiment files opened from a file picker or
// dropped on the page, and charts drawn off screen.
type pageHost struct {
	handle  *ui.Handle
	picker  js.Value // a hidden <input type=file> for model files
	reports reportWorker
	full    *data.Files // where MNIST's full files are kept once downloaded
}

// FetchFullSet downloads MNIST's full files (downloadFullSet) in a
// goroutine of its own and hands them to done.
func (p *pageHost) FetchFullSet(done func(*assets.Dataset, *assets.Catalog, error)) {
	go func() { done(downloadFullSet(p.full)) }()
}

// newPageHost sets up the file picker and lets files be dropped anywhere
// on the page; either becomes a loadExperiment request for an experiment
// file and a loadModel request for any other (see load).
func newPageHost(h *ui.Handle) *pageHost {
	doc := js.Global().Get("document")
	p := &pageHost{handle: h, picker: doc.Call("createElement", "input")}
	p.picker.Set("type", "file")
	p.picker.Set("accept", ".json,application/json")
	p.picker.Get("style").Set("display", "none")
	doc.Get("body").Call("appendChild", p.picker)
	p.picker.Call("addEventListener", "change", js.FuncOf(func(js.Value, []js.Value) any {
		if files := p.picker.Get("files"); files.Length() > 0 {
			p.load(files.Index(0))
		}
		p.picker.Set("value", "")
		return nil
	}))
	doc.Call("addEventListener", "dragover", js.FuncOf(func(_ js.Value, args []js.Value) any {
		args[0].Call("preventDefault") // allows the drop
		return nil
	}))
	doc.Call("addEventListener", "drop", js.FuncOf(func(_ js.Value, args []js.Value) any {
		e := args[0]
		e.Call("preventDefault") // the browser would open the file instead
		if files := e.Get("dataTransfer").Get("files"); files.Length() > 0 {
			p.load(files.Index(0))
		}
		return nil
	}))
	return p
}

// load reads a file's text and posts it to the dashboard: as an
// experiment when it begins as one (record.IsExperiment), even a damaged
// one, so that the error says what is wrong with it; as a model file
// otherwise.
func (p *pageHost) load(file js.Value) {
	name := file.Get("name").String()
	var done js.Func
	done = js.FuncOf(func(_ js.Value, args []js.Value) any {
		defer done.Release()
		text := args[0].String()
		call := api.CallLoadModel
		if record.IsExperiment([]byte(text[:min(len(text), 1024)])) {
			call = api.CallLoadExperiment
		}
		_ = p.handle.Post(ui.Request{Call: call, Text: text, Name: name}) // a full queue drops the file; the user may drop it again
		return nil
	})
	file.Call("text").Call("then", done)
}

// Save offers data as a download called name.
func (p *pageHost) Save(name, mime string, data []byte) {
	bytes := js.Global().Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(bytes, data)
	blob := js.Global().Get("Blob").New([]any{bytes}, map[string]any{"type": mime})
	url := js.Global().Get("URL").Call("createObjectURL", blob)
	a := js.Global().Get("document").Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	a.Call("click")
	// The download reads the blob after this event; free it a minute on,
	// not now, or the browser may find nothing to save.
	var revoke js.Func
	revoke = js.FuncOf(func(js.Value, []js.Value) any {
		js.Global().Get("URL").Call("revokeObjectURL", url)
		revoke.Release()
		return nil
	})
	js.Global().Call("setTimeout", revoke, 60_000)
}

// OpenModel opens the file picker. Browsers allow it for a few seconds
// after the user's click, which the dashboard handles on its next frame.
func (p *pageHost) OpenModel() { p.picker.Call("click") }

// commit names the commit the program was built from, as make dist
// stamps it (-X main.commit=…; see the Makefile's COMMIT), or is empty.
var commit string

// Build names the program's build for the report: the commit make dist
// stamped, if any.
func (p *pageHost) Build() string { return commit }

// Address is the page's address without its query or fragment: with the
// experiment's query, the report's link (see ui.App's report).
func (p *pageHost) Address() string {
	href := js.Global().Get("location").Get("href").String()
	if i := strings.IndexAny(href, "?#"); i >= 0 {
		href = href[:i]
	}
	return href
}

// RenderPNG draws off screen (see screen.RenderPNG).
func (p *pageHost) RenderPNG(w, h, scale float64, draw func(ui.Canvas)) ([]byte, error) {
	return screen.RenderPNG(w, h, scale, draw)
}

// WriteReport writes a homework report in the report worker (see
// reportWorker).
func (p *pageHost) WriteReport(data []byte, done func([]byte, error)) { p.reports.write(data, done) }

// reportWorker is the Web Worker that writes homework reports
// (wasm/reportworker: report.wasm, started by reportworker.js). It is
// started by the first report asked for, and kept for the next; if it
// fails to start, the reports waiting fail and the next report starts a
// new one.
type reportWorker struct {
	mu      sync.Mutex // guards what follows: write runs on the dashboard's goroutine, the answers on the page's events
	worker  js.Value   // undefined until started
	waiting map[int]func([]byte, error)
	lastID  int
}

// write posts a report's description to the worker, starting it if need
// be; done receives the report's page.
func (w *reportWorker) write(data []byte, done func([]byte, error)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	defer func() { // a worker the browser refuses throws; the report fails, not the app
		if r := recover(); r != nil {
			w.worker, w.waiting = js.Undefined(), nil
			go done(nil, fmt.Errorf("could not start the report writer: %v", r))
		}
	}()
	if w.worker.IsUndefined() {
		if js.Global().Get("Worker").IsUndefined() {
			go done(nil, errors.New("this browser has no Web Workers, which write the report"))
			return
		}
		w.worker = js.Global().Get("Worker").New("reportworker.js")
		w.worker.Set("onmessage", js.FuncOf(func(_ js.Value, args []js.Value) any {
			w.answer(args[0].Get("data"))
			return nil
		}))
		w.worker.Set("onerror", js.FuncOf(func(_ js.Value, args []js.Value) any {
			w.failAll("the report writer did not load: " + args[0].Get("message").String())
			return nil
		}))
		w.waiting = make(map[int]func([]byte, error))
	}
	w.lastID++
	w.waiting[w.lastID] = done
	w.worker.Call("postMessage", map[string]any{"id": w.lastID, "data": string(data)})
}

// answer hands the worker's answer, {id, html} or {id, error}, to the
// report waiting for it; an error without an id means that the worker
// could not start.
func (w *reportWorker) answer(msg js.Value) {
	id, errText := msg.Get("id"), msg.Get("error")
	if id.Type() != js.TypeNumber {
		w.failAll(errText.String())
		return
	}
	w.mu.Lock()
	done := w.waiting[id.Int()]
	delete(w.waiting, id.Int())
	w.mu.Unlock()
	switch {
	case done == nil:
	case errText.Type() == js.TypeString:
		done(nil, errors.New(errText.String()))
	default:
		done([]byte(msg.Get("html").String()), nil)
	}
}

// failAll fails every report waiting and drops the worker, so that the
// next report starts a new one.
func (w *reportWorker) failAll(why string) {
	w.mu.Lock()
	waiting := w.waiting
	w.waiting = nil
	if !w.worker.IsUndefined() {
		w.worker.Call("terminate")
		w.worker = js.Undefined()
	}
	w.mu.Unlock()
	for _, done := range waiting {
		done(nil, errors.New(why))
	}
}
