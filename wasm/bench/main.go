//go:build js && wasm

// Command bench is the browser benchmark's program: it measures package nn
// in the page that loads it (index.html here; wasm/browsertest drives it,
// see make bench-browser). It installs one global object, named by its
// first argument (default convlabBench), with
//
//	simd                       whether nn runs the SIMD kernels
//	measure(batch)             one epoch's speed, workload.Speed as JSON
//	run(batch, epochs)         a short run's results, []workload.Epoch as JSON
//
// on the homework setup of package workload (1,000 training and 100 test
// images). A page can load it twice, with and without the kernels, and
// compare both in one run.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"syscall/js"

	"convlab/nn"
	"convlab/wasm/bench/workload"
)

func main() {
	name := "convlabBench"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	train, test, err := workload.Data(100, 10)
	if err != nil {
		js.Global().Get("console").Call("error", "bench: "+err.Error())
		return
	}
	api := js.Global().Get("Object").New()
	api.Set("simd", nn.SIMD())
	api.Set("measure", js.FuncOf(func(_ js.Value, args []js.Value) any {
		return reply(args, 1, func(n []int) (any, error) { return workload.Measure(train, test, n[0]) })
	}))
	api.Set("run", js.FuncOf(func(_ js.Value, args []js.Value) any {
		return reply(args, 2, func(n []int) (any, error) { return workload.Run(train, test, n[0], n[1]) })
	}))
	js.Global().Set(name, api)
	select {} // serve calls until the page goes away
}

// reply calls f with the first n arguments, which must be integers, and
// returns its result as JSON, or an object {error} that says what went
// wrong.
func reply(args []js.Value, n int, f func([]int) (any, error)) any {
	ints := make([]int, n)
	for i := range ints {
		if i >= len(args) || args[i].Type() != js.TypeNumber {
			return js.ValueOf(map[string]any{"error": fmt.Sprintf("want %d integer arguments", n)})
		}
		ints[i] = args[i].Int()
	}
	v, err := f(ints)
	if err == nil {
		var b []byte
		if b, err = json.Marshal(v); err == nil {
			return string(b)
		}
	}
	return js.ValueOf(map[string]any{"error": fmt.Sprint(err)})
}
