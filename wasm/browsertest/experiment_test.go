//go:build !js

package browsertest

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"image"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"convlab/nn"
	"convlab/ui/api"
	"convlab/ui/experiment"
)

// The optimizer comparison, from the URL: three runs that finish, each
// with per-epoch metrics bit-identical to the native trainer's; the pad
// classifies while they train; the CSV holds a row per run per epoch,
// with each layer's gradient RMS and update ratio as status() reports
// them; a run's model, loaded back as a run of its own, predicts exactly
// as the run it came from. Screenshots of the comparison with three runs,
// of its per-layer curves and, after compare('batch'), of four runs.
func TestOptimizerComparison(t *testing.T) {
	const data = "perclass=20&testper=5&epochs=3"
	p := openPage(t, "compare=optimizers&"+data, desktop)
	s := p.status()
	if len(s.Runs) != 3 || s.Runs[0].Label != "SGD" || s.Runs[2].Label != "RMSProp" {
		t.Fatalf("compare=optimizers gave runs %+v", labels(s.Runs))
	}
	if res := evaluate[api.Result](p, `window.convlab.start()`); !res.OK {
		t.Fatalf("start(): %+v", res)
	}
	pixels := make([]float64, nn.ImageSize)
	for i := 300; i < 500; i += 3 {
		pixels[i] = 1
	}
	probs := classify(t, p, pixels) // while three runs train or wait
	if len(probs) != nn.NumClasses {
		t.Fatalf("classify while training: %v", probs)
	}
	p.waitFor(`window.convlab.runs().every(r => r.state === "finished")`, runTimeout)
	s = p.status()
	for _, r := range s.Runs {
		t.Run(r.Label, func(t *testing.T) {
			compareEpochsWithNative(t, r.Config.Query().Encode(), r.Epochs)
		})
		t.Logf("%s: test accuracy %.1f%% after %d epochs, %.1f s", r.Label, 100*r.Epochs[len(r.Epochs)-1].TestAccuracy, len(r.Epochs), r.ElapsedSeconds)
	}
	p.saveScreenshot("comparison-3-runs.png", 1280, 780)

	records, err := csv.NewReader(strings.NewReader(evaluate[string](p, `window.convlab.exportCSV()`))).ReadAll()
	if err != nil {
		t.Fatalf("exportCSV() does not parse: %v", err)
	}
	if len(records) != 1+3*3 {
		t.Errorf("exportCSV(): %d records, want a header and 3 runs × 3 epochs", len(records))
	}
	checkLayerFigures(t, s.Runs, records)
	p.showPerLayerCurves()
	chart := p.download("png", "convlab-curves.png")
	img, err := png.Decode(bytes.NewReader(chart))
	if err != nil {
		t.Fatalf("the chart's PNG does not decode: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1800 || b.Dy() != 1120 {
		t.Errorf("the chart's PNG is %d×%d, want 1800×1120", b.Dx(), b.Dy())
	}
	out := filepath.Join(needEnv(t).root, "testout")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "curves.png"), chart, 0o644); err != nil {
		t.Fatal(err)
	}
	if csvFile := p.download("csv", "convlab-runs.csv"); string(csvFile) != evaluate[string](p, `window.convlab.exportCSV()`) {
		t.Error("the CSV download differs from exportCSV()")
	}

	if res := evaluate[api.Result](p, `window.convlab.selectRun(2)`); !res.OK {
		t.Fatalf("selectRun(2): %+v", res)
	}
	model := evaluate[string](p, `window.convlab.model()`)
	want := classify(t, p, pixels)
	if res := evaluate[api.Result](p, fmt.Sprintf(`window.convlab.loadModel(%q)`, model)); !res.OK {
		t.Fatalf("loadModel(model()): %+v", res)
	}
	p.waitFrames(1) // the frame after loadModel's has mirrored the runs into the URL
	s = p.status()
	if len(s.Runs) != 4 || s.Selected != 3 || s.Runs[3].Model == "" || s.Runs[0].Model != "" {
		t.Fatalf("after loadModel: runs %v (models %q, %q), selected %d", labels(s.Runs), s.Runs[0].Model, s.Runs[len(s.Runs)-1].Model, s.Selected)
	}
	// The address bar holds the three trained runs, not the model, which
	// has no settings to share.
	q, err := url.ParseQuery(strings.TrimPrefix(evaluate[string](p, `location.search`), "?"))
	if err != nil {
		t.Fatal(err)
	}
	if runs, problems := experiment.FromQuery(q); len(runs) != 3 || len(problems) > 0 || runs[2] != s.Runs[2].Config {
		t.Errorf("after loadModel the URL %q holds %d runs (problems %v), want the 3 trained ones", q.Encode(), len(runs), problems)
	}
	if got := classify(t, p, pixels); maxAbsDiff(got, want) != 0 {
		t.Errorf("the reloaded model predicts %v, the run it came from %v", got, want)
	}
	if res := evaluate[api.Result](p, `window.convlab.loadModel("{\"format\": \"nonsense\"}")`); res.Error == "" {
		t.Error("loadModel accepted a file that is not a model")
	}

	if res := evaluate[api.Result](p, `window.convlab.selectRun(0)`); !res.OK {
		t.Fatalf("selectRun(0): %+v", res)
	}
	if res := evaluate[api.Result](p, `window.convlab.compare("batch")`); !res.OK {
		t.Fatalf("compare('batch'): %+v", res)
	}
	if res := evaluate[api.Result](p, `window.convlab.start()`); !res.OK {
		t.Fatalf("start(): %+v", res)
	}
	p.waitFor(`window.convlab.runs().every(r => r.state === "finished")`, runTimeout)
	if s = p.status(); len(s.Runs) != 4 || s.Runs[3].Label != "batch 100" || s.Runs[3].Config.TrainPerClass != 20 {
		t.Errorf("compare('batch') gave runs %v", labels(s.Runs))
	}
	p.saveScreenshot("comparison-4-runs.png", 1280, 780)
	p.expectNoConsoleErrors()
}

