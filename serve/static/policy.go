package static

// ContentSecurityPolicy is sent with every response. It allows exactly what
// the ConvLab page needs, and nothing else (default-src 'none'):
//
//   - script-src 'self' 'wasm-unsafe-eval': script files of its own origin
//     (wasm_exec.js, loader.js) and compiling WebAssembly; no inline
//     script and no eval;
//   - worker-src 'self': Web Workers started from its own script files,
//     and its service worker (sw.js, which keeps it for offline use);
//   - connect-src 'self': the fetches of convlab.wasm, worker.wasm and
//     the MNIST files (data/), and the service worker's of all the site's
//     files;
//   - manifest-src 'self': the web app manifest (manifest.webmanifest),
//     which lets a browser install the page as an app;
//   - style-src 'self': style.css (the app sets styles through the CSSOM,
//     which the policy does not restrict);
//   - img-src 'self' data:: the empty inline favicon, "data:,", and the
//     app's icon (icon.svg, named by the manifest);
//   - base-uri, form-action and frame-ancestors 'none': no <base>, no form
//     submissions, and no framing by other pages.
//
// A worker's script is served with the same policy, which is the one that
// governs the worker, so it too may import scripts of its own origin,
// instantiate the WebAssembly module the page posts it and fetch the
// MNIST files.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; " +
	"connect-src 'self'; manifest-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// ReferrerPolicy keeps the page's address, with its query of settings, out
// of every request it makes.
const ReferrerPolicy = "no-referrer"
