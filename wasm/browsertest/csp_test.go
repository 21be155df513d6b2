//go:build !js

package browsertest

import (
	"strings"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"convlab/serve/static"
)

// recordViolations runs in the tab's documents before any script of the
// page and keeps every Content-Security-Policy violation the page reports.
const recordViolations = `window.cspViolations = [];
document.addEventListener("securitypolicyviolation", e => window.cspViolations.push(
	e.effectiveDirective + " blocked " + (e.blockedURI || "?") + " (" + e.sourceFile + ":" + e.lineNumber + ")"));`

// TestContentSecurityPolicy loads the page with the headers the serve
// handler sends, uses it (loads, trains a mini-batch, classifies, saves the
// model), and checks that its Content-Security-Policy blocked nothing. Then
// it checks that the policy is in force and no wider than the page needs:
// inline script, eval and a blob: worker are refused, a worker from a
// script file of the page's origin is allowed.
func TestContentSecurityPolicy(t *testing.T) {
	e := needEnv(t)
	ctx, cancel := chromedp.NewContext(e.browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	p := &page{t: t, ctx: ctx, console: &consoleLog{}}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(desktop.width, desktop.height)); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	params := cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: recordViolations}
	if _, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, params); err != nil {
		t.Fatalf("adding the violation recorder: %v", err)
	}
	// Subscribe before navigating, so that nothing the page logs is missed.
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			p.console.mu.Lock()
			p.console.messages = append(p.console.messages, m)
			p.console.mu.Unlock()
		}
	}()
	if err := chromedp.Do(ctx, chromedp.Navigate(e.baseURL)); err != nil {
		t.Fatalf("navigating to %s: %v", e.baseURL, err)
	}
	p.waitFor(`window.convlab !== undefined && window.convlab.ready === true`, readyTimeout)

	headers := evaluate[[]string](p, `fetch(location.href).then(r =>
		[r.headers.get("Content-Security-Policy"), r.headers.get("Referrer-Policy")])`)
	if headers[0] != static.ContentSecurityPolicy || headers[1] != "no-referrer" {
		t.Fatalf("the page is served with Content-Security-Policy %q and Referrer-Policy %q; want %q and no-referrer",
			headers[0], headers[1], static.ContentSecurityPolicy)
	}

	if r := evaluate[map[string]any](p, `window.convlab.step()`); r["ok"] != true {
		t.Fatalf("step() = %v", r)
	}
	p.waitFor(`window.convlab.status().imagesTrained > 0`, time.Minute)
	if probs := evaluate[[]float64](p, `window.convlab.classify(new Array(784).fill(0))`); len(probs) != 10 {
		t.Errorf("classify gave %v, want 10 probabilities", probs)
	}
	if n := evaluate[int](p, `window.convlab.model().length`); n == 0 {
		t.Errorf("model() is empty")
	}
	p.waitFrames(2)
	if v := evaluate[[]string](p, `window.cspViolations`); len(v) > 0 {
		t.Errorf("the policy blocked what the page needs:\n  %s", strings.Join(v, "\n  "))
	}
	p.expectNoConsoleErrors()

	// The policy is in force, and no wider than it needs to be. Each
	// script settles on the first sign: the violation the policy reports, or
	// the code running. DevTools' own evaluation may eval, so eval is tried
	// from a timer callback; a worker made from loader.js runs until it
	// touches the document, which workers lack.
	checks := []struct{ what, script, want string }{
		{"inline script", `new Promise(resolve => {
			document.addEventListener("securitypolicyviolation", e => resolve(e.effectiveDirective), {once: true});
			const s = document.createElement("script");
			s.textContent = "window.inlineRan = true";
			document.head.appendChild(s);
		}).then(directive => window.inlineRan ? "ran" : directive)`, "script-src-elem"},
		{"eval", `new Promise(resolve => setTimeout(() => {
			try { eval("1"); resolve("ran"); } catch (e) { resolve(e.name); }
		}))`, "EvalError"},
		{"a worker from a blob: URL", `new Promise(resolve => {
			document.addEventListener("securitypolicyviolation", e => resolve(e.effectiveDirective), {once: true});
			const w = new Worker(URL.createObjectURL(new Blob(["postMessage(1)"], {type: "text/javascript"})));
			w.onmessage = () => resolve("ran");
		})`, "worker-src"},
		{"a worker from a script file of the page's origin", `new Promise(resolve => {
			document.addEventListener("securitypolicyviolation", e => resolve(e.effectiveDirective), {once: true});
			const w = new Worker("loader.js");
			w.onerror = e => resolve(/document/.test(e.message) ? "ran" : "failed: " + e.message);
		})`, "ran"},
	}
	for _, c := range checks {
		if got := evaluate[string](p, c.script); got != c.want {
			t.Errorf("%s: %q, want %q", c.what, got, c.want)
		}
	}
}
