//go:build !js

package browsertest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"convlab/serve/static"
	"convlab/ui/runner"
	"convlab/wasm/offline"
)

// offlineTimeout bounds the service worker's install: registering it and
// precaching the build, all from the HTTP cache or the local server.
const offlineTimeout = 30 * time.Second

// controlled is true once the page's service worker has installed the
// build (precached it) and controls the page.
const controlled = `window.convlabOffline && window.convlabOffline.state === "registered" && navigator.serviceWorker.controller !== null`

// cacheContents lists the Cache Storage of the page's origin: each cache's
// name, and the path and size of each entry.
const cacheContents = `(async () => {
	const out = {};
	for (const name of await caches.keys()) {
		const cache = await caches.open(name);
		out[name] = {};
		for (const request of await cache.keys()) {
			out[name][new URL(request.url).pathname] = (await (await cache.match(request)).arrayBuffer()).byteLength;
		}
	}
	return out;
})()`

// A page opened once loads and trains without a network: its service
// worker precaches the build, and after the server is gone and the tab
// offline, a reload runs the default run to the end in a worker. Before
// that, a damaged copy in the cache is replaced at the next load instead
// of breaking the page. It logs what the cache holds and how fast the
// offline reload is.
func TestOffline(t *testing.T) {
	dir, build := stampedCopy(t)
	handler, err := static.NewHandler(dir, static.Options{Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(handler) // a site of its own, so a fresh origin
	t.Cleanup(srv.Close)
	p := openPageAt(t, srv.URL+"/", "", desktop)
	p.waitFor(controlled, offlineTimeout)
	if got := evaluate[string](p, `window.convlabOffline.build`); got != build.Key {
		t.Fatalf("the page runs build %q, want %q", got, build.Key)
	}
	checkCached(t, dir, build, evaluate[map[string]map[string]int64](p, cacheContents))

	// What the page fetches on demand is cached once fetched.
	onDemand := []string{"report.wasm", "data/train-images-101to500-idx3-ubyte.gz"}
	for _, name := range onDemand {
		if build.Files[name].Precache {
			t.Fatalf("%s is precached; the first visit must not fetch it", name)
		}
	}
	fetchAndWait := `(async () => {
		const cache = await caches.open("` + build.CacheName("/") + `");
		for (const name of ["` + strings.Join(onDemand, `", "`) + `"]) {
			const response = await fetch(name);
			if (!response.ok) throw new Error(name + ": " + response.status);
			await response.arrayBuffer();
			while (!await cache.match(name)) await new Promise(resolve => setTimeout(resolve, 50));
		}
	})()`
	evaluate[any](p, fetchAndWait)
	checkCached(t, dir, build, evaluate[map[string]map[string]int64](p, cacheContents), onDemand...)

	// A damaged convlab.wasm and test set in the cache are fetched again.
	damage := `(async () => {
		const cache = await caches.open("` + build.CacheName("/") + `");
		for (const name of ["convlab.wasm", "data/test-images-idx3-ubyte.gz"]) {
			await cache.put(name, new Response("not what the build holds"));
		}
	})()`
	evaluate[any](p, damage)
	p.reload(srv.URL + "/")
	checkCached(t, dir, build, evaluate[map[string]map[string]int64](p, cacheContents), onDemand...)

	// The network goes: the server stops, and the tab is offline.
	srv.Close()
	offlineConditions := network.EmulateNetworkConditionsByRuleParams{
		EmulateOfflineServiceWorker: new(true),
		MatchedNetworkConditions:    []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}},
	}
	if _, err := chromedp.Call(p.ctx, network.EmulateNetworkConditionsByRule, offlineConditions); err != nil {
		t.Fatalf("taking the tab offline: %v", err)
	}
	if _, err := chromedp.Call(p.ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		t.Fatalf("taking the tab offline: %v", err)
	}
	start := time.Now()
	p.reload(srv.URL + "/?autostart=1")
	t.Logf("offline reload: ready after %v", time.Since(start).Round(time.Millisecond))
	if online := evaluate[bool](p, `navigator.onLine`); online {
		t.Fatalf("navigator.onLine is true after the tab was taken offline")
	}
	s := p.waitForRunEnd(runTimeout)
	if s.TrainingIn != runner.InWorker {
		t.Errorf("trainingIn %q offline, want %q", s.TrainingIn, runner.InWorker)
	}
	if s.Epoch != s.Config.Epochs || len(s.Epochs) != s.Config.Epochs {
		t.Errorf("the offline run ended after epoch %d of %d", s.Epoch, s.Config.Epochs)
	}
	t.Logf("offline: the default run trained %d epochs in %.1f s, test accuracy %.1f%%",
		s.Epoch, s.ElapsedSeconds, 100*(1-s.Epochs[len(s.Epochs)-1].TestError))
	p.expectNoConsoleErrors()
}

