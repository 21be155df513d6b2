// storetest.js: starts the store test program (main.go); a file of its
// own, as the static server's Content-Security-Policy allows no inline
// script. The program links package nn (through package record), so it
// needs nn's SIMD kernels attached, as every ConvLab program does.
"use strict";
(async function () {
  const go = new Go();
  const kernels = convlabKernels(go.importObject);
  const { instance } = await WebAssembly.instantiateStreaming(fetch("storetest.wasm"), go.importObject);
  await kernels.attach(instance);
  go.run(instance);
})().catch((e) => console.error("storetest: " + e));
