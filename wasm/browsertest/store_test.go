//go:build !js

package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"convlab/nn"
	"convlab/serve/static"
	"convlab/ui/record"
	"convlab/ui/runner"
	"convlab/ui/settings"
)

// storeSite builds the store's test program (wasm/store/storetest) and
// serves it, with its page, the site's wasm_exec.js and kernels.js, and
// the files of extra (name → content); it returns the site's URL, ending
// in "/".
func storeSite(t *testing.T, extra map[string][]byte) string {
	t.Helper()
	e := needEnv(t)
	dir := t.TempDir()
	build := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(dir, "storetest.wasm"), "./wasm/store/storetest")
	build.Dir = e.root
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building wasm/store/storetest: %v\n%s", err, out)
	}
	files := map[string]string{
		"index.html":   filepath.Join(e.root, "wasm", "store", "storetest", "index.html"),
		"storetest.js": filepath.Join(e.root, "wasm", "store", "storetest", "storetest.js"),
		"wasm_exec.js": filepath.Join(e.dist, "wasm_exec.js"),
		"kernels.js":   filepath.Join(e.dist, "kernels.js"),
	}
	for to, from := range files {
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		extra[to] = b
	}
	for name, b := range extra {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	handler, err := static.NewHandler(dir, static.Options{Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// storeTab opens url in a new tab: in a browser context of its own, with
// empty storage, when parent is nil, else in parent's (a store tab's): the
// same site's storage, as a second tab of one visitor. It waits until
// window.storeTest is there.
func storeTab(t *testing.T, parent context.Context, url string, prepare ...chromedp.Action[chromedp.Void]) *page {
	t.Helper()
	opt := chromedp.WithNewBrowserContext()
	if parent != nil {
		opt = chromedp.WithExistingBrowserContext(chromedp.FromContext(parent).BrowserContextID)
	}
	ctx, cancel := chromedp.NewContext(needEnv(t).browser, opt)
	t.Cleanup(cancel)
	p := &page{t: t, ctx: ctx, console: &consoleLog{}}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	go p.console.collect(ctx)
	if err := chromedp.Do(ctx, prepare...); err != nil {
		t.Fatalf("preparing the tab: %v", err)
	}
	p.navigateStore(url)
	return p
}

// navigateStore (re)loads the store test page and waits for it to run.
func (p *page) navigateStore(url string) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.Navigate(url)); err != nil {
		p.t.Fatalf("opening the store test page: %v", err)
	}
	p.waitFor(`window.storeTest !== undefined`, readyTimeout)
}

// storeReply is what window.storeTest's methods answer.
type storeReply struct {
	Error, Kind, Notice string
	Written, Deleted    int
	Bytes               int64
	Dropped             []string
	Superseded          bool
	Encoded             int
	Hashes              map[string]string
	MS                  float64
	Selected            int
	Settings            string
	Runs                []storedRun
}

type storedRun struct {
	Key      string
	Revision uint64
	Bytes    int
	Hash     string
}

// storeCall calls window.storeTest's method with the JSON of arg (if any).
func storeCall(p *page, method string, arg any) storeReply {
	p.t.Helper()
	expr := fmt.Sprintf("window.storeTest.%s()", method)
	if arg != nil {
		b, err := json.Marshal(arg)
		if err != nil {
			p.t.Fatal(err)
		}
		q, _ := json.Marshal(string(b))
		expr = fmt.Sprintf("window.storeTest.%s(%s)", method, q)
	}
	return evaluate[storeReply](p, expr)
}

// mustStore is storeCall failing the test on an error answer.
func mustStore(p *page, method string, arg any) storeReply {
	p.t.Helper()
	r := storeCall(p, method, arg)
	if r.Error != "" {
		p.t.Fatalf("storeTest.%s: %s (%s)", method, r.Error, r.Kind)
	}
	return r
}

type specRun struct {
	Key      string
	Revision uint64
	Size     int    `json:",omitempty"`
	Source   string `json:",omitempty"`
}

type spec struct {
	Selected int
	Settings string
	Hashes   bool
	Lazy     bool
	Runs     []specRun
}

// The store keeps a snapshot across a reload: the same runs, in order,
// with the same revisions and bytes; a later save encodes and writes only
// the run that changed and deletes the one removed. A second tab of the site is
// refused (ErrOtherTab) and leaves the first tab's experiment intact; once
// the first tab is gone, the second gets it.
func TestStoreKeepsTheExperimentAndOneTabOwnsIt(t *testing.T) {
	url := storeSite(t, map[string][]byte{})
	first := storeTab(t, nil, url)
	mustStore(first, "open", nil)
	if got := mustStore(first, "load", nil); len(got.Runs) != 0 {
		t.Fatalf("a fresh store loads %d runs", len(got.Runs))
	}
	s := spec{Selected: 1, Settings: "opt=sgd", Hashes: true, Runs: []specRun{{"a", 1, 300_000, ""}, {"b", 1, 200_000, ""}, {"c", 1, 1, ""}}}
	saved := mustStore(first, "save", s)
	if saved.Written != 3 || saved.Deleted != 0 || saved.Bytes != 500_001 {
		t.Fatalf("first save: %+v", saved)
	}
	s = spec{Selected: 0, Settings: "opt=rmsprop", Hashes: true, Lazy: true, Runs: []specRun{{"b", 2, 250_000, ""}, {"c", 1, 1, ""}}}
	saved = mustStore(first, "save", s)
	if saved.Written != 1 || saved.Deleted != 1 || saved.Bytes != 250_001 || saved.Encoded != 1 {
		t.Fatalf("second save (b changed, a removed): %+v", saved)
	}
	want := storeReply{Selected: 0, Settings: "opt=rmsprop", Runs: []storedRun{
		{"b", 2, 250_000, saved.Hashes["b"]}, {"c", 1, 1, saved.Hashes["c"]}}}
	check := func(p *page, when string) {
		t.Helper()
		got := mustStore(p, "load", nil)
		if got.Selected != want.Selected || got.Settings != want.Settings || !reflect.DeepEqual(got.Runs, want.Runs) {
			t.Fatalf("%s: loaded %+v\nwant %+v", when, got, want)
		}
	}
	check(first, "before the reload")

	first.navigateStore(url) // the reload: a new page, which must take the lock again
	mustStore(first, "open", nil)
	check(first, "after the reload")

	second := storeTab(t, first.ctx, url)
	refused := storeCall(second, "open", nil)
	if refused.Kind != "othertab" || refused.Notice == "" {
		t.Fatalf("a second tab opened the store: %+v", refused)
	}
	t.Logf("the second tab's notice: %s", refused.Notice)
	if r := storeCall(second, "save", s); r.Error == "" {
		t.Fatal("the refused tab saved")
	}
	check(first, "after the second tab tried")

	// Saving again in the first tab still works, and the second tab
	// gets the experiment once the first has gone to another page.
	mustStore(first, "save", s)
	first.expectNoConsoleErrors()
	if err := chromedp.Do(first.ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	second.waitForStoreOpen()
	check(second, "in the second tab, after the first went away")
	mustStore(second, "clear", nil)
	if got := mustStore(second, "load", nil); len(got.Runs) != 0 || got.Settings != "" {
		t.Errorf("after clear: %+v", got)
	}
	second.expectNoConsoleErrors()
}

// waitForStoreOpen opens the store, polling every 200 ms while another
// tab still holds it (a page that went away releases its lock
// asynchronously; without Web Locks its claim holds until stale).
func (p *page) waitForStoreOpen() {
	p.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		r := storeCall(p, "open", nil)
		if r.Error == "" {
			return
		}
		if r.Kind != "othertab" || time.Now().After(deadline) {
			p.t.Fatalf("open: %s (%s)", r.Error, r.Kind)
		}
		time.Sleep(200 * time.Millisecond) // the polling interval

	}
}

// Without IndexedDB, Open says so (ErrUnavailable) and the notice tells
// the user that a reload starts afresh.
func TestStoreWithoutIndexedDB(t *testing.T) {
	url := storeSite(t, map[string][]byte{})
	p := storeTab(t, nil, url, newDocumentScript(`delete window.indexedDB;`))
	if got := evaluate[string](p, `typeof window.indexedDB`); got != "undefined" {
		t.Fatalf("window.indexedDB is still there (%s)", got)
	}
	r := storeCall(p, "open", nil)
	if r.Kind != "unavailable" || r.Notice == "" {
		t.Fatalf("open: %+v, want unavailable", r)
	}
	t.Logf("notice: %s", r.Notice)
	p.expectNoConsoleErrors()
}

// Without Web Locks (as over plain http from another machine), the first
// tab owns the experiment by its claim, which its reload keeps; a second
// tab is refused while the first is there and leaves its experiment
// intact, and takes it over once the first has gone and its claim is
// stale.
func TestStoreWithoutWebLocks(t *testing.T) {
	url := storeSite(t, map[string][]byte{})
	noLocks := newDocumentScript(`delete Navigator.prototype.locks;`)
	first := storeTab(t, nil, url, noLocks)
	if got := evaluate[string](first, `typeof navigator.locks`); got != "undefined" {
		t.Fatalf("navigator.locks is still there (%s)", got)
	}
	mustStore(first, "open", nil)
	s := spec{Selected: 0, Settings: "opt=sgd", Hashes: true, Runs: []specRun{{"a", 1, 100_000, ""}}}
	saved := mustStore(first, "save", s)
	first.navigateStore(url) // a reload keeps the tab's claim: the store opens at once
	mustStore(first, "open", nil)
	second := storeTab(t, first.ctx, url, noLocks)
	if r := storeCall(second, "open", nil); r.Kind != "othertab" {
		t.Fatalf("a second tab opened the store while the first owns it: %+v", r)
	}
	want := []storedRun{{"a", 1, 100_000, saved.Hashes["a"]}}
	if got := mustStore(first, "load", nil); !reflect.DeepEqual(got.Runs, want) {
		t.Fatalf("after the second tab tried: %+v", got.Runs)
	}
	mustStore(first, "save", s) // the first tab still writes
	first.expectNoConsoleErrors()
	if err := chromedp.Do(first.ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	second.waitForStoreOpen()
	if got := mustStore(second, "load", nil); !reflect.DeepEqual(got.Runs, want) {
		t.Fatalf("in the second tab, after the takeover: %+v", got.Runs)
	}
	second.expectNoConsoleErrors()
}

// With the site's quota made small, a save over it leaves out the oldest
// runs, keeps the selected one, and writes; one whose selected run cannot
// fit even so is ErrQuota and leaves the stored experiment as it was.
func TestStoreQuota(t *testing.T) {
	url := storeSite(t, map[string][]byte{})
	p := storeTab(t, nil, url)
	quota := float64(10 << 20)
	if _, err := chromedp.Call(p.ctx, storage.OverrideQuotaForOrigin,
		storage.OverrideQuotaForOriginParams{Origin: url[:len(url)-1], QuotaSize: &quota}); err != nil {
		t.Fatalf("setting the quota: %v", err)
	}
	mustStore(p, "open", nil)
	const mb = 3 << 20 // 3 MiB
	mustStore(p, "save", spec{Selected: 1, Runs: []specRun{{"a", 1, mb, ""}, {"b", 1, mb, ""}}})
	r := mustStore(p, "save", spec{Selected: 3, Runs: []specRun{{"a", 1, mb, ""}, {"b", 1, mb, ""}, {"c", 1, mb, ""}, {"d", 1, mb, ""}}})
	if !reflect.DeepEqual(r.Dropped, []string{"a", "b"}) || r.Bytes != 2*mb {
		t.Fatalf("a save over the quota: %+v, want a and b dropped", r)
	}
	got := mustStore(p, "load", nil)
	if len(got.Runs) != 2 || got.Runs[0].Key != "c" || got.Runs[1].Key != "d" || got.Selected != 1 {
		t.Fatalf("after the quota retry: %+v", got)
	}
	big := storeCall(p, "save", spec{Selected: 2, Runs: []specRun{{"c", 1, mb, ""}, {"d", 1, mb, ""}, {"e", 1, 3 * mb, ""}}})
	if big.Kind != "quota" {
		t.Fatalf("a run larger than the quota: %+v, want quota", big)
	}
	t.Logf("notice: %s", big.Notice)
	if again := mustStore(p, "load", nil); !reflect.DeepEqual(again.Runs, got.Runs) {
		t.Errorf("the failed save changed what is stored: %+v", again)
	}
}

// defaultRunRecord trains the homework's default run (15 epochs, 100
// training images a digit) natively and records it as the dashboard
// keeps it: every epoch's metrics and weights, the resume state, and the
// t-SNE features of the first and the last epoch; it returns the run's
// record (record.EncodeRun).
func defaultRunRecord(t *testing.T) []byte {
	t.Helper()
	lib, err := runner.LoadLibrary()
	if err != nil {
		t.Fatal(err)
	}
	s := settings.Defaults()
	train, test, err := lib.Sets(s)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := nn.NewTrainer(nn.NewHomework(s.Seed), train, test, s.TrainerConfig())
	if err != nil {
		t.Fatal(err)
	}
	indices := runner.MapSubset(test.Labels, runner.MaxMapPoints)
	r := record.Run{Settings: s, State: runner.Finished}
	for tr.Phase() != nn.PhaseFinished {
		u, err := tr.Work()
		if err != nil {
			t.Fatal(err)
		}
		if u.EpochDone == nil {
			continue
		}
		cp, err := tr.Checkpoint()
		if err != nil {
			t.Fatal(err)
		}
		r.Epochs = append(r.Epochs, record.Epoch{Metrics: *u.EpochDone, Weights: cp.Weights})
		r.Resume = runner.Resume{OptimizerState: cp.OptimizerState, Shuffle: cp.Shuffle, Order: cp.Order}
		if e := u.EpochDone.Epoch; e == 1 || e == s.Epochs {
			m := record.Map{Epoch: e, Indices: indices}
			for _, i := range indices {
				f, err := tr.Network().Bottleneck(test.Image(i), 1)
				if err != nil {
					t.Fatal(err)
				}
				m.Features = append(m.Features, f...)
			}
			r.Maps = append(r.Maps, m)
		}
	}
	text := record.EncodeRun(r)
	if _, err := record.DecodeRun(text); err != nil {
		t.Fatalf("the recorded run does not decode: %v", err)
	}
	return text
}

// TestStoreFigures measures what the store costs with real records: the
// bytes of the homework's default run (15 epochs) and the time to write a
// 6-run experiment of such runs, to rewrite one of them (an epoch's end),
// and to read all six back after a reload. A figure, not a judgement:
// run it with -figures.
func TestStoreFigures(t *testing.T) {
	if !*figures {
		t.Skip("figures: run with -figures")
	}
	run := defaultRunRecord(t)
	t.Logf("record of the default run (15 epochs, 1,000 training images, Momentum): %d bytes (%.2f MB)", len(run), float64(len(run))/1e6)
	url := storeSite(t, map[string][]byte{"run.json": run})
	p := storeTab(t, nil, url)
	mustStore(p, "open", nil)
	s := spec{Selected: 5, Settings: "opt=momentum"}
	for i := range 6 {
		s.Runs = append(s.Runs, specRun{Key: fmt.Sprint("run", i), Revision: 1, Source: "run.json"})
	}
	mustStore(p, "save", spec{Runs: s.Runs[:1]}) // fetches run.json into the page, outside the timings
	mustStore(p, "clear", nil)
	const rounds = 5
	var write, rewrite, read, blockWrite, blockRewrite []float64
	for range rounds {
		mustStore(p, "clear", nil)
		for i := range s.Runs {
			s.Runs[i].Revision = 1
		}
		evaluate[float64](p, `window.storeLongest()`)
		w := mustStore(p, "save", s)
		if w.Written != 6 {
			t.Fatalf("saved %+v", w)
		}
		write, blockWrite = append(write, w.MS), append(blockWrite, evaluate[float64](p, `window.storeLongest()`))
		s.Runs[5].Revision = 2
		rw := mustStore(p, "save", s)
		if rw.Written != 1 {
			t.Fatalf("rewrite %+v", rw)
		}
		rewrite, blockRewrite = append(rewrite, rw.MS), append(blockRewrite, evaluate[float64](p, `window.storeLongest()`))
		want := mustStore(p, "load", nil)
		p.navigateStore(url)
		mustStore(p, "open", nil)
		got := mustStore(p, "load", nil)
		if len(got.Runs) != 6 || !reflect.DeepEqual(got.Runs, want.Runs) {
			t.Fatalf("loaded %d runs after the reload, %+v", len(got.Runs), got.Runs)
		}
		read = append(read, got.MS)
	}
	t.Logf("the longest task on the page's thread during a save (0: none over 50 ms): 6 runs %v ms, one run %v ms", blockWrite, blockRewrite)
	var decode, encode []float64
	for range rounds {
		c := evaluate[struct{ DecodeMs, EncodeMs float64 }](p, `window.storeTest.codec("run.json")`)
		decode, encode = append(decode, c.DecodeMs), append(encode, c.EncodeMs)
	}
	t.Logf("one run's record under WebAssembly: record.DecodeRun %v ms, record.EncodeRun %v ms (medians %.0f, %.0f ms)",
		decode, encode, median(decode), median(encode))
	t.Logf("6 runs, %.1f MB: write %v ms; rewrite one run (an epoch's end) %v ms; read after a reload %v ms (%d rounds, medians %.0f, %.0f, %.0f ms)",
		float64(6*len(run))/1e6, write, rewrite, read, rounds, median(write), median(rewrite), median(read))
}
