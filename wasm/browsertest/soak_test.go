//go:build !js

package browsertest

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"convlab/ui/api"
)

// TestSoak is `make soak`: it trains on the page for -soak (20 minutes in
// the Makefile) through comparisons, resets and added runs, and every
// -soak-every reports the memory of the page and of its workers and the
// dashboard's frame rate. It fails if the memory has not levelled off.
//
// Recorded in the README at commit bbec2d5 (20 minutes, 70 steps, about 2
// million images; 2-core shared machine, load average 10–19, headless
// Chromium, software GL; each worker then ran the whole page program,
// before wasm/worker): the page's WebAssembly memory 33 MB at start, 132 →
// 145.5 MB by minute 10.5, then flat for the last 9.5 minutes, its Go heap
// after a collection 42–49 MB and 14,000–15,000 objects throughout
// (measured with a temporary hook, in a 7-minute run); a worker 60–80 MB (142 MB at batch 1),
// as many workers alive as runs, 236–266 MB for 4 runs, 409–491 MB for 6;
// at each cycle's end renderer RSS 1,119–1,179 MB, GPU process 207–209 MB;
// 0.4–9.3 fps. WebAssembly memory is the Go heap's high-water mark (the
// collector lets the heap grow to twice the live data, and the memory
// cannot shrink), reached when compare() sets up its runs before the old
// ones go.
var (
	soakFor = flag.Duration("soak", 0,
		"run TestSoak for this long: training through comparisons, resets and added runs, reporting memory and fps (make soak)")
	soakEvery = flag.Duration("soak-every", time.Minute, "how often TestSoak reports")
)

// soakData is the data of every soak run: the 500 images per
// class, two epochs, so that a run takes tens of seconds and a cycle of
// the scenario several minutes.
const soakData = "perclass=500&testper=50&epochs=2"

// soakWait bounds one wait of the soak for its runs: 6 runs of 10,000
// images each, one after the other on a 2-core machine.
const soakWait = 10 * time.Minute

// Bounds on growth that count as levelled off, from the sample at the
// middle of the soak to the last: the Go heaps of the page and of the
// workers only grow (WebAssembly memory cannot shrink), so any leak
// shows in them; the processes' resident memory also moves with the
// allocator and the GPU process's caches, and gets a looser bound.
const (
	maxWasmGrowth = 0.10
	maxRSSGrowth  = 0.25
)

// soakSample is what the soak measures at one moment.
type soakSample struct {
	at          time.Duration
	cycles      int     // scenario steps completed
	runs        int     // runs on the page
	fps         float64 // status().fps
	pageWasm    int64   // the page's WebAssembly memory, bytes
	jsHeap      int64   // the page's JavaScript heap in use (performance.memory)
	workers     int     // workers alive (worker targets)
	workerWasm  int64   // their WebAssembly memory, summed
	maxWorker   int64   // the largest worker's WebAssembly memory
	renderers   int     // renderer processes
	rendererRSS int64   // their resident memory, summed (the page and its workers are threads of one)
	gpuRSS      int64   // the GPU process's resident memory (WebGL in SwiftShader)
}

