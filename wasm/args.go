//go:build js && wasm

package main

import (
	"fmt"
	"syscall/js"

	"convlab/ui/api"
)

// maxArgEntries bounds the entries read of an array or object argument:
// classify's 784 pixels fit, and an array claiming a length of a billion
// cannot make the page allocate for it.
const maxArgEntries = 4096

// argument returns the Go value of args[i] as package api reads it: nil
// for undefined and null (or a missing argument), float64, string and
// bool, []any for an Array or a typed array (Float32Array,
// Uint8ClampedArray, …: what canvas and array code produce) and
// map[string]any for another object (their entries read one level deep),
// api.JSType for anything else.
//
// A getter or a Proxy may throw while the value is read. syscall/js's Get,
// Index and Length do not catch a JavaScript exception, which then
// unwinds through Go's frames; every read here goes through
// Reflect.get, Object.keys, Array.isArray, ArrayBuffer.isView or
// isPrototypeOf called with Call or Invoke, which turn an exception into a
// panic of js.Error, and that panic becomes the error returned. A Proxy is
// never taken for a typed array (ArrayBuffer.isView looks at the object's
// internal slots, which a Proxy lacks, and runs none of its traps), and a
// typed array's entries are numbers that no getter can replace; its
// length, which a property on the object can shadow, is read and bounded
// as an Array's is.
func argument(args []js.Value, i int) (v any, err error) {
	if i >= len(args) {
		return nil, nil
	}
	defer func() {
		switch r := recover().(type) {
		case nil:
		case js.Error:
			v, err = nil, fmt.Errorf("reading argument %d threw %s", i+1, r.Error())
		case tooLarge:
			v, err = nil, fmt.Errorf("argument %d is %s", i+1, string(r))
		default:
			panic(r)
		}
	}()
	return goValue(args[i], 1), nil
}

// tooLarge is the panic of an array or object with more entries than are
// read, saying what it is.
type tooLarge string

// goValue converts v, reading objects depth levels deep.
func goValue(v js.Value, depth int) any {
	t, ok := typeOf(v)
	if !ok {
		return api.JSType("bigint")
	}
	switch t {
	case js.TypeUndefined, js.TypeNull:
		return nil
	case js.TypeNumber:
		return v.Float()
	case js.TypeString:
		return v.String()
	case js.TypeBoolean:
		return v.Bool()
	case js.TypeObject:
		if depth == 0 {
			return api.JSType("object")
		}
		if js.Global().Get("Array").Call("isArray", v).Bool() || isTypedArray(v) {
			return goArray(v, depth)
		}
		return goObject(v, depth)
	}
	return api.JSType(t.String())
}

// isTypedArray reports whether v is a typed array: an ArrayBuffer view
// other than a DataView.
func isTypedArray(v js.Value) bool {
	return js.Global().Get("ArrayBuffer").Call("isView", v).Bool() &&
		!js.Global().Get("DataView").Get("prototype").Call("isPrototypeOf", v).Bool()
}

// typeOf returns v's type. ok is false for a bigint, the one JavaScript
// type that syscall/js has no Type for: its Value.Type panics ("bad type
// flag") instead of answering, and only for that.
func typeOf(v js.Value) (t js.Type, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return v.Type(), true
}

// goArray reads the entries of an Array or a typed array.
func goArray(v js.Value, depth int) any {
	n := get(v, "length")
	if t, ok := typeOf(n); !ok || t != js.TypeNumber || !(n.Float() >= 0 && n.Float() <= maxArgEntries) {
		length := goValue(n, 0)
		if t, ok := length.(api.JSType); ok {
			length = "a " + string(t)
		}
		panic(tooLarge(fmt.Sprintf("an array whose length is %v; at most %d entries are read", length, maxArgEntries)))
	}
	out := make([]any, int(n.Float()))
	for i := range out {
		out[i] = goValue(get(v, i), depth-1)
	}
	return out
}

// goObject reads an object's own enumerable string-keyed properties.
func goObject(v js.Value, depth int) any {
	keys := js.Global().Get("Object").Call("keys", v)
	n := get(keys, "length").Int()
	if n > maxArgEntries {
		panic(tooLarge(fmt.Sprintf("an object of %d keys; at most %d are read", n, maxArgEntries)))
	}
	out := make(map[string]any, n)
	for i := range n {
		k := get(keys, i).String()
		out[k] = goValue(get(v, k), depth-1)
	}
	return out
}

// get returns Reflect.get(v, key); an exception it throws panics with
// js.Error.
func get(v js.Value, key any) js.Value {
	return js.Global().Get("Reflect").Call("get", v, key)
}
