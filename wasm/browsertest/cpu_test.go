//go:build !js

package browsertest

import (
	"flag"
	"fmt"
	"io"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"convlab/serve/static"
)

// cpuFigures turns on TestCPUFigures, which takes about two minutes a
// site (make cpu-browser); cpuBaseline names a built site to measure
// before this one, in the same run, such as main's (make dist DIST=…).
var (
	cpuFigures  = flag.Bool("cpu-figures", false, "measure the page's CPU use idle, while training and while drawing (TestCPUFigures)")
	cpuBaseline = flag.String("cpu-baseline", "", "with -cpu-figures, measure this built site too, first, as the baseline")
)

// cpuWindow is how long each of TestCPUFigures' measurements lasts.
const cpuWindow = 20 * time.Second

// TestCPUFigures measures and logs, without judging them, the CPU time
// Chromium's processes spend on the page over cpuWindow, read from /proc:
// with the page at rest, while it trains (RMSProp, batch 10), and while
// the mouse draws on the pad; and the frame rate in each. With
// -cpu-baseline it measures that site first, then this one.
//
// Recorded in the README at commit bbec2d5 (2-core shared machine, load
// average 6–10, headless Chromium, software GL; two runs), cores, fps and
// CPU ms a frame, the training worker left out: at rest 0.32, 57–59,
// 5.5; training (RMSProp, batch 10, in a worker) 1.02–1.05, 11.5–14,
// 43–47; drawing on the pad 0.85–0.98, 30–42, 23–28. The baseline in the
// same runs, the build before the dashboard painted only what changed
// (ui/screen/repaint): at rest 0.56–0.95 cores, 5–13 fps, 71–110 ms a
// frame. Of the 0.32 cores at rest, 0.19 were the GPU process presenting
// the header's frame rate, which changes about once a second.
func TestCPUFigures(t *testing.T) {
	if !*cpuFigures {
		t.Skip("measures for a minute or more; run it with -args -cpu-figures (make cpu-browser)")
	}
	browser := chromedp.FromContext(needEnv(t).browser).Browser.Process()
	if browser == nil {
		t.Skip("the browser's process is unknown")
	}
	type site struct{ name, url string }
	sites := []site{{"this", env.baseURL}}
	if *cpuBaseline != "" {
		handler, err := static.NewHandler(*cpuBaseline, static.Options{Log: io.Discard})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(handler)
		defer srv.Close()
		sites = append([]site{{"baseline", srv.URL + "/"}}, sites...)
	}
	t.Logf("CPU cores used over %v, and frames per second:", cpuWindow)
	t.Logf("%-20s  %8s  %8s  %8s  %8s  %8s  %8s  %6s  %8s  %8s  %s", "", "page", "workers", "renderer", "GPU", "browser", "all", "fps", "painted", "ms/frame", "load average")
	for _, s := range sites {
		t.Run(s.name, func(t *testing.T) {
			row := func(what string, u cpuUse) { t.Logf("%-20s  %s  %s", what+" ("+s.name+")", u, loadAverage()) }
			p := openPageAt(t, s.url, "", desktop, newDocumentScript(glCounter))
			p.waitFrames(warmUpFrames)
			row("idle", p.measureCPU(browser.Pid, nil))

			r := evaluate[map[string]any](p, `window.convlab.start({opt: "rmsprop", batch: 10, perclass: 500, epochs: 50})`)
			if r["ok"] != true {
				t.Fatalf("start() = %v, want {ok: true}", r)
			}
			p.waitFor(fmt.Sprintf(`window.convlab.status().imagesTrained >= %d`, warmUpImages), evalTimeout)
			training := p.measureCPU(browser.Pid, nil)
			if st := p.status(); st.State != "running" {
				t.Fatalf("state %q after measuring the training, want running", st.State)
			}
			row("training", training)
			evaluate[map[string]any](p, `window.convlab.pause()`)

			p.waitFrames(warmUpFrames)
			row("drawing", p.measureCPU(browser.Pid, p.scribble))
			p.expectNoConsoleErrors()
		})
	}
}

