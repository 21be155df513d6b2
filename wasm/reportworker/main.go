//go:build js && wasm

// Command reportworker writes ConvLab's homework reports (package report)
// in a Web Worker of its own, which the page starts with reportworker.js
// when the first report is asked for. It is a program apart from the app
// so that the code that writes reports is downloaded only then, not on
// every visit, and so that no frame of the dashboard waits for it.
//
// It installs one global function, convlabWriteReport(id, data): data is
// a report's description as reportdata.Encode writes it; the answer is
// posted to the page as {id, html} or {id, error}.
package main

import (
	"fmt"
	"syscall/js"

	"convlab/ui/report"
	"convlab/ui/reportdata"
)

func main() {
	js.Global().Set("convlabWriteReport", js.FuncOf(func(_ js.Value, args []js.Value) any {
		answer := map[string]any{}
		if len(args) > 0 {
			answer["id"] = args[0]
		}
		if page, err := write(args); err != nil {
			answer["error"] = err.Error()
		} else {
			answer["html"] = string(page)
		}
		js.Global().Call("postMessage", answer)
		return nil
	}))
	select {} // the function above answers from now on
}

// write writes the report that args[1] describes. A panic becomes an
// error, so that the page hears of it.
func write(args []js.Value) (page []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("writing the report failed: %v", r)
		}
	}()
	if len(args) != 2 || args[1].Type() != js.TypeString {
		return nil, fmt.Errorf("convlabWriteReport(id, data) takes a report's description as a string")
	}
	r, err := reportdata.Decode([]byte(args[1].String()))
	if err != nil {
		return nil, err
	}
	return report.Build(r)
}
