//go:build js && wasm

package main

import (
	"encoding/json"
	"fmt"
	"syscall/js"

	"convlab/ui"
	"convlab/ui/api"
)

// newHandle builds window.convlab with the functions package api
// describes. Calls that change the dashboard are queued for its next
// frame and return a Promise of their Result; the others answer from what
// the last frame published (see ui.Handle). A function that panics reports
// the panic as {error} instead of ending the Go program.
func newHandle(h *ui.Handle) js.Value {
	funcs := map[api.Call]func(args []js.Value) any{
		api.CallStatus:      func([]js.Value) any { return toJS(h.Status()) },
		api.CallStart:       func(args []js.Value) any { return start(h, args) },
		api.CallPause:       func([]js.Value) any { return queue(h, ui.Request{Call: api.CallPause}) },
		api.CallReset:       func([]js.Value) any { return queue(h, ui.Request{Call: api.CallReset}) },
		api.CallStep:        func([]js.Value) any { return queue(h, ui.Request{Call: api.CallStep}) },
		api.CallClassify:    func(args []js.Value) any { return classify(h, args) },
		api.CallModel:       func([]js.Value) any { return model(h) },
		api.CallClearPad:    func([]js.Value) any { return queue(h, ui.Request{Call: api.CallClearPad}) },
		api.CallRuns:        func([]js.Value) any { return toJS(h.Status().Runs) },
		api.CallAddRun:      func(args []js.Value) any { return addRun(h, args) },
		api.CallCompare:     func(args []js.Value) any { return textCall(h, api.CallCompare, args) },
		api.CallSelectRun:   func(args []js.Value) any { return selectRun(h, args) },
		api.CallSelectEpoch: func(args []js.Value) any { return selectEpoch(h, args) },
		api.CallExportCSV:   func([]js.Value) any { return h.CSV() },
		api.CallLoadModel:   func(args []js.Value) any { return textCall(h, api.CallLoadModel, args) },
		api.CallSave:        func(args []js.Value) any { return textCall(h, api.CallSave, args) },
		api.CallReport:      func([]js.Value) any { return queue(h, ui.Request{Call: api.CallReport}) },
		api.CallGradients:   func(args []js.Value) any { return gradients(h, args) },

		api.CallSaveExperiment: func([]js.Value) any { return queue(h, ui.Request{Call: api.CallSaveExperiment}) },
		api.CallExperiment:     func([]js.Value) any { return queue(h, ui.Request{Call: api.CallExperiment}) },
		api.CallLoadExperiment: func(args []js.Value) any { return textCall(h, api.CallLoadExperiment, args) },
		api.CallClear:          func([]js.Value) any { return queue(h, ui.Request{Call: api.CallClear}) },
	}
	obj := js.Global().Get("Object").New()
	obj.Set("ready", false)
	for _, call := range api.Calls() {
		f, ok := funcs[call]
		if !ok {
			panic(fmt.Sprintf("wasm: no function for convlab.%s", call))
		}
		obj.Set(string(call), js.FuncOf(func(_ js.Value, args []js.Value) (out any) {
			defer func() {
				if r := recover(); r != nil {
					out = toJS(api.Result{Error: fmt.Sprintf("convlab.%s failed: %v", call, r)})
				}
			}()
			return f(args)
		}))
	}
	return obj
}

// start queues start(), with the settings object if one is given.
func start(h *ui.Handle, args []js.Value) any {
	arg, err := argument(args, 0)
	if err == nil {
		q, _, qerr := api.StartQuery(arg)
		if err = qerr; err == nil {
			return queue(h, ui.Request{Call: api.CallStart, Query: q})
		}
	}
	return resolved(api.Failed(err))
}

