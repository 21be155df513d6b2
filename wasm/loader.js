// ConvLab loader: shows download progress, checks for WebAssembly and
// WebGL 2, starts convlab.wasm (the page program) and compiles worker.wasm
// (the training workers' program) beside it. It is a file rather than
// inline script because the page's Content-Security-Policy (serve/static)
// allows script files of its own origin only.
"use strict";
(function () {
  // Sizes of convlab.wasm and worker.wasm in bytes, written into
  // index.html's script tag at build time, so progress is right even when
  // the server compresses the downloads.
  const PROGRAM_BYTES = {
    "convlab.wasm": Number(document.currentScript.dataset.wasmBytes) || 0,
    "worker.wasm": Number(document.currentScript.dataset.workerBytes) || 0,
  };
  const loader = document.getElementById("loader");
  const fill = document.getElementById("fill");
  const detail = document.getElementById("detail");
  const what = document.getElementById("what");

  function showError(title, message) {
    loader.style.display = "flex";
    loader.classList.add("error");
    loader.querySelector("h1").textContent = title;
    what.textContent = message;
    detail.textContent = "";
  }
  window.convlabFailed = function (message) { showError("ConvLab stopped", message); };
  window.convlabReady = function () {
    loader.style.display = "none";
    keepOffline();
  };

  // keepOffline registers the service worker (sw.js, written by make dist
  // from wasm/offline), which keeps this build in a cache so that the page
  // loads and trains without a network from its next visit on. It does so
  // once the app runs, when the files it precaches are all in the HTTP
  // cache: the first visit then downloads nothing twice. Where service
  // workers are unavailable (http on another host than localhost, some
  // private windows) the page works as it always did, online; it says so
  // on the console alone. window.convlabOffline tells the tests (and the
  // curious) how it went: state is "unavailable", "registering",
  // "registered" or "failed", build the key of the build this page runs.
  const offline = { state: "unavailable", build: document.currentScript.dataset.build || "" };
  window.convlabOffline = offline;
  function keepOffline() {
    if (!window.isSecureContext || !navigator.serviceWorker) {
      console.info("ConvLab: this page cannot keep itself for offline use here (service workers need https or localhost); it works online as usual");
      return;
    }
    offline.state = "registering";
    navigator.serviceWorker.register("sw.js").then((registration) => {
      offline.state = "registered";
      registration.addEventListener("updatefound", () => noteUpdate(registration.installing));
      noteUpdate(registration.installing || registration.waiting);
    }).catch((e) => {
      offline.state = "failed";
      console.info("ConvLab: offline use is not available (" + String(e && e.message || e) + "); the page works online as usual");
    });
  }

  // noteUpdate shows, once worker (a new build's service worker) has been
  // installed beside the one that serves this page, that a reload runs
  // the new build.
  function noteUpdate(worker) {
    if (!worker || !navigator.serviceWorker.controller) return; // the first install: nothing to replace
    const show = () => {
      if (worker.state === "installed") document.getElementById("update").hidden = false;
    };
    worker.addEventListener("statechange", show);
    show();
  }

  function hasWebGL2() {
    try { return !!document.createElement("canvas").getContext("webgl2"); } catch (e) { return false; }
  }
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    showError("WebAssembly is not available", "This browser cannot run WebAssembly. Please use a current Chrome, Edge, Firefox or Safari.");
    return;
  }
  if (!hasWebGL2()) {
    showError("WebGL 2 is not available", "ConvLab draws with WebGL 2, which this browser or its settings have turned off. Enable hardware acceleration, or try another browser.");
    return;
  }

  const mb = (n) => (n / 1048576).toFixed(1) + " MB";

  // Bytes received of each program; the bar shows their sum.
  const received = {};
  function showProgress() {
    let got = 0, total = 0;
    for (const url in PROGRAM_BYTES) {
      got += received[url] || 0;
      total += PROGRAM_BYTES[url];
    }
    if (total) {
      fill.style.width = Math.min(100, 100 * got / total).toFixed(1) + "%";
      detail.textContent = mb(got) + " of " + mb(total);
    } else {
      detail.textContent = mb(got);
    }
  }

  async function download(url) {
    const response = await fetch(url);
    if (!response.ok) throw new Error("the server answered " + response.status + " " + response.statusText + " for " + url);
    if (!response.body || !response.body.getReader) return new Uint8Array(await response.arrayBuffer());
    const reader = response.body.getReader();
    const chunks = [];
    received[url] = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received[url] += value.length;
      showProgress();
    }
    const bytes = new Uint8Array(received[url]);
    let offset = 0;
    for (const c of chunks) { bytes.set(c, offset); offset += c.length; }
    return bytes;
  }

  async function start() {
    // The training workers' program, compiled once here and posted to each
    // worker (window.convlabWorkerModule, read by wasm/main.go). Without it
    // the page still works, training on its own thread.
    const workerModule = download("worker.wasm")
      .then((bytes) => WebAssembly.compile(bytes))
      .catch((e) => {
        console.warn("ConvLab: the training worker's program could not be loaded (" + String(e && e.message || e) + "); runs will train on the page's thread");
        return undefined;
      });
    let bytes;
    try {
      bytes = await download("convlab.wasm");
    } catch (e) {
      showError("Download failed", "Could not load the app: " + e.message + ". Check the connection and reload.");
      return;
    }
    fill.style.width = "100%";
    detail.textContent = "starting the network…";
    try {
      const go = new Go();
      const kernels = convlabKernels(go.importObject);
      const [{ instance }, worker] = await Promise.all([WebAssembly.instantiate(bytes, go.importObject), workerModule]);
      window.convlabWorkerModule = worker;
      // The program's linear memory, whose size `make soak` follows.
      window.convlabMemory = instance.exports.mem;
      await kernels.attach(instance);
      go.run(instance).then(() => showError("ConvLab stopped", "The app has exited; reload the page to start again."));
    } catch (e) {
      showError("ConvLab could not start", String(e && e.message || e));
    }
  }
  start();
})();
