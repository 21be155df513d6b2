// storetest.js: starts the store test program (main.go); a file of its
// own, as the static server's Content-Security-Policy allows no inline
// script.
"use strict";
(async function () {
  const go = new Go();
  const { instance } = await WebAssembly.instantiateStreaming(fetch("storetest.wasm"), go.importObject);
  go.run(instance);
})().catch((e) => console.error("storetest: " + e));