// addRun queues addRun(), with the settings object if one is given.
func addRun(h *ui.Handle, args []js.Value) any {
	arg, err := argument(args, 0)
	if err == nil {
		q, _, qerr := api.StartQuery(arg)
		if err = qerr; err == nil {
			return queue(h, ui.Request{Call: api.CallAddRun, Query: q})
		}
	}
	return resolved(api.Failed(err))
}

// textCall queues a call whose argument is a string: compare(preset),
// loadModel(json) or loadExperiment(text).
func textCall(h *ui.Handle, call api.Call, args []js.Value) any {
	arg, err := argument(args, 0)
	if err == nil {
		text, terr := api.Text(call, arg)
		if err = terr; err == nil {
			return queue(h, ui.Request{Call: call, Text: text})
		}
	}
	return resolved(api.Failed(err))
}

// gradients queues gradients(options).
func gradients(h *ui.Handle, args []js.Value) any {
	arg, err := argument(args, 0)
	if err == nil {
		v, verr := api.GradientOptions(arg)
		if err = verr; err == nil {
			return queue(h, ui.Request{Call: api.CallGradients, View: v})
		}
	}
	return resolved(api.Failed(err))
}

// selectRun queues selectRun(i).
func selectRun(h *ui.Handle, args []js.Value) any {
	arg, err := argument(args, 0)
	if err == nil {
		i, ierr := api.RunIndex(api.CallSelectRun, arg, len(h.Status().Runs))
		if err = ierr; err == nil {
			return queue(h, ui.Request{Call: api.CallSelectRun, Index: i})
		}
	}
	return resolved(api.Failed(err))
}

// selectEpoch queues selectEpoch(run, epoch).
func selectEpoch(h *ui.Handle, args []js.Value) any {
	run, err := argument(args, 0)
	if err != nil {
		return resolved(api.Failed(err))
	}
	i, err := api.RunIndex(api.CallSelectEpoch, run, len(h.Status().Runs))
	if err != nil {
		return resolved(api.Failed(err))
	}
	epoch, err := argument(args, 1)
	if err == nil {
		var e int
		if e, err = api.EpochNumber(epoch); err == nil {
			return queue(h, ui.Request{Call: api.CallSelectEpoch, Index: i, Epoch: e})
		}
	}
	return resolved(api.Failed(err))
}

// classify runs 784 pixel values through the network of the last frame.
func classify(h *ui.Handle, args []js.Value) any {
	arg, err := argument(args, 0)
	if err != nil {
		return toJS(api.Failed(err))
	}
	img, err := api.Pixels(arg)
	if err != nil {
		return toJS(api.Failed(err))
	}
	probs, err := h.Classify(img)
	if err != nil {
		return toJS(api.Failed(err))
	}
	out := make([]any, len(probs))
	for i, p := range probs {
		out[i] = p
	}
	return js.ValueOf(out)
}

// model returns the weights of the last frame as a model file.
func model(h *ui.Handle) any {
	m, err := h.Model()
	if err != nil {
		return toJS(api.Failed(err))
	}
	return m
}

// queue posts r and returns a Promise of its Result, settled by the frame
// that applies it.
func queue(h *ui.Handle, r ui.Request) js.Value {
	var resolve js.Value
	executor := js.FuncOf(func(_ js.Value, args []js.Value) any {
		resolve = args[0]
		return nil
	})
	promise := js.Global().Get("Promise").New(executor)
	executor.Release()
	r.Done = func(res api.Result) { resolve.Invoke(toJS(res)) }
	if err := h.Post(r); err != nil {
		r.Done(api.Failed(err))
	}
	return promise
}

// resolved returns a Promise already settled with res.
func resolved(res api.Result) js.Value {
	return js.Global().Get("Promise").Call("resolve", toJS(res))
}

// toJS converts v to a plain JavaScript object through JSON.
func toJS(v any) js.Value {
	b, err := json.Marshal(v)
	if err != nil {
		return js.ValueOf(map[string]any{"error": err.Error()})
	}
	return js.Global().Get("JSON").Call("parse", string(b))
}
