//go:build !js

package browsertest

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"convlab/serve/static"
	"convlab/wasm/bench/workload"
)

// The SIMD kernels in the browser: the benchmark page (wasm/bench) runs
// package nn twice in one tab, with the kernels (window.convlabSIMD) and
// without (window.convlabGo).

var benchBrowser = flag.Bool("bench-browser", false,
	"run TestBrowserBenchmark: training and inference speed in Chromium with and without the SIMD kernels (make bench-browser)")

// benchPage builds the benchmark program, serves it with the page, the
// site's wasm_exec.js and kernels.js, and opens it in a new tab.
func benchPage(t *testing.T) *page {
	t.Helper()
	e := needEnv(t)
	dir := t.TempDir()
	build := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(dir, "bench.wasm"), "./wasm/bench")
	build.Dir = e.root
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building wasm/bench: %v\n%s", err, out)
	}
	for _, f := range []struct{ from, to string }{
		{filepath.Join(e.root, "wasm", "bench", "index.html"), "index.html"},
		{filepath.Join(e.root, "wasm", "bench", "bench.js"), "bench.js"},
		{filepath.Join(e.root, "wasm", "bench", "worker.js"), "worker.js"},
		{filepath.Join(e.dist, "wasm_exec.js"), "wasm_exec.js"},
		{filepath.Join(e.dist, "kernels.js"), "kernels.js"},
	} {
		b, err := os.ReadFile(f.from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f.to), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	handler, err := static.NewHandler(dir, static.Options{Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)

	ctx, cancel := chromedp.NewContext(e.browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	p := &page{t: t, ctx: ctx, console: &consoleLog{}}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	go p.console.collect(ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
		t.Fatalf("opening the benchmark page: %v", err)
	}
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`window.benchReady === true`,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(readyTimeout)))
	if err != nil {
		t.Fatalf("the benchmark page did not become ready: %v\nconsole:\n%s", err, p.console.text())
	}
	return p
}

// call calls method of the page's instance name with integer arguments and
// decodes its JSON answer into T.
func call[T any](p *page, name, method string, args ...int) T {
	p.t.Helper()
	strs := make([]string, len(args))
	for i, a := range args {
		strs[i] = fmt.Sprint(a)
	}
	reply := evaluate[any](p, fmt.Sprintf("window.%s.%s(%s)", name, method, strings.Join(strs, ", ")))
	s, ok := reply.(string)
	if !ok {
		p.t.Fatalf("%s.%s: %v", name, method, reply)
	}
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		p.t.Fatalf("%s.%s: %v in %q", name, method, err, s)
	}
	return v
}

// TestSIMDInBrowser trains two epochs of the homework setup in Chromium with
// and without the SIMD kernels, with them in a Web Worker, and natively. The
// runs in Chromium must agree bit for bit after each epoch: losses, error rates, every test
// prediction and every parameter tensor's Σ|w|. The native run must make
// the same predictions with the same error rates, and the same losses and
// weights (see nativeBound).
func TestSIMDInBrowser(t *testing.T) {
	p := benchPage(t)
	if !evaluate[bool](p, `window.convlabSIMD.simd === true && window.convlabGo.simd === false`) {
		t.Fatal("want the SIMD kernels attached to convlabSIMD only (does this Chromium lack WebAssembly SIMD?)")
	}
	const batch, epochs = 10, 2
	simd := call[[]workload.Epoch](p, "convlabSIMD", "run", batch, epochs)
	pure := call[[]workload.Epoch](p, "convlabGo", "run", batch, epochs)
	if len(simd) != epochs || !reflect.DeepEqual(simd, pure) {
		t.Fatalf("in Chromium the SIMD kernels and the Go loops give different results:\n  SIMD %s\n  Go   %s", brief(simd), brief(pure))
	}
	worker := evaluate[struct {
		SIMD   bool   `json:"simd"`
		Result string `json:"result"`
		Error  string `json:"error"`
	}](p, fmt.Sprintf("window.runInWorker(%d, %d)", batch, epochs))
	var inWorker []workload.Epoch
	if err := json.Unmarshal([]byte(worker.Result), &inWorker); err != nil || !worker.SIMD {
		t.Fatalf("in a Web Worker: SIMD %v, error %q, result %q (%v)", worker.SIMD, worker.Error, worker.Result, err)
	}
	if !reflect.DeepEqual(inWorker, simd) {
		t.Fatalf("in a Web Worker the SIMD kernels give other results than in the page:\n  worker %s\n  page   %s", brief(inWorker), brief(simd))
	}
	train, test, err := workload.Data(100, 10)
	if err != nil {
		t.Fatal(err)
	}
	native, err := workload.Run(train, test, batch, epochs)
	if err != nil {
		t.Fatal(err)
	}
	compareWithNative(t, simd, native)
	p.expectNoConsoleErrors()
}

// nativeBound is the largest relative difference allowed between a run in
// the browser and the same run natively, in losses and weight sums: none.
// The layers compute the same bits on both (TestSIMDInBrowser checks the
// SIMD kernels against the Go loops, which are the same code natively), and
// the loss uses nn's own exp and log rather than math.Exp and math.Log,
// which are amd64 assembly natively.
const nativeBound = 0.0

