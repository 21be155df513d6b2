//go:build !js

package browsertest

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"convlab/serve/static"
)

// chromiumPath is where Debian installs Chromium.
const chromiumPath = "/usr/bin/chromium"

// skipNoChromium is the message of every test when Chromium is missing.
const skipNoChromium = "browser tests skipped: Chromium not found; install it with apt-get install chromium"

// environment is what TestMain prepares for all tests: the built site,
// served on a loopback port, and one running browser.
type environment struct {
	skip    string          // non-empty: the reason every test is skipped
	root    string          // repository root
	dist    string          // directory of the built site
	baseURL string          // URL of the served site, ending in "/"
	browser context.Context // chromedp context of the running browser; tabs derive from it

	// firstVisit holds the console errors of the browser's first visit to
	// the site. Some requests, such as the one for /favicon.ico, happen once
	// per browser, so only the first page would see their errors; setUp
	// makes that visit so that TestPageLoads, not whichever test happens to
	// run first, reports them.
	firstVisit []string
}

// prebuilt names an already built site to serve instead of running make
// dist, for working on the tests without rebuilding the app each time.
var prebuilt = flag.String("dist", "", "serve this built site instead of building one with make dist")

// env is set once by TestMain, before any test runs, and only read after.
var env *environment

func TestMain(m *testing.M) {
	flag.Parse()
	e, tearDown, err := setUp()
	if err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		os.Exit(1)
	}
	env = e
	code := m.Run()
	tearDown()
	os.Exit(code)
}

// needEnv returns the shared environment, or skips the test when the browser
// tests cannot run here.
func needEnv(t testing.TB) *environment {
	t.Helper()
	if env.skip != "" {
		t.Skip(env.skip)
	}
	return env
}

// setUp builds the site, serves it and starts the browser. The returned
// func undoes all of it.
func setUp() (*environment, func(), error) {
	chromium, err := findChromium()
	if err != nil {
		if os.Getenv("CI") != "" { // under CI a missing browser is a failure, not a skip
			return nil, nil, fmt.Errorf("%s (CI is set, so this is an error)", skipNoChromium)
		}
		return &environment{skip: skipNoChromium}, func() {}, nil
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		return nil, nil, err
	}
	tmp, err := os.MkdirTemp("", "convlab-browsertest-")
	if err != nil {
		return nil, nil, err
	}
	undo := []func(){func() { os.RemoveAll(tmp) }}
	tearDown := func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}

	dist := *prebuilt
	if dist == "" {
		dist = filepath.Join(tmp, "dist")
		if err := buildSite(root, dist); err != nil {
			tearDown()
			return nil, nil, err
		}
	}
	handler, err := static.NewHandler(dist, static.Options{Log: io.Discard})
	if err != nil {
		tearDown()
		return nil, nil, err
	}
	srv := httptest.NewServer(handler) // listens on 127.0.0.1:0
	undo = append(undo, srv.Close)

	browser, stop, err := startBrowser(chromium, filepath.Join(tmp, "profile"))
	if err != nil {
		tearDown()
		return nil, nil, err
	}
	undo = append(undo, stop)
	e := &environment{root: root, dist: dist, baseURL: srv.URL + "/", browser: browser}
	e.firstVisit = visit(browser, e.baseURL)
	return e, tearDown, nil
}

// firstVisitFrames is how many frames visit lets the page run after it is
// ready: a second at 60 frames a second.
const firstVisitFrames = 60

// visit loads the site in a new tab, lets it run firstVisitFrames frames
// and returns the console errors it logged; a page that fails to load, or
// does not run, is one error.
func visit(browser context.Context, url string) []string {
	p, closeTab, err := load(browser, url, desktop)
	defer closeTab()
	if err != nil {
		return []string{err.Error()}
	}
	_, err = chromedp.Run(p.ctx, chromedp.Poll[bool](fmt.Sprintf(`window.convlab.status().frame >= %d`, firstVisitFrames),
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(readyTimeout)))
	if err != nil {
		return append(p.console.errors(), fmt.Sprintf("the page did not run %d frames: %v", firstVisitFrames, err))
	}
	return p.console.errors()
}

// findChromium returns the path of the Chromium binary.
func findChromium() (string, error) {
	if _, err := os.Stat(chromiumPath); err == nil {
		return chromiumPath, nil
	}
	return exec.LookPath("chromium")
}

// buildSite runs `make dist` of the repository at root into dist.
func buildSite(root, dist string) error {
	cmd := exec.Command("make", "-C", root, "dist", "DIST="+dist)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("building the site (make -C %s dist DIST=%s): %w\n%s", root, dist, err, out)
	}
	return nil
}

// startBrowser starts headless Chromium with a fresh profile and returns
// its chromedp context and a func that stops it; extra adds to or
// overrides the options.
func startBrowser(execPath, profile string, extra ...chromedp.ExecAllocatorOption) (context.Context, func(), error) {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(execPath),
		chromedp.Flag("headless", "new"),
		chromedp.NoSandbox,
		chromedp.Flag("enable-unsafe-swiftshader", true),
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// Every tab gets its own window; keep the inactive ones running at
		// full speed so no test waits on a throttled timer.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 780),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(opts, extra...)...)
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	stop := func() {
		cancelBrowser()
		cancelAlloc()
	}
	if err := chromedp.Do(browser); err != nil {
		stop()
		return nil, nil, fmt.Errorf("starting Chromium: %w", err)
	}
	return browser, stop, nil
}
