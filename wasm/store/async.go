//go:build js && wasm

package store

import (
	"context"
	"errors"
	"fmt"
	"syscall/js"
)

// outcome is what a JavaScript callback reports: a value or an error.
type outcome struct {
	v   js.Value
	err error
}

// callbacks holds the js.Funcs a wait installs, released together when it
// ends (a callback that fires later then finds none: IndexedDB and
// promises call each at most once, and a late one only matters after a
// cancelled wait, whose transaction is aborted).
type callbacks []js.Func

func (c *callbacks) add(f func(args []js.Value)) js.Func {
	fn := js.FuncOf(func(_ js.Value, args []js.Value) any { f(args); return nil })
	*c = append(*c, fn)
	return fn
}

func (c *callbacks) release() {
	for _, f := range *c {
		f.Release()
	}
}

// receive waits for the outcome on ch, or ctx's end; cancel, if not nil,
// is called when ctx ends first (say, to abort a transaction).
func receive(ctx context.Context, ch <-chan outcome, cancel func()) (js.Value, error) {
	select {
	case o := <-ch:
		return o.v, o.err
	case <-ctx.Done():
		if cancel != nil {
			cancel()
		}
		return js.Undefined(), ctx.Err()
	}
}

// awaitPromise waits for a JavaScript promise to settle.
func awaitPromise(ctx context.Context, p js.Value) (js.Value, error) {
	ch := make(chan outcome, 1)
	var cbs callbacks
	defer cbs.release()
	p.Call("then",
		cbs.add(func(a []js.Value) { ch <- outcome{v: arg(a)} }),
		cbs.add(func(a []js.Value) { ch <- outcome{err: jsError(arg(a))} }))
	return receive(ctx, ch, nil)
}

// awaitRequest waits for an IndexedDB request (IDBRequest) to succeed or
// fail; upgrade, if not nil, handles an open request's upgradeneeded.
func awaitRequest(ctx context.Context, req js.Value, upgrade func(db js.Value)) (js.Value, error) {
	ch := make(chan outcome, 1)
	var cbs callbacks
	defer cbs.release()
	req.Set("onsuccess", cbs.add(func([]js.Value) { ch <- outcome{v: req.Get("result")} }))
	req.Set("onerror", cbs.add(func(a []js.Value) {
		ch <- outcome{err: jsError(req.Get("error"))}
		if len(a) > 0 {
			a[0].Call("preventDefault") // handled here; not an uncaught error
		}
	}))
	if upgrade != nil {
		req.Set("onupgradeneeded", cbs.add(func([]js.Value) { upgrade(req.Get("result")) }))
	}
	return receive(ctx, ch, nil)
}

// awaitTransaction waits for an IndexedDB transaction to commit; it
// aborts it if ctx ends first.
func awaitTransaction(ctx context.Context, tx js.Value) error {
	ch := make(chan outcome, 1)
	var cbs callbacks
	defer cbs.release()
	tx.Set("oncomplete", cbs.add(func([]js.Value) { ch <- outcome{} }))
	tx.Set("onabort", cbs.add(func([]js.Value) {
		err := jsError(tx.Get("error"))
		if err == nil {
			err = errors.New("the transaction was aborted")
		}
		ch <- outcome{err: err}
	}))
	_, err := receive(ctx, ch, func() { _ = try(func() { tx.Call("abort") }) })
	return err
}

// arg is the first argument of a callback, or undefined.
func arg(a []js.Value) js.Value {
	if len(a) == 0 {
		return js.Undefined()
	}
	return a[0]
}

// domError is a JavaScript error (a DOMException, usually) as a Go error.
type domError struct{ name, message string }

func (e *domError) Error() string {
	if e.message == "" {
		return e.name
	}
	return e.name + ": " + e.message
}

// jsError turns a JavaScript error value into a Go error (nil for null
// or undefined).
func jsError(v js.Value) error {
	if v.IsNull() || v.IsUndefined() {
		return nil
	}
	if v.Type() != js.TypeObject {
		return &domError{name: "Error", message: v.String()}
	}
	e := &domError{name: "Error"}
	if n := v.Get("name"); n.Type() == js.TypeString {
		e.name = n.String()
	}
	if m := v.Get("message"); m.Type() == js.TypeString {
		e.message = m.String()
	}
	return e
}

// errorName is the DOMException name of err, or "".
func errorName(err error) string {
	var d *domError
	if errors.As(err, &d) {
		return d.name
	}
	return ""
}

// try runs f and turns a JavaScript exception it throws (a panic of
// syscall/js) into an error.
func try(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			var je js.Error
			if e, ok := r.(error); ok && errors.As(e, &je) {
				err = jsError(je.Value)
				return
			}
			err = fmt.Errorf("%v", r)
		}
	}()
	f()
	return nil
}

// yield hands the page's thread back to the browser until a new task
// (a timer of 0 ms), so that it may draw a frame first.
func yield(ctx context.Context) error {
	ch := make(chan outcome, 1)
	var cbs callbacks
	defer cbs.release()
	js.Global().Call("setTimeout", cbs.add(func([]js.Value) { ch <- outcome{} }), 0)
	_, err := receive(ctx, ch, nil)
	return err
}
