//go:build !js

package browsertest

import (
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"testing"

	"convlab/assets"
	"convlab/ui/api"
)

// figures enables the tests that only measure and log (TestFigures,
// TestTrainingFigures): they take minutes and judge nothing, so make test
// leaves them out; make figures runs them.
var figures = flag.Bool("figures", false, "run the figure-only tests (TestFigures, TestTrainingFigures; make figures)")

// needFigures skips a figure-only test unless -figures is given.
func needFigures(t *testing.T) {
	t.Helper()
	if !*figures {
		t.Skip("a measurement that judges nothing: run it with -args -figures (make figures)")
	}
}

// TestFigures measures and logs, without judging them: the time from
// navigation to ready, the frame rate idle and while training at batch 10,
// the training throughput, and the size of the built site.
//
// Recorded in the README at commit bbec2d5 (2-core shared machine,
// headless Chromium, software GL; the MNIST images then embedded in the
// programs): navigation to the first frame 1.2 s; the site 17.7 MiB raw,
// 4.93 MiB with each file gzip-compressed (kernels.js 12 kB, 6 kB gzip).
// Training at batch 10, as status() reports it, measured at commit
// 0962a03 when runs still trained on the page's thread: about 9,700
// images/s in the training code (2,100 with the Go loops) and 700 images/s
// of wall-clock time, drawing included.
func TestFigures(t *testing.T) {
	needFigures(t)
	p := openPage(t, "", desktop)
	t.Logf("navigation to ready: %.2f s", p.readyAfter.Seconds())

	p.waitFrames(warmUpFrames) // shaders compiled, first allocations made
	idle := p.sample(4, func(s api.Status) float64 { return s.FPS })
	t.Logf("fps idle: median %.1f of %v", median(idle), idle)

	// 50 epochs of 5,000 images: still running when the sampling ends, even
	// at 10,000 images/s in a worker with the SIMD kernels.
	r := evaluate[map[string]any](p, `window.convlab.start({opt: "rmsprop", batch: 10, perclass: 500, epochs: 50})`)
	if r["ok"] != true {
		t.Fatalf("start() = %v, want {ok: true}", r)
	}
	p.waitFor(fmt.Sprintf(`window.convlab.status().imagesTrained >= %d`, warmUpImages), evalTimeout)
	var fps, rate, compute []float64
	for _, s := range p.samples(4) {
		if s.State != "running" {
			t.Fatalf("state %q while sampling the training figures, want running", s.State)
		}
		fps = append(fps, s.FPS)
		rate = append(rate, s.ImagesPerSecond)
		compute = append(compute, s.ComputeImagesPerSecond)
	}
	evaluate[map[string]any](p, `window.convlab.pause()`)
	t.Logf("fps while training (batch 10): median %.1f of %v", median(fps), fps)
	t.Logf("training throughput (batch 10): median %.0f images/s of %.0f", median(rate), rate)
	t.Logf("throughput of the training code alone (computeImagesPerSecond): median %.0f images/s", median(compute))

	raw, compressed, err := siteSize(needEnv(t).dist)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("site size of a first visit: %.2f MiB raw, %.2f MiB gzip-compressed (each file, summed)", mib(raw), mib(compressed))
	p.expectNoConsoleErrors()
}

// Warming up before the figures are taken: frames for the first shaders
// and allocations, images for the rates to reflect steady training (the
// rate meters average over the last few seconds).
const (
	warmUpFrames = 120
	warmUpImages = 2000
	sampleFrames = 30 // between samples
)

// samples reads status() n times, sampleFrames frames apart.
func (p *page) samples(n int) []api.Status {
	p.t.Helper()
	var out []api.Status
	for i := range n {
		if i > 0 {
			p.waitFrames(sampleFrames)
		}
		out = append(out, p.status())
	}
	return out
}

// sample reads one figure from n statuses taken sampleFrames frames apart.
func (p *page) sample(n int, figure func(api.Status) float64) []float64 {
	p.t.Helper()
	var out []float64
	for _, s := range p.samples(n) {
		out = append(out, figure(s))
	}
	return out
}

// median returns the median of v (v is not modified).
func median(v []float64) float64 {
	s := slices.Sorted(slices.Values(v))
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// siteSize returns the total size of the files below dir that a first
// visit loads (not those loaded on demand), raw and with each file
// gzip-compressed on its own at the best level, as the server sends it.
func siteSize(dir string) (raw, compressed int64, err error) {
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || loadedOnDemand(d.Name()) {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		var counter countingWriter
		zw, err := gzip.NewWriterLevel(&counter, gzip.BestCompression)
		if err != nil {
			return err
		}
		n, err := io.Copy(zw, f)
		if err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		raw += n
		compressed += counter.n
		return nil
	})
	return raw, compressed, err
}

// loadedOnDemand reports whether the site's file called name is loaded
// only when asked for, not on a visit: the report writer (report.wasm and
// reportworker.js), started by the first report, and the training images
// beyond the bundle's first tier, fetched by a run that uses more.
func loadedOnDemand(name string) bool {
	if name == "report.wasm" || name == "reportworker.js" {
		return true
	}
	for _, tier := range assets.TrainBundle().Tiers[1:] {
		if name == path.Base(tier.Images.Name) {
			return true
		}
	}
	return false
}

// countingWriter counts the bytes written to it.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

// mib converts bytes to mebibytes.
func mib(n int64) float64 { return float64(n) / (1 << 20) }