// loadAverage returns the machine's load average over the last minute,
// which the figures depend on, as /proc/loadavg gives it.
func loadAverage() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(raw))[0]
}

// cpuUse is what the page cost over a measurement: CPU time per second of
// Chromium's renderers (page: their main threads, where the page's own
// program runs; workers: their Web Workers, where training runs), its GPU
// process and the browser process (all includes the rest, such as the
// network service); the frames the dashboard ran per second, and the
// animation frames per second in which it drew (and so presented)
// anything, counted by glCounter. String adds the CPU time per frame,
// (all − workers)/fps, which compares pages that the machine's other work
// leaves short of CPU.
type cpuUse struct {
	page, workers, renderer, gpu, browser, all float64 // cores
	fps, painted                               float64
}

func (u cpuUse) String() string {
	return fmt.Sprintf("%8.3f  %8.3f  %8.3f  %8.3f  %8.3f  %8.3f  %6.1f  %8.1f  %8.1f",
		u.page, u.workers, u.renderer, u.gpu, u.browser, u.all, u.fps, u.painted, 1000*(u.all-u.workers)/u.fps)
}

// measureCPU measures the CPU use of the browser with process id pid and
// its descendants over cpuWindow, while act (when not nil) works on the
// page until the given time.
func (p *page) measureCPU(pid int, act func(until time.Time)) cpuUse {
	p.t.Helper()
	frames0, gl0 := p.status().Frame, p.glCount()
	before, err := processTimes(pid)
	if err != nil {
		p.t.Fatal(err)
	}
	start := time.Now()
	if act != nil {
		act(start.Add(cpuWindow))
	}
	if rest := time.Until(start.Add(cpuWindow)); rest > 0 {
		time.Sleep(rest) // the measurement's window, not a wait for a state
	}
	after, err := processTimes(pid)
	if err != nil {
		p.t.Fatal(err)
	}
	seconds := time.Since(start).Seconds()
	frames, gl := p.status().Frame-frames0, p.glCount()

	var u cpuUse
	for id, a := range after {
		b := before[id] // a process started since counts whole
		cores := (a.seconds - b.seconds) / seconds
		switch a.kind {
		case "renderer":
			u.renderer += cores
			u.page += (a.main - b.main) / seconds
			u.workers += (a.workers - b.workers) / seconds
		case "gpu-process":
			u.gpu += cores
		case "":
			u.browser += cores
		}
		u.all += cores
	}
	u.fps = float64(frames) / seconds
	u.painted = float64(gl.Painted-gl0.Painted) / seconds
	return u
}

// processTime is a process's kind (its --type flag; empty for the browser
// process) and the CPU time it has used, user and system, in seconds: in
// all, by its main thread, and by its threads named for Web Workers
// (renderers only).
type processTime struct {
	kind                   string
	seconds, main, workers float64
}

// clockTicks is the unit of the times in /proc/<pid>/stat: USER_HZ, 100 on
// every Linux architecture Chromium runs on.
const clockTicks = 100

// processTimes returns the CPU times of the process pid and all its
// descendants, by process id.
func processTimes(pid int) (map[int]processTime, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, fmt.Errorf("listing processes: %w", err)
	}
	type stat struct {
		parent int
		time   processTime
	}
	all := make(map[int]stat)
	for _, e := range entries {
		id, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		dir := filepath.Join("/proc", e.Name())
		parent, seconds, ok := readStat(dir)
		if !ok {
			continue // it ended meanwhile
		}
		t := processTime{kind: processKind(id), seconds: seconds}
		if t.kind == "renderer" {
			t.main, t.workers = threadTimes(dir)
		}
		all[id] = stat{parent, t}
	}
	out := make(map[int]processTime)
	for id, s := range all {
		for a := id; a > 1; a = all[a].parent {
			if a == pid {
				out[id] = s.time
				break
			}
			if _, ok := all[a]; !ok {
				break
			}
		}
	}
	if _, ok := out[pid]; !ok {
		return nil, fmt.Errorf("the browser's process %d is not running", pid)
	}
	return out, nil
}

