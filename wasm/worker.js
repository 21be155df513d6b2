// ConvLab's training worker. The page compiles convlab.wasm once and posts
// the WebAssembly.Module here as the first message; this script runs the
// same program, which sees that it is in a worker and trains the page's
// run (wasm/worker.go describes the messages that follow).
"use strict";
importScripts("wasm_exec.js", "kernels.js");

// The program also contains the dashboard, and ebiten's package
// initialisation (v2.8.8, internal/ui/ui_js.go) reads document.hasFocus,
// Document.prototype.hidden and window's event methods before main runs,
// unguarded; in a worker, where none exists, that panics. `inert` stands
// in for them: every property read, call and construction gives inert
// again, so that initialisation finishes without effect. The worker never
// starts the dashboard, so nothing else reaches it.
const inert = new Proxy(function () {}, {
  get: (target, key) => (key === Symbol.toPrimitive ? () => "" : inert),
  set: () => true,
  apply: () => inert,
  construct: () => inert,
  getOwnPropertyDescriptor: () => ({ configurable: true, enumerable: false, get: inert, set: inert }),
});
self.document = inert;
self.window = inert;
self.Document = inert;

self.onmessage = (first) => {
  // Commands posted while the program starts wait here; worker.go takes
  // them over when it installs its own handler.
  const queued = [];
  self.convlabQueued = queued;
  self.onmessage = (e) => queued.push(e.data);
  (async () => {
    const go = new Go();
    const kernels = convlabKernels(go.importObject); // nn's SIMD kernels, as on the page
    const instance = await WebAssembly.instantiate(first.data.module, go.importObject);
    self.convlabMemory = instance.exports.mem; // its size, for `make soak`
    await kernels.attach(instance);
    await go.run(instance);
    self.postMessage({ error: "the training program ended" });
  })().catch((e) => self.postMessage({ error: String((e && e.message) || e) }));
};
