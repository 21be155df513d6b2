// Package browsertest holds the headless-Chromium tests of the ConvLab page.
//
// The tests build the site with `make dist` into a temporary directory,
// serve it on a loopback port with convlab/serve/static, and drive one shared
// Chromium through the page's JavaScript handle, window.convlab (its
// contract is package convlab/ui/api, whose types they decode status()
// into), and through real mouse input.
// They are skipped, with a message saying so, when Chromium is not installed.
//
// Run them with `make browser` or `go test -v ./wasm/browsertest/`. The
// screenshots are written to testout/ at the repository root. Two run only
// when asked, by a flag: TestBrowserBenchmark (-bench-browser, make
// bench-browser) and TestSoak (-soak 20m, make soak).
package browsertest
