//go:build js && wasm

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"syscall/js"

	"convlab/nn"
	"convlab/ui/session"
	"convlab/ui/settings"
)

// newHandle builds window.convlab. Its functions run on the browser's one
// thread between frames, never during an Update, so they may use the app
// directly.
func newHandle(g *game) js.Value {
	h := js.Global().Get("Object").New()
	h.Set("ready", false)
	funcs := map[string]func(args []js.Value) any{
		"status":   func([]js.Value) any { return toJS(g.Status()) },
		"start":    func(args []js.Value) any { return g.start(args) },
		"pause":    func([]js.Value) any { g.Session().Pause(); return ok() },
		"reset":    func([]js.Value) any { return result(g.Reset(g.Session().Settings())) },
		"step":     func([]js.Value) any { return g.step() },
		"classify": func(args []js.Value) any { return g.classify(args) },
		"model":    func([]js.Value) any { return g.model() },
		"clearPad": func([]js.Value) any { g.ClearPad(); return ok() },
	}
	for name, f := range funcs {
		h.Set(name, js.FuncOf(func(_ js.Value, args []js.Value) (out any) {
			// A panic would end the Go program and freeze the page; report
			// it to the caller instead.
			defer func() {
				if r := recover(); r != nil {
					out = errorResult(fmt.Sprintf("convlab.%s failed: %v", name, r))
				}
			}()
			return f(args)
		}))
	}
	return h
}

// step trains one mini-batch over the next frames.
func (g *game) step() any {
	switch g.Session().State() {
	case session.Idle, session.Paused:
		g.Session().Step()
		return ok()
	}
	return errorResult("step() works while idle or paused; the run is " + g.Session().State().String())
}

// start starts training; with a settings object (URL-style keys) it first
// resets to those settings.
func (g *game) start(args []js.Value) any {
	if len(args) > 0 && !args[0].IsUndefined() && !args[0].IsNull() {
		q, err := queryFromObject(args[0])
		if err != nil {
			return errorResult(err.Error())
		}
		s, problems := settings.Apply(g.Session().Settings(), q)
		if len(problems) > 0 {
			msgs := make([]string, len(problems))
			for i, p := range problems {
				msgs[i] = p.Error()
			}
			return errorResult(strings.Join(msgs, "; "))
		}
		if err := g.Reset(s); err != nil {
			return errorResult(err.Error())
		}
	}
	switch st := g.Session().State(); st {
	case session.Finished, session.Failed:
		return errorResult("the run has " + st.String() + "; call reset() or start() with settings to begin again")
	}
	g.Session().Start()
	return ok()
}

// queryFromObject reads a plain object of URL-style settings, such as
// {opt: "sgd", lr: 0.01}, whose values are numbers, strings or booleans.
func queryFromObject(obj js.Value) (url.Values, error) {
	const want = "start() takes an object of settings such as {opt: \"sgd\", lr: 0.01}"
	if obj.Type() != js.TypeObject || js.Global().Get("Array").Call("isArray", obj).Bool() {
		return nil, errors.New(want)
	}
	q := url.Values{}
	keys := js.Global().Get("Object").Call("keys", obj)
	for i := 0; i < keys.Length(); i++ {
		k := keys.Index(i).String()
		v := obj.Get(k)
		switch v.Type() {
		case js.TypeNumber:
			q.Set(k, strconv.FormatFloat(v.Float(), 'g', -1, 64))
		case js.TypeString:
			q.Set(k, v.String())
		case js.TypeBoolean:
			q.Set(k, strconv.FormatBool(v.Bool()))
		default:
			return nil, fmt.Errorf("%s: the value of %q is a %s, not a number or a string", want, k, v.Type())
		}
	}
	return q, nil
}

// classify runs 784 pixel values in [0, 1] through the current network.
func (g *game) classify(args []js.Value) any {
	if len(args) == 0 || args[0].Type() != js.TypeObject || args[0].Length() != nn.ImageSize {
		return errorResult(fmt.Sprintf("classify needs an array of %d numbers in [0, 1]", nn.ImageSize))
	}
	img := make([]float64, nn.ImageSize)
	for i := range img {
		v := args[0].Index(i)
		if v.Type() != js.TypeNumber || math.IsNaN(v.Float()) || v.Float() < 0 || v.Float() > 1 {
			return errorResult(fmt.Sprintf("classify: pixel %d is %v, want a number in [0, 1]", i, v))
		}
		img[i] = v.Float()
	}
	probs, err := g.Session().Classify(img)
	if err != nil {
		return errorResult(err.Error())
	}
	out := make([]any, len(probs))
	for i, p := range probs {
		out[i] = p
	}
	return js.ValueOf(out)
}

// model returns the current weights as a model file (JSON text).
func (g *game) model() any {
	var buf bytes.Buffer
	if err := g.Session().Network().Save(&buf); err != nil {
		return errorResult(err.Error())
	}
	return buf.String()
}

// toJS converts v to a plain JavaScript object through JSON.
func toJS(v any) js.Value {
	b, err := json.Marshal(v)
	if err != nil {
		return errorResult(err.Error())
	}
	return js.Global().Get("JSON").Call("parse", string(b))
}

func ok() js.Value { return js.ValueOf(map[string]any{"ok": true}) }

func errorResult(msg string) js.Value { return js.ValueOf(map[string]any{"error": msg}) }

func result(err error) js.Value {
	if err != nil {
		return errorResult(err.Error())
	}
	return ok()
}
