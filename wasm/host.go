//go:build js && wasm

package main

import (
	"strings"
	"syscall/js"

	"convlab/ui"
	"convlab/ui/api"
	"convlab/ui/screen"
)

// pageHost is what the dashboard asks of the page: files saved as
// downloads, model files opened from a file picker or dropped on the
// page, and charts drawn off screen.
type pageHost struct {
	handle *ui.Handle
	picker js.Value // a hidden <input type=file> for model files
}

// newPageHost sets up the file picker and lets model files be dropped
// anywhere on the page; either becomes a loadModel request.
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

// load reads a model file's text and posts it to the dashboard.
func (p *pageHost) load(file js.Value) {
	name := file.Get("name").String()
	var done js.Func
	done = js.FuncOf(func(_ js.Value, args []js.Value) any {
		defer done.Release()
		_ = p.handle.Post(ui.Request{Call: api.CallLoadModel, Text: args[0].String(), Name: name}) // a full queue drops the file; the user may drop it again
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