// compareWithNative requires a browser run to make the native run's
// predictions with its error rates, and to stay within nativeBound of its
// losses and weight sums.
func compareWithNative(t *testing.T, browser, native []workload.Epoch) {
	t.Helper()
	if len(browser) != len(native) {
		t.Fatalf("%d epochs in the browser, %d natively", len(browser), len(native))
	}
	worst := 0.0
	for i, b := range browser {
		n := native[i]
		if !slices.Equal(b.Predicted, n.Predicted) || b.TrainError != n.TrainError || b.TestError != n.TestError {
			t.Errorf("epoch %d: predictions or error rates differ from the native run", i+1)
		}
		pairs := [][2]uint64{{b.TrainLoss, n.TrainLoss}, {b.TestLoss, n.TestLoss}}
		for j := range b.WeightSums {
			pairs = append(pairs, [2]uint64{b.WeightSums[j], n.WeightSums[j]})
		}
		for _, pr := range pairs {
			x, y := math.Float64frombits(pr[0]), math.Float64frombits(pr[1])
			d := math.Abs(x-y) / math.Max(math.Abs(y), math.SmallestNonzeroFloat64)
			if math.IsNaN(d) {
				d = math.Inf(1)
			}
			worst = max(worst, d)
		}
	}
	t.Logf("largest relative difference from the native run in losses and weight sums: %.2g", worst)
	if worst > nativeBound {
		t.Errorf("the browser run differs from the native run by %.2g (relative), more than %g:\n  browser %s\n  native  %s",
			worst, nativeBound, brief(browser), brief(native))
	}
}

// brief prints a run's results compactly for an error message.
func brief(run []workload.Epoch) string {
	var b strings.Builder
	for i, e := range run {
		fmt.Fprintf(&b, "[epoch %d: losses %#x %#x, errors %#x %#x, weight sums %x] ", i+1,
			e.TrainLoss, e.TestLoss, e.TrainError, e.TestError, e.WeightSums)
	}
	return b.String()
}

// TestBrowserBenchmark measures, in one Chromium tab, the images per second
// of one epoch of training at batch sizes 1, 10, 50 and 100 and of the
// end-of-epoch evaluation (1,100 images), with the SIMD kernels and without,
// alternating the two three times; it reports the medians and their ratio.
// It is a benchmark, not a test: it runs only with -bench-browser (make
// bench-browser) and asserts nothing about speed.
//
// Recorded in the README at commit bbec2d5 (2-core shared machine,
// headless Chromium, software GL; two runs at a quiet moment), images/s
// with the SIMD kernels / the Go loops: training at batch 1 6,700 / 1,570
// (4.3×), batch 10 13,200–13,700 / 1,830–1,860 (7.2–7.4×), batch 50
// 13,900–14,700 / 1,830–1,860 (7.6–7.9×), batch 100 13,600–14,600 /
// 1,820–1,880 (7.5–7.8×); inference 33,300–34,400 / 4,190–4,380
// (7.9–8.0×). At batch 1 the optimizer's update after every image, which
// stays in Go, takes a large share; bigger batches gain most in the
// convolutions, inference in the convolutions' and max pooling's forward
// passes.
func TestBrowserBenchmark(t *testing.T) {
	if !*benchBrowser {
		t.Skip("a benchmark: run it with -bench-browser (make bench-browser)")
	}
	p := benchPage(t)
	const rounds = 3
	type row struct{ train, inference [2][]float64 } // [0] SIMD, [1] Go
	batches := []int{1, 10, 50, 100}
	rows := make([]row, len(batches))
	names := [2]string{"convlabSIMD", "convlabGo"}
	for range rounds {
		for i, batch := range batches {
			for k, name := range names {
				s := call[workload.Speed](p, name, "measure", batch)
				if s.SIMD != (k == 0) {
					t.Fatalf("%s ran with SIMD = %v", name, s.SIMD)
				}
				rows[i].train[k] = append(rows[i].train[k], s.Train)
				rows[i].inference[k] = append(rows[i].inference[k], s.Inference)
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "images/s in headless Chromium, median of %d alternating runs (1,000 training images, Momentum; inference: 1,100 images)\n", rounds)
	fmt.Fprintf(&b, "%-22s %12s %12s %7s\n", "", "SIMD", "pure Go", "ratio")
	line := func(what string, v [2][]float64) {
		simd, pure := median(v[0]), median(v[1])
		fmt.Fprintf(&b, "%-22s %12.0f %12.0f %6.2f×\n", what, simd, pure, simd/pure)
	}
	for i, batch := range batches {
		line(fmt.Sprintf("training, batch %d", batch), rows[i].train)
	}
	var inference [2][]float64
	for _, r := range rows {
		for k := range inference {
			inference[k] = append(inference[k], r.inference[k]...)
		}
	}
	line("inference", inference)
	t.Log("\n" + b.String())
	p.expectNoConsoleErrors()
}
