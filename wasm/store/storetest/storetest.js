// storetest.js: starts the store test program (main.go); a file of its
// own, as the static server's Content-Security-Policy allows no inline
// script. The program links package nn (through package record), so it
// needs nn's SIMD kernels attached, as every ConvLab program does.
"use strict";
// The page's long tasks (over 50 ms of its main thread at once), for the
// figures: storeTest.longest() returns the longest since the last call.
(function () {
  let longest = 0;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longest = Math.max(longest, e.duration);
  });
  observer.observe({ type: "longtask" });
  window.storeLongest = () => {
    for (const e of observer.takeRecords()) longest = Math.max(longest, e.duration);
    const l = longest;
    longest = 0;
    return l;
  };
})();
(async function () {
  const go = new Go();
  const kernels = convlabKernels(go.importObject);
  const { instance } = await WebAssembly.instantiateStreaming(fetch("storetest.wasm"), go.importObject);
  await kernels.attach(instance);
  go.run(instance);
})().catch((e) => console.error("storetest: " + e));
