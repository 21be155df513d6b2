//go:build !js

package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/systeminfo"
	"github.com/chromedp/chromedp"
)

// stallWarning is what Chromium's GPU process logs when a WebGL context's
// pixels are read back synchronously.
const stallWarning = "GPU stall due to ReadPixels"

// readPixelsWatch is a script for newDocumentScript that counts the page's own
// calls of readPixels, on any WebGL context, in window.convlabReadPixels.
const readPixelsWatch = `(() => {
  window.convlabReadPixels = 0;
  for (const C of [WebGLRenderingContext, WebGL2RenderingContext]) {
    const read = C.prototype.readPixels;
    C.prototype.readPixels = function (...args) { window.convlabReadPixels++; return read.apply(this, args); };
  }
})();`

// plainWebGL is a page that only clears a WebGL 2 canvas, in another
// colour each frame, and counts its frames in window.frames.
const plainWebGL = `<!DOCTYPE html>
<canvas width="1280" height="720"></canvas>
<script>
const gl = document.querySelector("canvas").getContext("webgl2");
window.frames = 0;
function frame() {
  window.frames++;
  gl.clearColor((window.frames % 60) / 60, 0.5, 0.5, 1);
  gl.clear(gl.COLOR_BUFFER_BIT);
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);
</script>`

// readPixelsFrames is how many frames TestReadPixels watches each page.
const readPixelsFrames = 60

// TestReadPixels shows where the warning "GPU stall due to ReadPixels"
// (issue 12) comes from. Headless Chromium composites in software, and
// then reads every frame a WebGL canvas presents back from the GPU; its
// GPU process logs the warning for the first four. The dashboard never
// calls readPixels itself (a wrapped readPixels counts its calls), and a
// page that only clears a WebGL canvas each frame draws the same
// warnings: the test requires both. Each page runs in a browser of its
// own, since a GPU process logs the warning four times only.
func TestReadPixels(t *testing.T) {
	e := needEnv(t)

	ours, log := startLoggedBrowser(t)
	p, closeTab, err := load(ours, e.baseURL, desktop, newDocumentScript(readPixelsWatch))
	t.Cleanup(closeTab)
	if err != nil {
		t.Fatal(err)
	}
	p.t = t
	p.waitFrames(readPixelsFrames)
	if n := evaluate[int](p, `window.convlabReadPixels`); n != 0 {
		t.Errorf("the dashboard called readPixels %d times in its first frames, want none", n)
	}
	dashboard := log.count(stallWarning)

	plain, plainLog := startLoggedBrowser(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte(plainWebGL))
	}))
	defer srv.Close()
	tab, cancel := chromedp.NewContext(plain)
	defer cancel()
	if err := chromedp.Do(tab, chromedp.EmulateViewport(desktop.width, desktop.height), chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	q := &page{t: t, ctx: tab, console: &consoleLog{}}
	q.waitUntil(fmt.Sprintf(`window.frames >= %d`, readPixelsFrames), evalTimeout)
	plainCount := plainLog.count(stallWarning)

	compositing := "unknown"
	if info, err := chromedp.CallBrowser(ours, systeminfo.GetInfo, cdp.Empty{}); err == nil {
		var status struct {
			Compositing string `json:"gpu_compositing"`
		}
		if json.Unmarshal(info.GPU.FeatureStatus, &status) == nil {
			compositing = status.Compositing
		}
	}
	t.Logf("%q logged by Chromium: %d times for the dashboard, %d times for a page that only clears a WebGL canvas; GPU compositing: %s",
		stallWarning, dashboard, plainCount, compositing)
	if dashboard > 0 && plainCount == 0 {
		t.Errorf("the dashboard's page made Chromium log %q, a plain WebGL page did not: the read-back is not Chromium's own", stallWarning)
	}
}

// startLoggedBrowser starts a browser of its own for the test, with a
// fresh profile, and returns it and its log (what it writes to stdout
// and stderr). It is stopped when the test ends.
func startLoggedBrowser(t *testing.T) (context.Context, *browserLog) {
	t.Helper()
	log := &browserLog{}
	browser, stop, err := startBrowser(chromiumPath, filepath.Join(t.TempDir(), "profile"), chromedp.CombinedOutput(log))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return browser, log
}

// browserLog keeps what a browser writes.
type browserLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *browserLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// count returns how many lines so far contain s.
func (l *browserLog) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.buf.String(), s)
}
