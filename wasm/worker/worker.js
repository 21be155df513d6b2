// ConvLab's training worker. The page compiles worker.wasm (wasm/worker, a
// program of its own: the trainer, the data and the protocol, no
// dashboard) once and posts the WebAssembly.Module here as the first
// message; this script runs it with the SIMD kernels attached (package
// link in wasm/link describes the messages that follow).
"use strict";
importScripts("wasm_exec.js", "kernels.js");

self.onmessage = (first) => {
  // Commands posted while the program starts wait here; the program takes
  // them over when it installs its own handler.
  const queued = [];
  self.convlabQueued = queued;
  self.onmessage = (e) => queued.push(e.data);
  // A fault the browser tests ask for (?workerfault=), or "": see
  // wasm/worker/fault.go.
  self.convlabFault = String(first.data.fault || "");
  // Until the program runs and speaks for itself, a heartbeat every second
  // (runner.Heartbeat) tells the page that a slow start is not a dead
  // worker (runner.Watchdog).
  const beat = setInterval(() => self.postMessage("alive"), 1000);
  (async () => {
    const go = new Go();
    const kernels = convlabKernels(go.importObject); // nn's SIMD kernels, as on the page
    const instance = await WebAssembly.instantiate(first.data.module, go.importObject);
    self.convlabMemory = instance.exports.mem; // its size, for the tests and `make soak`
    await kernels.attach(instance);
    clearInterval(beat);
    await go.run(instance);
    self.postMessage({ error: "the training program ended" });
  })().catch((e) => {
    clearInterval(beat);
    self.postMessage({ error: String((e && e.message) || e) });
  });
};