// checkCached fails the test unless the origin's only cache is build's
// and holds every file the service worker precaches, and the files named
// in fetched, each at its size in dir, and none of the build's other
// files; it logs the bytes cached.
func checkCached(t *testing.T, dir string, build offline.Build, cached map[string]map[string]int64, fetched ...string) {
	t.Helper()
	name := build.CacheName("/")
	if len(cached) != 1 || cached[name] == nil {
		t.Fatalf("caches %v, want %s alone", keys(cached), name)
	}
	var total int64
	for file, f := range build.Files {
		got, ok := cached[name]["/"+file]
		if !f.Precache && !slices.Contains(fetched, file) {
			if ok {
				t.Errorf("%s is cached, but the page has not fetched it", file)
			}
			continue
		}
		info, err := os.Stat(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		if !ok || got != info.Size() {
			t.Errorf("%s is cached with %d bytes (present: %v), want %d", file, got, ok, info.Size())
		}
		total += got
	}
	t.Logf("cached for offline use: %d files, %d bytes (%.1f MiB)", len(cached[name]), total, mib(total))
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// reload navigates the tab to url and waits until the page is ready.
func (p *page) reload(url string) {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.Navigate(url)); err != nil {
		p.t.Fatalf("navigating to %s: %v", url, err)
	}
	p.waitAcrossNavigations(`window.convlab !== undefined && window.convlab.ready === true`, readyTimeout)
}

// waitAcrossNavigations is waitFor for a condition that holds only after
// one or more navigations, such as the service worker's reload when a new
// build takes over, which end a poll in the document they leave.
func (p *page) waitAcrossNavigations(cond string, timeout time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		_, err := chromedp.Run(p.ctx, chromedp.Poll[bool](cond,
			chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(time.Until(deadline))))
		if err == nil {
			return
		}
		if time.Now().After(deadline) || p.ctx.Err() != nil {
			p.t.Fatalf("waiting for %s (timeout %v): %v\nconsole:\n%s", cond, timeout, err, p.console.text())
		}
	}
}

// After a new build is served, a reload of the page's only tab runs the
// new build, wholly: every file the page loads has the new build's ETag,
// and the old build's cache is gone. The new build differs from the old
// in its page program, its workers' program and its style sheet.
func TestNewBuildReplacesTheCache(t *testing.T) {
	oldSite, newSite, oldBuild, newBuild := twoBuilds(t)
	var site switchableSite
	site.serve(t, oldSite)
	srv := httptest.NewServer(&site)
	t.Cleanup(srv.Close)
	p := openPageAt(t, srv.URL+"/", "", desktop)
	p.waitFor(controlled, offlineTimeout)
	if got := evaluate[string](p, `window.convlabOffline.build`); got != oldBuild.Key {
		t.Fatalf("the page runs build %q, want %q", got, oldBuild.Key)
	}

	var loaded responses
	loaded.record(t, p.ctx)
	newTags := site.serve(t, newSite)
	start := time.Now()
	p.reload(srv.URL + "/")
	p.waitFor(`window.convlabOffline.build === "`+newBuild.Key+`"`, offlineTimeout)
	t.Logf("the reload ran the new build after %v", time.Since(start).Round(time.Millisecond))
	p.waitFor(controlled, offlineTimeout)

	for _, r := range loaded.all() {
		tag, ok := newTags.get(r.path)
		if !ok {
			continue // not a file of the site
		}
		if r.etag != tag {
			t.Errorf("%s was loaded with ETag %q, want the new build's %q", r.path, r.etag, tag)
		}
	}
	for _, name := range []string{"/", "/convlab.wasm", "/worker.wasm", "/style.css"} {
		if !loaded.has(name) {
			t.Errorf("the reloaded page did not load %s", name)
		}
	}
	checkCached(t, newSite, newBuild, evaluate[map[string]map[string]int64](p, cacheContents))
	p.expectNoConsoleErrors()
}