func TestSoak(t *testing.T) {
	if *soakFor <= 0 {
		t.Skip("a soak: run it with -soak 20m (make soak)")
	}
	p := openPage(t, soakData, desktop)
	s := &soak{t: t, p: p, start: time.Now()}
	s.samples = append(s.samples, s.measure())
	s.next = s.start.Add(*soakEvery)
	steps := []soakStep{
		{"compare('optimizers'), train all", func() bool {
			s.do(`compare("optimizers")`)
			s.do(`start()`)
			return s.until("every run ended", `window.convlab.runs().every(r => ["finished", "failed"].includes(r.state))`)
		}},
		{"reset the selected run while it trains, train all", func() bool {
			s.do(`reset()`)
			s.do(`start()`)
			if !s.until("an epoch of the reset run", `window.convlab.status().epoch >= 1`) {
				return false
			}
			s.do(`reset()`)
			s.do(`start()`)
			return s.until("every run ended", `window.convlab.runs().every(r => ["finished", "failed"].includes(r.state))`)
		}},
		{"add 3 runs (6 in all), train all", func() bool {
			s.do(`addRun({lr: 0.003})`)
			s.do(`addRun({opt: "sgd", lr: 0.01})`)
			s.do(`addRun({batch: 50})`)
			s.do(`start()`)
			return s.until("every run ended", `window.convlab.runs().every(r => ["finished", "failed"].includes(r.state))`)
		}},
		{"compare('batch') (4 runs replace 6), train all", func() bool {
			s.do(`compare("batch")`)
			s.do(`start()`)
			return s.until("every run ended", `window.convlab.runs().every(r => ["finished", "failed"].includes(r.state))`)
		}},
	}
	for i := 0; s.remaining() > 0; i++ {
		step := steps[i%len(steps)]
		if !step.run() {
			break
		}
		s.cycles++
		t.Logf("%6.1f min  done: %s: %s", time.Since(s.start).Minutes(), step.name, s.runStates())
		if s.cycles%len(steps) == 0 { // every run ended, and the page holds the same runs as at the last cycle's end
			s.ends = append(s.ends, s.measure())
		}
	}
	s.do(`pause()`)
	s.settleWorkers()
	s.samples = append(s.samples, s.measure())
	s.report()
	s.check()
	p.expectNoConsoleErrors()
}

type soakStep struct {
	name string
	run  func() bool // false when the soak's time ran out during the step
}

// soak drives the page and keeps the samples.
type soak struct {
	t       *testing.T
	p       *page
	start   time.Time
	next    time.Time // when the next sample is due
	cycles  int
	samples []soakSample // every -soak-every, and at the end
	ends    []soakSample // at the end of each cycle of the steps
}

func (s *soak) remaining() time.Duration { return *soakFor - time.Since(s.start) }

// do calls window.convlab.<call> and fails the test unless it resolves
// to {ok: true}.
func (s *soak) do(call string) {
	s.t.Helper()
	if res := evaluate[api.Result](s.p, "window.convlab."+call); !res.OK {
		s.t.Fatalf("%6.1f min: %s: %+v", time.Since(s.start).Minutes(), call, res)
	}
}

// until polls the JavaScript condition cond, taking the samples that
// fall due meanwhile, until it holds (true) or the soak's time is up
// (false). It fails the test if cond does not hold within soakWait.
func (s *soak) until(what, cond string) bool {
	s.t.Helper()
	deadline := time.Now().Add(soakWait)
	poll := time.NewTicker(500 * time.Millisecond)
	defer poll.Stop()
	for {
		if evaluate[bool](s.p, cond) {
			return true
		}
		if time.Now().After(s.next) {
			s.samples = append(s.samples, s.measure())
			s.next = s.next.Add(*soakEvery)
		}
		if s.remaining() <= 0 {
			return false
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("%6.1f min: waited %v for %s", time.Since(s.start).Minutes(), soakWait, what)
		}
		<-poll.C
	}
}

// settleWorkers waits until no more workers are alive than the page has
// runs: a worker whose run was removed or replaced is terminated when it
// goes, and Chromium then drops its target.
func (s *soak) settleWorkers() {
	s.t.Helper()
	deadline := time.Now().Add(evalTimeout)
	for {
		runs := len(evaluate[[]api.Run](s.p, `window.convlab.runs()`))
		workers, err := s.workerTargets()
		if err != nil {
			s.t.Fatal(err)
		}
		if len(workers) <= runs {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("%d workers alive for %d runs: the workers of removed runs were not terminated", len(workers), runs)
		}
		evaluate[bool](s.p, `new Promise(r => requestAnimationFrame(() => r(true)))`) // a frame for the page to act
	}
}

// runStates counts the runs in each state, and fails the test if one
// failed: every soak run learns.
func (s *soak) runStates() string {
	s.t.Helper()
	count := map[string]int{}
	var images int
	for _, r := range evaluate[[]api.Run](s.p, `window.convlab.runs()`) {
		count[r.State]++
		images += len(r.Epochs) * 10 * r.Config.TrainPerClass
		if r.State == "failed" {
			s.t.Errorf("run %s failed", r.Label)
		}
	}
	return fmt.Sprintf("runs %v, %d images in their epochs", count, images)
}