// checkLayerFigures requires every epoch of every run to report in
// status() the four layers' gradient RMS and update ratio, positive and
// finite (their values are compared with native nn's by
// compareEpochsWithNative), and the CSV's columns for them to hold the
// same numbers, row by row.
func checkLayerFigures(t *testing.T, runs []api.Run, records [][]string) {
	t.Helper()
	column := map[string]int{}
	for i, name := range records[0] {
		column[name] = i
	}
	row := 1
	for _, r := range runs {
		for _, e := range r.Epochs {
			layers := []string{nn.LayerConv1, nn.LayerConv2, nn.LayerHidden, nn.LayerOutput}
			if len(e.Layers) != len(layers) {
				t.Fatalf("%s, epoch %d: status() has %d layers of figures, want %d", r.Label, e.Epoch, len(e.Layers), len(layers))
			}
			for i, l := range e.Layers {
				if l.Layer != layers[i] || !(l.GradientRMS > 0 && l.GradientRMS < 10) || !(l.UpdateRatio > 0 && l.UpdateRatio < 10) {
					t.Errorf("%s, epoch %d: layer %d is %+v, want %s with positive figures", r.Label, e.Epoch, i, l, layers[i])
				}
				for name, want := range map[string]float64{l.Layer + "_gradient_rms": l.GradientRMS, l.Layer + "_update_ratio": l.UpdateRatio} {
					k, ok := column[name]
					if !ok || row >= len(records) {
						t.Fatalf("the CSV has no column %s or no row %d (header %v)", name, row, records[0])
					}
					if got, err := strconv.ParseFloat(records[row][k], 64); err != nil || got != want {
						t.Errorf("CSV row %d, %s: %q, status() %v", row, name, records[row][k], want)
					}
				}
			}
			row++
		}
	}
}