// readStat reads the parent and the CPU time, user and system, of the
// process or thread whose /proc directory is dir.
func readStat(dir string) (parent int, seconds float64, ok bool) {
	raw, err := os.ReadFile(filepath.Join(dir, "stat"))
	if err != nil {
		return 0, 0, false
	}
	// The command name, in parentheses, may hold spaces: the fields that
	// follow it are ppid (4th of the line), …, utime and stime (14th and
	// 15th).
	s := string(raw)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0, 0, false
	}
	parent, _ = strconv.Atoi(fields[1])
	utime, _ := strconv.ParseFloat(fields[11], 64)
	stime, _ := strconv.ParseFloat(fields[12], 64)
	return parent, (utime + stime) / clockTicks, true
}

// threadTimes returns the CPU time of the main thread of the process whose
// /proc directory is dir, and of its threads that run Web Workers
// (Chromium names them DedicatedWorker thread, cut to 15 characters).
func threadTimes(dir string) (main, workers float64) {
	tasks, err := os.ReadDir(filepath.Join(dir, "task"))
	if err != nil {
		return 0, 0
	}
	for _, task := range tasks {
		_, seconds, ok := readStat(filepath.Join(dir, "task", task.Name()))
		if !ok {
			continue
		}
		comm, _ := os.ReadFile(filepath.Join(dir, "task", task.Name(), "comm"))
		switch {
		case task.Name() == filepath.Base(dir):
			main += seconds
		case strings.HasPrefix(string(comm), "DedicatedWorker"):
			workers += seconds
		}
	}
	return main, workers
}

// processKind returns the --type flag of a Chromium process (renderer,
// gpu-process, utility, zygote, …), empty for the browser process.
// Chromium rewrites its children's command lines with spaces between the
// arguments, so both separators are accepted.
func processKind(pid int) string {
	raw, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
	if err != nil {
		return "?"
	}
	for _, arg := range strings.Fields(strings.ReplaceAll(string(raw), "\x00", " ")) {
		if v, ok := strings.CutPrefix(arg, "--type="); ok {
			return v
		}
	}
	return ""
}

// scribble draws circles on the pad with the mouse until the given time:
// a press, then moves 10° apart, each sent once the page has taken the
// last in (the pad's count of pointer samples grew: a move over ink
// already there need not change the drawing), then a release.
func (p *page) scribble(until time.Time) {
	p.t.Helper()
	pad := p.status().Layout["pad"]
	ox, oy := p.canvasOrigin()
	cx, cy, radius := ox+pad.X+pad.W/2, oy+pad.Y+pad.H/2, 0.3*min(pad.W, pad.H)
	at := func(step int) (x, y float64) {
		a := float64(step) * math.Pi / 18
		return math.Round(cx + radius*math.Cos(a)), math.Round(cy + radius*math.Sin(a))
	}
	samples := p.status().Pad.Samples
	send := func(typ input.DispatchMouseEventType, x, y float64) {
		p.mouse(typ, x, y)
		p.waitUntil(fmt.Sprintf(`window.convlab.status().pad.samples > %d`, samples), evalTimeout)
		samples = evaluate[int](p, `window.convlab.status().pad.samples`)
	}
	x, y := at(0)
	send(input.DispatchMouseEventTypeMousePressed, x, y)
	step := 1
	for ; time.Now().Before(until); step++ {
		x, y = at(step)
		send(input.DispatchMouseEventTypeMouseMoved, x, y)
	}
	send(input.DispatchMouseEventTypeMouseReleased, x, y)
	p.t.Logf("drawing: %d moves of the mouse on the pad in %v", step, cpuWindow)
}
