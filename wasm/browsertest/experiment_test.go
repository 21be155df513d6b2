//go:build !js

package browsertest

import (
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"convlab/nn"
	"convlab/ui/api"
)

// The optimizer comparison, from the URL: three runs that finish, each
// with per-epoch metrics bit-identical to the native trainer's; the pad
// classifies while they train; the CSV holds a row per run per epoch; a
// run's model, loaded back as a run of its own, predicts exactly as the
// run it came from. Screenshots of the comparison with three runs and,
// after compare('batch'), four.
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
	p.saveScreenshot("comparison-3-runs.png", 1280, 720)

	records, err := csv.NewReader(strings.NewReader(evaluate[string](p, `window.convlab.exportCSV()`))).ReadAll()
	if err != nil {
		t.Fatalf("exportCSV() does not parse: %v", err)
	}
	if len(records) != 1+3*3 {
		t.Errorf("exportCSV(): %d records, want a header and 3 runs × 3 epochs", len(records))
	}

	if res := evaluate[api.Result](p, `window.convlab.selectRun(2)`); !res.OK {
		t.Fatalf("selectRun(2): %+v", res)
	}
	model := evaluate[string](p, `window.convlab.model()`)
	want := classify(t, p, pixels)
	if res := evaluate[api.Result](p, fmt.Sprintf(`window.convlab.loadModel(%q)`, model)); !res.OK {
		t.Fatalf("loadModel(model()): %+v", res)
	}
	s = p.status()
	if len(s.Runs) != 4 || s.Selected != 3 || !strings.HasPrefix(s.Runs[3].Label, "model") {
		t.Fatalf("after loadModel: runs %v, selected %d", labels(s.Runs), s.Selected)
	}
	if got := classify(t, p, pixels); maxAbsDiff(got, want) != 0 {
		t.Errorf("the reloaded model predicts %v, the run it came from %v", got, want)
	}
	if res := evaluate[api.Result](p, `window.convlab.loadModel("{\"format\": \"nonsense\"}")`); res.Error == "" {
		t.Error("loadModel accepted a file that is not a model")
	}

	if res := evaluate[api.Result](p, `window.convlab.compare("batch")`); !res.OK {
		t.Fatalf("compare('batch'): %+v", res)
	}
	if res := evaluate[api.Result](p, `window.convlab.start()`); !res.OK {
		t.Fatalf("start(): %+v", res)
	}
	p.waitFor(`window.convlab.runs().every(r => r.state === "finished")`, runTimeout)
	if s = p.status(); len(s.Runs) != 4 || s.Runs[3].Label != "batch 100" {
		t.Errorf("compare('batch') gave runs %v", labels(s.Runs))
	}
	p.saveScreenshot("comparison-4-runs.png", 1280, 720)
	p.expectNoConsoleErrors()
}

func labels(runs []api.Run) []string {
	out := make([]string, len(runs))
	for i, r := range runs {
		out[i] = r.Label
	}
	return out
}