// measure measures the page, its workers and the browser's processes,
// and logs and returns the figures.
func (s *soak) measure() soakSample {
	s.t.Helper()
	m := soakSample{at: time.Since(s.start), cycles: s.cycles}
	page := evaluate[struct {
		Runs     int     `json:"runs"`
		FPS      float64 `json:"fps"`
		PageWasm int64   `json:"pageWasm"`
		JSHeap   int64   `json:"jsHeap"`
	}](s.p, `(() => {
		const st = window.convlab.status();
		return {runs: st.runs.length, fps: st.fps,
			pageWasm: window.convlabMemory ? window.convlabMemory.buffer.byteLength : -1,
			jsHeap: performance.memory ? performance.memory.usedJSHeapSize : -1};
	})()`)
	m.runs, m.fps, m.pageWasm, m.jsHeap = page.Runs, page.FPS, page.PageWasm, page.JSHeap
	workers, err := s.workerTargets()
	if err != nil {
		s.t.Fatal(err)
	}
	m.workers = len(workers)
	for _, id := range workers {
		n, err := workerMemory(s.p.ctx, id)
		if err != nil {
			s.t.Logf("reading a worker's memory: %v", err) // it may have ended meanwhile
			continue
		}
		m.workerWasm += n
		m.maxWorker = max(m.maxWorker, n)
	}
	m.renderers, m.rendererRSS, m.gpuRSS = browserRSS(s.t)
	s.t.Logf("%6.1f min  %2d steps  %d runs  fps %5.1f  page wasm %6.1f MB  JS heap %5.1f MB  %d workers: wasm %6.1f MB (largest %5.1f)  %d renderers: RSS %6.1f MB  GPU RSS %6.1f MB",
		m.at.Minutes(), m.cycles, m.runs, m.fps, mib(m.pageWasm), mib(m.jsHeap), m.workers, mib(m.workerWasm), mib(m.maxWorker),
		m.renderers, mib(m.rendererRSS), mib(m.gpuRSS))
	return m
}

// workerTargets returns the ids of the browser's dedicated workers.
func (s *soak) workerTargets() ([]target.ID, error) {
	targets, err := chromedp.Targets(s.p.ctx)
	if err != nil {
		return nil, fmt.Errorf("listing the browser's targets: %w", err)
	}
	var ids []target.ID
	for _, t := range targets {
		if t.Type == "worker" {
			ids = append(ids, t.TargetID)
		}
	}
	return ids, nil
}

// workerMemory attaches to worker id, reads the size of its WebAssembly
// memory (worker.js keeps it in self.convlabMemory) and detaches, leaving
// the worker running.
func workerMemory(parent context.Context, id target.ID) (int64, error) {
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithTargetID(id), chromedp.WithDetachOnCancel())
	defer cancel()
	ctx, stop := context.WithTimeout(ctx, evalTimeout)
	defer stop()
	return chromedp.Run(ctx, chromedp.Evaluate[int64](`self.convlabMemory ? self.convlabMemory.buffer.byteLength : 0`))
}

// browserRSS sums the resident memory of the browser's renderer processes
// and of its GPU process, found among the descendants of the Chromium
// process the tests started.
func browserRSS(t *testing.T) (renderers int, rendererRSS, gpuRSS int64) {
	t.Helper()
	proc := chromedp.FromContext(needEnv(t).browser).Browser.Process()
	if proc == nil {
		return 0, -1, -1
	}
	parents := map[int]int{}
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		pid, _ := strconv.Atoi(filepath.Base(d))
		if ppid, err := procField(d, "PPid:"); err == nil {
			parents[pid] = int(ppid)
		}
	}
	descends := func(pid int) bool {
		for i := 0; i < 10 && pid > 1; i++ {
			if pid = parents[pid]; pid == proc.Pid {
				return true
			}
		}
		return false
	}
	for pid := range parents {
		if !descends(pid) {
			continue
		}
		d := fmt.Sprintf("/proc/%d", pid)
		cmd, err := os.ReadFile(d + "/cmdline")
		if err != nil {
			continue
		}
		rss, err := procField(d, "VmRSS:")
		if err != nil {
			continue
		}
		switch args := string(cmd); {
		case strings.Contains(args, "--type=renderer"):
			renderers++
			rendererRSS += rss << 10
		case strings.Contains(args, "--type=gpu-process"):
			gpuRSS += rss << 10
		}
	}
	return renderers, rendererRSS, gpuRSS
}