// twoBuilds copies the built site twice, the second time with another
// page program, workers' program and style sheet, stamps both copies and
// returns their directories and builds.
func twoBuilds(t *testing.T) (oldSite, newSite string, oldBuild, newBuild offline.Build) {
	t.Helper()
	tmp := t.TempDir()
	oldSite, newSite = filepath.Join(tmp, "old"), filepath.Join(tmp, "new")
	copySite(t, needEnv(t).dist, oldSite)
	copySite(t, needEnv(t).dist, newSite)
	for _, name := range []string{"convlab.wasm", "worker.wasm"} {
		appendToFile(t, filepath.Join(newSite, name), customSection("convlab-test", "the new build"))
	}
	appendToFile(t, filepath.Join(newSite, "style.css"), []byte("/* the new build */\n"))
	var err error
	if oldBuild, err = offline.Stamp(oldSite); err != nil {
		t.Fatal(err)
	}
	if newBuild, err = offline.Stamp(newSite); err != nil {
		t.Fatal(err)
	}
	if oldBuild.Key == newBuild.Key {
		t.Fatalf("the two builds have one key, %s", oldBuild.Key)
	}
	return oldSite, newSite, oldBuild, newBuild
}

// While the site is open in another tab, a reload keeps the build it
// runs, whole (the new build waits, and the page says a reload will run
// it); once the other tab is closed, a reload runs the new build.
func TestNewBuildWaitsForOtherTabs(t *testing.T) {
	oldSite, newSite, oldBuild, newBuild := twoBuilds(t)
	var site switchableSite
	site.serve(t, oldSite)
	srv := httptest.NewServer(&site)
	t.Cleanup(srv.Close)
	p := openPageAt(t, srv.URL+"/", "", desktop)
	p.waitFor(controlled, offlineTimeout)

	// Another tab of the site, in the same browser context: the icon is
	// enough to be a window the service worker sees.
	other, closeOther := chromedp.NewContext(p.ctx)
	t.Cleanup(closeOther)
	if _, err := chromedp.Run(other, chromedp.Navigate(srv.URL+"/icon.svg")); err != nil {
		t.Fatalf("opening another tab: %v", err)
	}
	site.serve(t, newSite)
	p.reload(srv.URL + "/")
	p.waitFor(`!document.getElementById("update").hidden`, offlineTimeout)
	if got := evaluate[string](p, `window.convlabOffline.build`); got != oldBuild.Key {
		t.Fatalf("with another tab open, the reload ran build %q, want the old %q", got, oldBuild.Key)
	}
	if names := keys(evaluate[map[string]map[string]int64](p, cacheContents)); !slices.Contains(names, oldBuild.CacheName("/")) {
		t.Fatalf("with another tab open, the old build's cache is gone: %v", names)
	}

	closeOther()
	p.reload(srv.URL + "/")
	p.waitFor(`window.convlabOffline.build === "`+newBuild.Key+`"`, offlineTimeout)
	p.waitFor(controlled, offlineTimeout)
	checkCached(t, newSite, newBuild, evaluate[map[string]map[string]int64](p, cacheContents))
	p.expectNoConsoleErrors()
}

// switchableSite serves one built site, then another, and records the
// ETag it sent for each path of the current one.
type switchableSite struct {
	mu      sync.Mutex
	handler http.Handler
	tags    *etags
}

