//go:build !js

package browsertest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"convlab/serve/static"
	"convlab/ui/runner"
)

// maxFirstVisit bounds what a first visit downloads: the page, the
// training worker, the MNIST images and the scripts, as the server sends
// them (gzip where it compresses), to load the page and train the default
// run.
const maxFirstVisit = 5 << 20

// A first visit, with an empty cache, downloads at most maxFirstVisit to
// load the page and train the default run to the end in a worker; each file
// at most once (the workers and the page share the HTTP cache). It logs
// each file's bytes and the worker's WebAssembly memory after the run.
func TestFirstVisitDownload(t *testing.T) {
	e := needEnv(t)
	handler, err := static.NewHandler(e.dist, static.Options{Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	var sent traffic
	srv := httptest.NewServer(sent.count(handler))
	t.Cleanup(srv.Close)

	p := openPageAt(t, srv.URL+"/", "autostart=1", desktop)
	s := p.waitForRunEnd(runTimeout)
	if s.TrainingIn != runner.InWorker {
		t.Fatalf("trainingIn %q, want %q", s.TrainingIn, runner.InWorker)
	}
	total := int64(0)
	for _, f := range sent.files() {
		t.Logf("  %-36s %9d bytes in %d response(s)", f.path, f.bytes, f.responses)
		total += f.bytes
	}
	t.Logf("first visit, default run trained: %d bytes (%.2f MiB) sent", total, mib(total))
	if total > maxFirstVisit {
		t.Errorf("the first visit downloaded %.2f MiB, more than %.2f MiB", mib(total), mib(maxFirstVisit))
	}
	for _, f := range sent.files() {
		if f.responses > 1 && f.bytes > 1<<10 {
			t.Errorf("%s was sent %d times (%d bytes): the page and its workers should share the HTTP cache", f.path, f.responses, f.bytes)
		}
	}
	logWorkerMemory(t, p, "default run (1,000 training images)")
	p.expectNoConsoleErrors()
}

// The WebAssembly memory of a worker that trained one epoch on 500 images
// per class.
func TestWorkerMemory(t *testing.T) {
	p := openPage(t, "perclass=500&epochs=1&autostart=1", desktop)
	p.waitForRunEnd(runTimeout)
	logWorkerMemory(t, p, "one epoch of 500 images per class (5,000 training images)")
	p.expectNoConsoleErrors()
}

// logWorkerMemory logs the WebAssembly memory of each of the page's
// workers and returns the largest.
func logWorkerMemory(t *testing.T, p *page, what string) int64 {
	t.Helper()
	ids, err := pageWorkers(p.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var largest int64
	for _, id := range ids {
		n, err := workerMemory(p.ctx, id)
		if err != nil {
			t.Fatalf("reading a worker's memory: %v", err)
		}
		t.Logf("worker WebAssembly memory after %s: %.1f MiB", what, mib(n))
		largest = max(largest, n)
	}
	if len(ids) == 0 {
		t.Fatalf("no worker found after %s", what)
	}
	return largest
}

// pageWorkers returns the ids of the dedicated workers of p's browser
// context.
func pageWorkers(ctx context.Context) ([]target.ID, error) {
	c := chromedp.FromContext(ctx)
	if c == nil || c.Target == nil {
		return nil, fmt.Errorf("no tab")
	}
	targets, err := chromedp.Targets(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing the browser's targets: %w", err)
	}
	var own cdp.BrowserContextID
	for _, info := range targets {
		if info.TargetID == c.Target.TargetID {
			own = info.BrowserContextID
		}
	}
	var ids []target.ID
	for _, info := range targets {
		if info.Type == "worker" && info.BrowserContextID == own {
			ids = append(ids, info.TargetID)
		}
	}
	return ids, nil
}

// traffic counts the bytes a handler sends, per path.
type traffic struct {
	mu   sync.Mutex
	sent map[string]*fileTraffic
}

type fileTraffic struct {
	path      string
	bytes     int64
	responses int
}

// count wraps h, counting the body bytes of each response.
func (tr *traffic) count(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &countingResponse{ResponseWriter: w}
		h.ServeHTTP(cw, r)
		tr.mu.Lock()
		defer tr.mu.Unlock()
		if tr.sent == nil {
			tr.sent = map[string]*fileTraffic{}
		}
		f := tr.sent[r.URL.Path]
		if f == nil {
			f = &fileTraffic{path: r.URL.Path}
			tr.sent[r.URL.Path] = f
		}
		f.bytes += cw.n
		if cw.n > 0 {
			f.responses++
		}
	})
}

// files returns the counts, largest first.
func (tr *traffic) files() []fileTraffic {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	var out []fileTraffic
	for _, f := range tr.sent {
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].bytes > out[j].bytes })
	return slices.Clip(out)
}

// countingResponse counts the body bytes written through it.
type countingResponse struct {
	http.ResponseWriter
	n int64
}

func (c *countingResponse) Write(p []byte) (int, error) {
	n, err := c.ResponseWriter.Write(p)
	c.n += int64(n)
	return n, err
}
