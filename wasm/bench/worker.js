// The benchmark program in a Web Worker, started the way any worker running
// a Go program built with convlab/nn starts it: wasm_exec.js, kernels.js and
// two lines. It answers a message {batch, epochs} with
// {simd, result: run(batch, epochs)} (see main.go).
"use strict";
importScripts("wasm_exec.js", "kernels.js");

const started = (async () => {
  const response = await fetch("bench.wasm");
  if (!response.ok) throw new Error("bench.wasm: " + response.status + " " + response.statusText);
  const go = new Go();
  go.argv = ["bench", "convlabBench"];
  const kernels = convlabKernels(go.importObject);
  const { instance } = await WebAssembly.instantiate(await response.arrayBuffer(), go.importObject);
  await kernels.attach(instance);
  go.run(instance);
})();

onmessage = async (event) => {
  try {
    await started;
    const { batch, epochs } = event.data;
    postMessage({ simd: self.convlabBench.simd, result: self.convlabBench.run(batch, epochs) });
  } catch (e) {
    postMessage({ error: String(e && e.message || e) });
  }
};