// serve makes s serve the site in dir from now on and returns the ETags
// it will have sent for it.
func (s *switchableSite) serve(t *testing.T, dir string) *etags {
	t.Helper()
	h, err := static.NewHandler(dir, static.Options{Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	warm(t, h, dir)
	tags := &etags{byPath: map[string]string{}}
	s.mu.Lock()
	s.handler, s.tags = h, tags
	s.mu.Unlock()
	return tags
}

// warm asks h once for each file of the site in dir, gzip-compressed, so
// that h has compressed each (once per file version, seconds for the
// programs) before a browser asks: a site deployed and visited already.
func warm(t *testing.T, h http.Handler, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		r := httptest.NewRequest(http.MethodGet, "/"+filepath.ToSlash(rel), nil)
		r.Header.Set("Accept-Encoding", "gzip")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			return fmt.Errorf("%s: status %d", rel, w.Code)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("warming the server: %v", err)
	}
}

func (s *switchableSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	h, tags := s.handler, s.tags
	s.mu.Unlock()
	h.ServeHTTP(w, r)
	if tag := w.Header().Get("ETag"); tag != "" {
		tags.set(r.URL.Path, tag)
	}
}

// etags maps a site's paths to the ETag last sent for each.
type etags struct {
	mu     sync.Mutex
	byPath map[string]string
}

func (e *etags) set(path, tag string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.byPath[path] = tag
}

func (e *etags) get(path string) (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	tag, ok := e.byPath[path]
	return tag, ok
}

// responses records the responses a tab receives for its current
// document: the document and what it loads, from the network or from the
// service worker.
type responses struct {
	mu   sync.Mutex
	list []response
}

type response struct {
	path string
	etag string
}

// record starts recording the responses of the tab in ctx.
func (rs *responses) record(t *testing.T, ctx context.Context) {
	t.Helper()
	err := chromedp.Listen(ctx, func(ev any) {
		e, ok := ev.(*network.EventResponseReceived)
		if !ok {
			return
		}
		var r response
		if i := strings.Index(e.Response.URL, "://"); i >= 0 {
			rest := e.Response.URL[i+3:]
			if j := strings.IndexByte(rest, '/'); j >= 0 {
				r.path, _, _ = strings.Cut(rest[j:], "?")
			}
		}
		for k, v := range e.Response.Headers {
			if strings.EqualFold(k, "ETag") {
				r.etag = fmt.Sprint(v)
			}
		}
		rs.mu.Lock()
		defer rs.mu.Unlock()
		if e.Type == network.ResourceTypeDocument {
			rs.list = nil // a new document: what the old one loaded is no longer its
		}
		rs.list = append(rs.list, r)
	})
	if err != nil {
		t.Fatalf("recording the tab's responses: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("recording the tab's responses: %v", err)
	}
}

func (rs *responses) all() []response {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return append([]response(nil), rs.list...)
}

func (rs *responses) has(path string) bool {
	for _, r := range rs.all() {
		if r.path == path {
			return true
		}
	}
	return false
}

// Without service workers the page loads and trains as it always did,
// and says nothing alarming: no console error, nothing on the page.
func TestWithoutServiceWorkers(t *testing.T) {
	hide := newDocumentScript(`delete Navigator.prototype.serviceWorker;`)
	p := openPage(t, "epochs=1&perclass=10&autostart=1", desktop, hide)
	p.waitForRunEnd(runTimeout)
	if state := evaluate[string](p, `window.convlabOffline.state`); state != "unavailable" {
		t.Errorf("window.convlabOffline.state %q without service workers, want unavailable", state)
	}
	if shown := evaluate[bool](p, `!document.getElementById("update").hidden`); shown {
		t.Errorf("the page shows its update note")
	}
	p.expectNoConsoleErrors()
}

// The page can be installed as an app: Chromium finds nothing missing.
// Incognito windows install nothing, so the tab is not in a browser
// context of its own, as other tests' are, but its site is: a server of
// its own is an origin of its own.
func TestInstallable(t *testing.T) {
	e := needEnv(t)
	handler, err := static.NewHandler(e.dist, static.Options{Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	ctx, cancel := chromedp.NewContext(e.browser)
	t.Cleanup(cancel)
	p := &page{t: t, ctx: ctx, console: &consoleLog{}}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(desktop.width, desktop.height)); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	go p.console.collect(ctx)
	p.reload(srv.URL + "/")
	p.waitFor(controlled, offlineTimeout)
	res, err := chromedp.Call(p.ctx, cdppage.GetInstallabilityErrors, cdp.Empty{})
	if err != nil {
		t.Fatalf("asking Chromium whether the page is installable: %v", err)
	}
	for _, why := range res.InstallabilityErrors {
		var args []string
		for _, a := range why.ErrorArguments {
			args = append(args, a.Name+"="+a.Value)
		}
		t.Errorf("not installable: %s %v", why.ErrorID, args)
	}
	p.expectNoConsoleErrors()
}

// stampedCopy copies the built site into a new directory and stamps it
// again, which gives the same build, described.
func stampedCopy(t *testing.T) (string, offline.Build) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	copySite(t, needEnv(t).dist, dir)
	b, err := offline.Stamp(dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir, b
}

// copySite copies the built site in from to a new directory to.
func copySite(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatalf("copying the site: %v", err)
	}
}

func appendToFile(t *testing.T, path string, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// customSection is a WebAssembly custom section (id 0) named name holding
// payload: appended to a module, it changes the file and nothing the
// module does.
func customSection(name, payload string) []byte {
	var content bytes.Buffer
	content.Write(uleb128(len(name)))
	content.WriteString(name)
	content.WriteString(payload)
	section := []byte{0}
	section = append(section, uleb128(content.Len())...)
	return append(section, content.Bytes()...)
}

// uleb128 encodes n as WebAssembly's unsigned LEB128.
func uleb128(n int) []byte {
	var out []byte
	for {
		b := byte(n & 0x7f)
		n >>= 7
		if n == 0 {
			return append(out, b)
		}
		out = append(out, b|0x80)
	}
}
