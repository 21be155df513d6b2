// Package simd holds ConvLab's WebAssembly SIMD kernels, which package nn
// calls under WebAssembly when the host has attached them. It has no Go
// code; its files are:
//
//   - kernels.wat: the kernels in WebAssembly text, each one's equivalence
//     to nn's Go loop argued beside it: the source.
//   - kernels.wasm: kernels.wat assembled by wabt's wat2wasm
//     (`make wat`), checked in as generated code, so that building the app
//     (`make dist`, `make run`) needs Go and nothing else.
//     TestModuleMatchesSource fails when the two disagree.
//   - kernels.js: the loader that the page, the training workers and
//     Node.js use; `make dist` embeds kernels.wasm in it (base64).
//   - node_exec, node_exec.js: run a Go test binary built for js/wasm under
//     Node.js with the kernels attached (`go test -exec`).
package simd