// showPerLayerCurves clicks the curves panel's "per layer" view (the
// second half of the selector that ui's curvesViewRect places 130 units
// right of the panel's left edge, 130 wide, at 1280×780 one CSS pixel a
// unit), requires the panel to change, saves a screenshot, and goes back
// to the error curves.
func (p *page) showPerLayerCurves() {
	p.t.Helper()
	c := p.status().Layout["curves"]
	ox, oy := p.canvasOrigin()
	panel := image.Rect(int(ox+c.X), int(oy+c.Y+26), int(ox+c.X+c.W), int(oy+c.Y+c.H))
	before := p.screenshot()
	// The screen samples the mouse once a frame, so the button is held
	// for a frame, as a hand holds it, for the press to be seen.
	click := func(x float64) {
		for _, typ := range []input.DispatchMouseEventType{input.DispatchMouseEventTypeMousePressed, input.DispatchMouseEventTypeMouseReleased} {
			p.mouse(typ, ox+c.X+x, oy+c.Y+13)
			p.waitFrames(2)
		}
	}
	click(130 + 130*0.75)
	if n, _ := differences(before, p.screenshot(), panel); n < 1000 {
		p.t.Errorf("the per-layer view changed %d pixels of the curves panel", n)
	}
	p.saveScreenshot("comparison-per-layer.png", 1280, 780)
	click(130 + 130*0.25)
}

func labels(runs []api.Run) []string {
	out := make([]string, len(runs))
	for i, r := range runs {
		out[i] = r.Label
	}
	return out
}

// download asks the page to save what ("csv", "png", "model" or
// "report") as the buttons do, waits for Chromium to finish the download,
// and returns the file, which must be called name.
func (p *page) download(what, name string) []byte {
	p.t.Helper()
	wait := p.expectDownload(name)
	if res := evaluate[api.Result](p, fmt.Sprintf(`window.convlab.save(%q)`, what)); !res.OK {
		p.t.Fatalf("save(%q): %+v", what, res)
	}
	return wait()
}

// expectDownload lets the page download files and returns a func that
// waits (20 s at most) for the next download to finish and returns the
// file, whose suggested name must match name: a string, or a pattern
// ending in "*" for a name that begins with the rest.
func (p *page) expectDownload(name string) (wait func() []byte) {
	p.t.Helper()
	return p.expectDownloadWithin(name, 20*time.Second)
}

// expectDownloadWithin is expectDownload waiting up to timeout.
func (p *page) expectDownloadWithin(name string, timeout time.Duration) (wait func() []byte) {
	p.t.Helper()
	dir := p.t.TempDir()
	done := make(chan string, 1)
	ctx, cancel := context.WithTimeout(p.ctx, timeout)
	chromedp.ListenBrowser(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *browser.EventDownloadWillBegin:
			if prefix, ok := strings.CutSuffix(name, "*"); ev.SuggestedFilename != name && !(ok && strings.HasPrefix(ev.SuggestedFilename, prefix)) {
				p.t.Errorf("download named %q, want %q", ev.SuggestedFilename, name)
			}
		case *browser.EventDownloadProgress:
			if ev.State == browser.DownloadProgressStateCompleted {
				select {
				case done <- ev.GUID:
				default:
				}
			}
		}
	})
	events := true
	_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &events,
		BrowserContextID: chromedp.FromContext(p.ctx).BrowserContextID}) // each page has a browser context of its own
	if err != nil {
		cancel()
		p.t.Fatalf("allowing downloads: %v", err)
	}
	return func() []byte {
		p.t.Helper()
		defer cancel()
		select {
		case guid := <-done:
			data, err := os.ReadFile(filepath.Join(dir, guid)) // AllowAndName names the file by its GUID
			if err != nil {
				p.t.Fatal(err)
			}
			return data
		case <-ctx.Done():
			p.t.Fatalf("no download of %s within %v; messages %q; console:\n%s", name, timeout, p.status().Messages, p.console.text())
		}
		return nil
	}
}
