//go:build js && wasm

package nn

import "unsafe"

// The SIMD kernels are functions of a second WebAssembly module,
// simd/kernels.wat, that works on this program's memory. The host imports
// them under the module name "convlab_kernels" (simd/kernels.js does it for
// a page, a Web Worker and Node), so every host that instantiates a Go
// program linked with this package must provide these imports; a host
// without WebAssembly SIMD provides them too, with available returning 0.

//go:wasmimport convlab_kernels available
func kernelsAvailable() int32

//go:wasmimport convlab_kernels conv_forward
func simdConvForward(in, padded, weight, bias, out, plane unsafe.Pointer, batch, c, h, w, oc, k int32)

//go:wasmimport convlab_kernels conv_backward
func simdConvBackward(padded, grad, weight, gweight, gbias, gin, gpad, list, plane unsafe.Pointer, batch, c, h, w, oc, k, wantInput int32)

//go:wasmimport convlab_kernels dense_forward
func simdDenseForward(x, weight, bias, out, scratch unsafe.Pointer, batch, n, m int32)

//go:wasmimport convlab_kernels dense_backward
func simdDenseBackward(x, weight, grad, gweight, gbias, gin unsafe.Pointer, batch, n, m, wantInput int32)

//go:wasmimport convlab_kernels relu_forward
func simdReLUForward(in, out unsafe.Pointer, n int32)

//go:wasmimport convlab_kernels relu_backward
func simdReLUBackward(out, gout, gin unsafe.Pointer, n int32)

//go:wasmimport convlab_kernels pool_forward
func simdPoolForward(in, out, argmax unsafe.Pointer, batch, c, h, w int32)

//go:wasmimport convlab_kernels pool_backward
func simdPoolBackward(gout, argmax, gin unsafe.Pointer, batch, inSize, outSize int32)

// simdEnabled says whether the host attached the kernels. It is asked once,
// when the package is initialised; layers built afterwards use the kernels
// if and only if it is true.
var simdEnabled = kernelsAvailable() == 1
