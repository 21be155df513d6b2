// ConvLab's report worker: it runs report.wasm (wasm/reportworker), which
// writes homework reports, and passes it the page's requests. The page
// starts it when the first report is asked for, so report.wasm is not part
// of a visit that writes none.
"use strict";
importScripts("wasm_exec.js", "kernels.js");

// Requests posted while the program loads wait here.
const waiting = [];
self.onmessage = (e) => waiting.push(e.data);

(async () => {
  const response = await fetch("report.wasm");
  if (!response.ok) throw new Error("the server answered " + response.status + " " + response.statusText + " for report.wasm");
  const go = new Go();
  const kernels = convlabKernels(go.importObject); // nn's SIMD kernels, as on the page
  const { instance } = await WebAssembly.instantiate(await response.arrayBuffer(), go.importObject);
  await kernels.attach(instance);
  go.run(instance); // installs convlabWriteReport, then waits for requests
  const write = (request) => self.convlabWriteReport(request.id, request.data);
  self.onmessage = (e) => write(e.data);
  for (const request of waiting.splice(0)) write(request);
})().catch((e) => self.postMessage({ error: "the report writer did not start: " + String((e && e.message) || e) }));
