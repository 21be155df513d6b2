//go:build !js

package browsertest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"convlab/ui/api"
)

// Timeouts. Headless Chromium renders WebGL in software (SwiftShader), so the
// page is slow; these bound a hung page, they do not measure it.
const (
	readyTimeout = 90 * time.Second // navigation until window.convlab.ready
	evalTimeout  = 60 * time.Second // one JavaScript evaluation
)

// viewport is the size of a tab's window in CSS pixels and its device scale.
type viewport struct {
	width, height int64
	scale         float64
}

// desktop is the viewport the tests use unless they say otherwise.
var desktop = viewport{1280, 780, 1} // the design size: one CSS pixel per logical unit

// page is one browser tab showing the ConvLab page.
type page struct {
	t       testing.TB
	ctx     context.Context
	console *consoleLog

	// readyAfter is the time from the start of navigation until
	// window.convlab.ready was true.
	readyAfter time.Duration

	briskSession string // the session briskMouse sends through, once it has one
	briskSent    int    // the messages sent through it
}

// openPage opens a new tab of the shared browser at the site with the given
// URL query (without "?"), and waits until window.convlab.ready is true. The
// tab has a browser context of its own, with an empty cache and storage, so
// no test depends on what an earlier one loaded. It is closed when the test
// ends. The prepare actions run in the tab before it navigates.
func openPage(t testing.TB, query string, vp viewport, prepare ...chromedp.Action[chromedp.Void]) *page {
	t.Helper()
	return openPageAt(t, needEnv(t).baseURL, query, vp, prepare...)
}

// openPageAt is openPage for the site served at base (ending in "/").
func openPageAt(t testing.TB, base, query string, vp viewport, prepare ...chromedp.Action[chromedp.Void]) *page {
	t.Helper()
	e := needEnv(t)
	url := base
	if query != "" {
		url += "?" + query
	}
	p, closeTab, err := load(e.browser, url, vp, prepare...)
	t.Cleanup(closeTab)
	if err != nil {
		t.Fatal(err)
	}
	p.t = t
	return p
}

// load opens url in a new tab of browser, in a browser context of its own,
// and waits until window.convlab.ready is true. The returned func closes
// the tab; it must be called even when load fails. The prepare actions run
// in the tab before it navigates.
func load(browser context.Context, url string, vp viewport, prepare ...chromedp.Action[chromedp.Void]) (*page, func(), error) {
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	p := &page{ctx: ctx, console: &consoleLog{}}

	// The first action creates the tab; listen to its console only after
	// that, so that the listener cannot start a browser of its own.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.width, vp.height, chromedp.EmulateScale(vp.scale))); err != nil {
		return nil, cancel, fmt.Errorf("opening a tab: %w", err)
	}
	go p.console.collect(ctx)
	if err := chromedp.Do(ctx, prepare...); err != nil {
		return nil, cancel, fmt.Errorf("preparing the tab: %w", err)
	}

	start := time.Now()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return nil, cancel, fmt.Errorf("navigating to %s: %w", url, err)
	}
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`window.convlab !== undefined && window.convlab.ready === true`,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(readyTimeout)))
	if err != nil {
		return nil, cancel, fmt.Errorf("window.convlab.ready did not become true within %v at %s: %w\nconsole:\n%s",
			readyTimeout, url, err, p.console.text())
	}
	p.readyAfter = time.Since(start)
	return p, cancel, nil
}

// consoleLog records the console messages and uncaught exceptions of a tab.
type consoleLog struct {
	mu       sync.Mutex
	messages []chromedp.ConsoleMessage
}

// collect records the console messages of the tab of ctx until it closes.
func (c *consoleLog) collect(ctx context.Context) {
	for m, err := range chromedp.Console(ctx) {
		if err != nil {
			return
		}
		c.mu.Lock()
		c.messages = append(c.messages, m)
		c.mu.Unlock()
	}
}

// errors returns the error-level messages and uncaught exceptions seen so
// far.
func (c *consoleLog) errors() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []string
	for _, m := range c.messages {
		if m.Type == chromedp.ConsoleError || m.IsException() {
			errs = append(errs, describe(m))
		}
	}
	return errs
}

// text returns every message seen so far, one a line.
func (c *consoleLog) text() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var b strings.Builder
	for _, m := range c.messages {
		b.WriteString(describe(m) + "\n")
	}
	return b.String()
}

