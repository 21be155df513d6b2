// node_exec.js: the Node.js side of node_exec. Arguments: the path of the Go
// toolchain's wasm_exec.js, the WebAssembly binary, then the program's own
// arguments. It instantiates the program as a page would: wasm_exec.js's Go,
// with the kernels of $CONVLAB_KERNELS added and attached, unless
// $CONVLAB_SIMD is "off".
"use strict";

const fs = require("fs");
const path = require("path");

const [wasmExec, binary, ...args] = process.argv.slice(2);
if (!wasmExec || !binary) {
  console.error("usage: node_exec.js wasm_exec.js program.wasm [arguments]");
  process.exit(2);
}

// What wasm_exec.js expects of its host besides the Web platform globals.
globalThis.require = require;
globalThis.fs = fs;
globalThis.path = path;
globalThis.crypto ??= require("crypto");
globalThis.performance ??= require("perf_hooks").performance;
require(wasmExec);

const kernelsFile = process.env.CONVLAB_KERNELS;
if (!kernelsFile || !fs.existsSync(kernelsFile)) {
  console.error(`node_exec: the SIMD kernel loader ${kernelsFile} is missing; build it with "make kernels"`);
  process.exit(2);
}
require(path.resolve(kernelsFile));

async function main() {
  const go = new Go();
  go.argv = [binary, ...args];
  go.env = Object.assign({ TMPDIR: require("os").tmpdir() }, process.env);
  go.exit = process.exit;
  const kernels = convlabKernels(go.importObject, { simd: process.env.CONVLAB_SIMD !== "off" });
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(binary), go.importObject);
  await kernels.attach(instance);
  // Node exits when nothing is left to do; if the Go program has not
  // exited by then, it is deadlocked: let Go report where it is stuck.
  process.on("exit", (code) => {
    if (code === 0 && !go.exited) {
      go._pendingEvent = { id: 0 };
      go._resume();
    }
  });
  await go.run(instance);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