// procField reads a number (such as VmRSS in kB) from /proc/<pid>/status.
func procField(dir, key string) (int64, error) {
	f, err := os.Open(dir + "/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), key); ok {
			return strconv.ParseInt(strings.Fields(rest)[0], 10, 64)
		}
	}
	return 0, fmt.Errorf("%s/status has no %s", dir, key)
}

// report logs the samples as a table, to be read (and summed up in a row
// of the README's Figures table, or in TestSoak's comment).
func (s *soak) report() {
	var b strings.Builder
	fmt.Fprintf(&b, "soak of %v, %d scenario steps (%s):\n", *soakFor, s.cycles, soakData)
	fmt.Fprintf(&b, "%6s %5s %4s %6s %10s %8s %7s %11s %10s %9s\n", "min", "steps", "runs", "fps", "page wasm", "JS heap", "workers", "worker wasm", "renderers", "GPU")
	for i, m := range append(s.samples, s.ends...) {
		if i == len(s.samples) {
			b.WriteString("at the end of each cycle of the steps (every run finished, 4 runs):\n")
		}
		fmt.Fprintf(&b, "%6.1f %5d %4d %6.1f %7.1f MB %5.1f MB %7d %8.1f MB %7.1f MB %6.1f MB\n",
			m.at.Minutes(), m.cycles, m.runs, m.fps, mib(m.pageWasm), mib(m.jsHeap), m.workers, mib(m.workerWasm), mib(m.rendererRSS), mib(m.gpuRSS))
	}
	s.t.Log(b.String())
}

// check fails the test unless the memory levelled off. It compares
// like with like: the samples at the end of each cycle of the steps, when
// the page holds the same runs, all finished. From the cycle end nearest
// the middle of the soak to the last, the page's and the workers'
// WebAssembly memory may grow by at most maxWasmGrowth, and the
// renderers' and the GPU process's resident memory by maxRSSGrowth.
func (s *soak) check() {
	if len(s.ends) < 3 {
		s.t.Logf("only %d cycles: too few to judge whether memory levels off (soak longer)", len(s.ends))
		return
	}
	mid, last := s.ends[len(s.ends)/2], s.ends[len(s.ends)-1]
	for _, c := range []struct {
		what      string
		from, to  int64
		tolerance float64
	}{
		{"the page's WebAssembly memory", mid.pageWasm, last.pageWasm, maxWasmGrowth},
		{"the workers' WebAssembly memory", mid.workerWasm, last.workerWasm, maxWasmGrowth},
		{"the renderers' resident memory", mid.rendererRSS, last.rendererRSS, maxRSSGrowth},
		{"the GPU process's resident memory", mid.gpuRSS, last.gpuRSS, maxRSSGrowth},
	} {
		if c.from <= 0 || c.to <= 0 {
			s.t.Errorf("%s could not be read (%d, %d bytes)", c.what, c.from, c.to)
			continue
		}
		if growth := float64(c.to)/float64(c.from) - 1; growth > c.tolerance {
			s.t.Errorf("%s grew by %.0f%% (%.1f → %.1f MB) from %.1f to %.1f minutes: it has not levelled off (at most %.0f%%)",
				c.what, 100*growth, mib(c.from), mib(c.to), mid.at.Minutes(), last.at.Minutes(), 100*c.tolerance)
		}
	}
	if last.workers != last.runs {
		s.t.Errorf("%d workers alive for %d runs", last.workers, last.runs)
	}
}
