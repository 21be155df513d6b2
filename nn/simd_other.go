//go:build !(js && wasm)

package nn

import "unsafe"

// Natively there are no SIMD kernels: the layers always run their Go loops,
// and the functions below, which the SIMD path would call, are never
// reached.

const simdEnabled = false

const noSIMD = "nn: the WebAssembly SIMD kernels exist only under GOOS=js GOARCH=wasm"

func simdConvForward(in, padded, weight, bias, out, plane unsafe.Pointer, batch, c, h, w, oc, k int32) {
	panic(noSIMD)
}

func simdConvBackward(padded, grad, weight, gweight, gbias, gin, gpad, list, plane unsafe.Pointer, batch, c, h, w, oc, k, wantInput int32) {
	panic(noSIMD)
}

func simdDenseForward(x, weight, bias, out, scratch unsafe.Pointer, batch, n, m int32) {
	panic(noSIMD)
}

func simdDenseBackward(x, weight, grad, gweight, gbias, gin unsafe.Pointer, batch, n, m, wantInput int32) {
	panic(noSIMD)
}

func simdReLUForward(in, out unsafe.Pointer, n int32) { panic(noSIMD) }

func simdReLUBackward(out, gout, gin unsafe.Pointer, n int32) { panic(noSIMD) }

func simdPoolForward(in, out, argmax unsafe.Pointer, batch, c, h, w int32) { panic(noSIMD) }

func simdPoolBackward(gout, argmax, gin unsafe.Pointer, batch, inSize, outSize int32) {
	panic(noSIMD)
}
