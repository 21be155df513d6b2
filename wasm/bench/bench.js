// bench.js: the benchmark page's script (a file of its own, so that the
// Content-Security-Policy of the static server, which allows no inline
// script, lets it run).
"use strict";
// Two instances of the benchmark program in one page, so that both are
// measured side by side: window.convlabSIMD with the SIMD kernels attached,
// window.convlabGo without them (see main.go for their methods).
// window.benchReady becomes true once both are running.
// window.runInWorker(batch, epochs) runs the program in a Web Worker
// (worker.js) instead, and resolves to {simd, result}.
window.runInWorker = (batch, epochs) => new Promise((resolve, reject) => {
  const worker = new Worker("worker.js");
  worker.onmessage = (event) => { worker.terminate(); resolve(event.data); };
  worker.onerror = (event) => { worker.terminate(); reject(new Error(event.message)); };
  worker.postMessage({ batch, epochs });
});
(async function () {
  const response = await fetch("bench.wasm");
  if (!response.ok) throw new Error("bench.wasm: " + response.status + " " + response.statusText);
  const module = await WebAssembly.compile(await response.arrayBuffer());
  async function start(name, simd) {
    const go = new Go();
    go.argv = ["bench", name];
    const kernels = convlabKernels(go.importObject, { simd });
    const instance = await WebAssembly.instantiate(module, go.importObject);
    await kernels.attach(instance);
    go.run(instance);
    if (!window[name]) throw new Error(name + " did not start");
  }
  await start("convlabSIMD", true);
  await start("convlabGo", false);
  window.benchReady = true;
  document.getElementById("state").textContent = "ready";
})().catch((e) => {
  document.getElementById("state").textContent = "failed: " + e;
  console.error(e);
});
