// kernels.js — ConvLab's WebAssembly SIMD kernels for any Go program built
// with the convlab/nn package (GOOS=js GOARCH=wasm).
//
// Such a program imports the kernels (module "convlab_kernels"), so the host
// must add them to the Go importObject before instantiating it, and attach
// the kernel module to the Go instance's memory before running it:
//
//   const go = new Go();
//   const kernels = convlabKernels(go.importObject);
//   const { instance } = await WebAssembly.instantiate(bytes, go.importObject);
//   await kernels.attach(instance);
//   go.run(instance);
//
// It works in a page (<script src="kernels.js">), in a Web Worker
// (importScripts("kernels.js")) and in Node.js (require): it only defines
// the global function convlabKernels and uses no DOM.
//
// Where the browser lacks WebAssembly SIMD, or when asked with
// convlabKernels(importObject, { simd: false }), attach does nothing and the
// Go program, which asks the host once at start, runs its pure-Go kernels,
// with bit-identical results.
//
// `make dist` builds this file into dist/ from nn/simd/kernels.js and the
// checked-in module nn/simd/kernels.wasm, embedded below in base64 (`make
// wat` assembles kernels.wat into it; a test checks the two agree).
"use strict";
(function (global) {
  const KERNELS_WASM_BASE64 = "@KERNELS_WASM_BASE64@";

  // The functions the Go side imports, besides "available".
  const KERNELS = [
    "conv_forward", "conv_backward", "dense_forward", "dense_backward",
    "relu_forward", "relu_backward", "pool_forward", "pool_backward",
  ];

  // (module (func (result v128) (f64x2.splat (f64.const 0)))): valid only
  // where WebAssembly SIMD is supported.
  const SIMD_PROBE = new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 15, 1, 13, 0,
    68, 0, 0, 0, 0, 0, 0, 0, 0, 253, 20, 11,
  ]);

  const simdSupported = typeof WebAssembly === "object" && WebAssembly.validate(SIMD_PROBE);

  let compiled = null; // the kernel module, compiled once per page or worker

  function kernelModule() {
    if (!compiled) {
      const text = atob(KERNELS_WASM_BASE64);
      const bytes = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
      compiled = WebAssembly.compile(bytes);
    }
    return compiled;
  }

  // convlabKernels adds the kernels' imports to importObject and returns
  // { simd, attach(instance) }: simd says whether the kernels are wanted and
  // supported; attach links them to a Go instance created with that
  // importObject and resolves to whether it did (if the kernel module
  // cannot be instantiated, it warns and the program runs its Go loops).
  // One call per Go instance.
  global.convlabKernels = function convlabKernels(importObject, options) {
    const wanted = simdSupported && !(options && options.simd === false);
    let kernels = null; // the kernel instance's exports, once attached
    const imports = { available: () => (kernels ? 1 : 0) };
    for (const name of KERNELS) {
      imports[name] = (...args) => kernels[name](...args);
    }
    importObject.convlab_kernels = imports;
    if (wanted) kernelModule(); // start compiling while the Go module compiles
    return {
      simd: wanted,
      async attach(instance) {
        if (!wanted) return false;
        try {
          const memory = instance.exports.mem;
          const attached = await WebAssembly.instantiate(await kernelModule(), { go: { mem: memory } });
          kernels = attached.exports;
          return true;
        } catch (e) {
          console.warn("ConvLab's SIMD kernels could not be attached, running without them: " + e);
          return false;
        }
      },
    };
  };
})(globalThis);