// describe formats a console message with where it came from.
func describe(m chromedp.ConsoleMessage) string {
	s := m.String()
	if m.URL != "" {
		s += " (" + m.URL + ")"
	}
	return s
}

// expectNoConsoleErrors fails the test if the page logged an error or threw
// an uncaught exception.
func (p *page) expectNoConsoleErrors() {
	p.t.Helper()
	if errs := p.console.errors(); len(errs) > 0 {
		p.t.Errorf("%d console error(s):\n  %s", len(errs), strings.Join(errs, "\n  "))
	}
}

// evaluate evaluates a JavaScript expression in the page, awaiting it if it
// is a promise, and decodes its value into T. It fails the test on error.
func evaluate[T any](p *page, expr string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, evalTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("evaluating %s: %v\nconsole:\n%s", abbreviate(expr), err, p.console.text())
	}
	return v
}

// abbreviate shortens a long script for an error message.
func abbreviate(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}

// status returns window.convlab.status().
func (p *page) status() api.Status {
	p.t.Helper()
	return evaluate[api.Status](p, `window.convlab.status()`)
}

// waitFor polls a JavaScript condition until it is true, failing the test
// after timeout.
func (p *page) waitFor(cond string, timeout time.Duration) {
	p.t.Helper()
	_, err := chromedp.Run(p.ctx, chromedp.Poll[bool](cond,
		chromedp.WithPollingInterval(200*time.Millisecond), chromedp.WithPollingTimeout(timeout)))
	if err != nil {
		p.t.Fatalf("waiting for %s (timeout %v): %v\nconsole:\n%s", cond, timeout, err, p.console.text())
	}
}

// waitForRunEnd waits until training has finished or failed, and fails the
// test unless it finished.
func (p *page) waitForRunEnd(timeout time.Duration) api.Status {
	p.t.Helper()
	p.waitFor(`["finished", "failed"].includes(window.convlab.status().state)`, timeout)
	s := p.status()
	if s.State != "finished" {
		p.t.Fatalf("training ended in state %q (error %q), want finished", s.State, s.Error)
	}
	return s
}

// waitUntil waits until the JavaScript condition cond is true, checking
// it in the page at every animation frame, and fails the test after
// timeout. It suits conditions that hold within a few frames, such as the
// page having seen an input; waitFor suits long waits.
func (p *page) waitUntil(cond string, timeout time.Duration) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, timeout)
	defer cancel()
	script := `new Promise(resolve => {
		const check = () => (` + cond + `) ? resolve(true) : requestAnimationFrame(check);
		check();
	})`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](script, chromedp.EvalAwaitPromise)); err != nil {
		p.t.Fatalf("waiting for %s (timeout %v): %v\nconsole:\n%s", cond, timeout, err, p.console.text())
	}
}

// waitFrames waits until the dashboard has run n more frames (Updates)
// than it had when called: enough for it to have seen the input sent
// before, which ebiten samples once per Update, when n ≥ 2 (the Update
// running while the input arrived may have sampled it already).
func (p *page) waitFrames(n int) {
	p.t.Helper()
	from := evaluate[int](p, `window.convlab.status().frame`)
	p.waitUntil(fmt.Sprintf(`window.convlab.status().frame >= %d`, from+n), evalTimeout)
}

// mouse sends one real mouse event (through Chromium's input pipeline) at
// viewport coordinates x, y with the left button.
func (p *page) mouse(typ input.DispatchMouseEventType, x, y float64) {
	p.t.Helper()
	params := input.DispatchMouseEventParams{Type: typ, X: x, Y: y, Button: input.MouseButtonLeft, Buttons: 1}
	switch typ {
	case input.DispatchMouseEventTypeMousePressed:
		params.ClickCount = 1
	case input.DispatchMouseEventTypeMouseReleased:
		params.ClickCount = 1
		params.Buttons = 0
	}
	ctx, cancel := context.WithTimeout(p.ctx, evalTimeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, input.DispatchMouseEvent, params); err != nil {
		p.t.Fatalf("mouse %s at (%.1f, %.1f): %v", typ, x, y, err)
	}
}

// canvasOrigin returns the viewport position of the page's canvas, the
// origin of status().layout.
func (p *page) canvasOrigin() (x, y float64) {
	p.t.Helper()
	r := evaluate[api.Rect](p, `(() => {
		const r = document.querySelector("canvas").getBoundingClientRect();
		return {x: r.left, y: r.top, w: r.width, h: r.height};
	})()`)
	return r.X, r.Y
}
