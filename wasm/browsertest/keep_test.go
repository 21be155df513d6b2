//go:build !js

package browsertest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"convlab/nn"
	"convlab/ui/api"
	"convlab/ui/settings"
)

// keptRun is a run long enough (10 epochs of 1,000 images) to be paused
// after its first epoch and before its last however busy the machine: a
// pause reaches the worker a frame or two after it is asked for, and a
// worker trains an epoch in about 0.3 s.
const keptRun = "epochs=10&perclass=100&testper=5&batch=10&opt=rmsprop"

// An experiment saved while its run is paused after epoch 1, cleared and
// opened again shows what it did before (status().runs, the CSV, the
// t-SNE map) without training; damaged or hostile files are refused with
// the runs unchanged; and Start, in the run's worker, goes on to the
// per-epoch metrics native nn computes without a stop.
func TestExperimentFileRoundTrip(t *testing.T) {
	p := openPage(t, keptRun+"&autostart=1", desktop)
	evaluate[api.Result](p, `new Promise(resolve => {
		const check = () => window.convlab.status().epoch >= 1 ? window.convlab.pause().then(resolve) : requestAnimationFrame(check);
		check();
	})`)
	p.waitFor(`(m => m !== null && m.done)(window.convlab.status().tsne.first)`, evalTimeout)
	before := p.status()
	if before.State != "paused" || len(before.Epochs) == 0 || len(before.Epochs) >= 10 {
		t.Fatalf("paused %s after %d epochs; the test needs a run paused between its first and last", before.State, len(before.Epochs))
	}
	csv := evaluate[string](p, `window.convlab.exportCSV()`)
	kept := evaluate[api.Result](p, `window.convlab.experiment().then(r => (window.kept = r.text, r))`)
	if !kept.OK {
		t.Fatalf("experiment(): %+v", kept.Error)
	}
	wait := p.expectDownload("convlab-experiment-*")
	if res := evaluate[api.Result](p, `window.convlab.saveExperiment()`); !res.OK {
		t.Fatalf("saveExperiment(): %+v", res)
	}
	if file := wait(); !bytes.Equal(file, []byte(kept.Text)) {
		t.Errorf("the file saved (%d bytes) differs from experiment()'s text (%d)", len(file), len(kept.Text))
	}

	if res := evaluate[api.Result](p, `window.convlab.clear()`); !res.OK {
		t.Fatalf("clear(): %+v", res)
	}
	if s := p.status(); len(s.Runs) != 1 || s.State != "idle" || len(s.Epochs) != 0 || s.Config != settings.Defaults() {
		t.Fatalf("after clear(): %d runs, %s, %d epochs, settings %+v; want one idle run with the defaults", len(s.Runs), s.State, len(s.Epochs), s.Config)
	}

	start := time.Now()
	if res := evaluate[api.Result](p, `window.convlab.loadExperiment(window.kept)`); !res.OK {
		t.Fatalf("loadExperiment(): %+v", res)
	}
	t.Logf("a %d-byte experiment (%d epochs of %d images) opened in %v, a call's round trip included",
		len(kept.Text), len(before.Epochs), before.Config.TrainSize(), time.Since(start))
	p.waitFor(`(m => m !== null && m.done)(window.convlab.status().tsne.first)`, evalTimeout)
	p.waitFrames(2)
	p.saveScreenshot("experiment-opened.png", 1280, 780)
	after := p.status()
	if !reflect.DeepEqual(after.Runs, before.Runs) || evaluate[string](p, `window.convlab.exportCSV()`) != csv {
		t.Errorf("status().runs or the CSV changed on the way:\n%s\n%s", jsonText(before.Runs), jsonText(after.Runs))
	}
	// It comes back at its last epoch's end, though it was paused later.
	if !reflect.DeepEqual(after.TSNE.First, before.TSNE.First) || after.Epoch != before.Epoch || after.Batch != 0 ||
		after.ImagesTrained != after.Epoch*after.Config.TrainSize() {
		t.Errorf("the first t-SNE map changed, or the run is not at epoch %d's end: epoch %d, batch %d, %d images",
			before.Epoch, after.Epoch, after.Batch, after.ImagesTrained)
	}

	refuseDamaged(t, p, after.Runs)

	if res := evaluate[api.Result](p, `window.convlab.start()`); !res.OK {
		t.Fatalf("start(): %+v", res)
	}
	end := p.waitForRunEnd(runTimeout)
	want := must(nativeEpochs(keptRun))
	if !reflect.DeepEqual(end.Epochs, want) {
		t.Errorf("the resumed run's metrics differ from native nn's uninterrupted run:\n%s\n%s", jsonText(end.Epochs), jsonText(want))
	}
	p.expectNoConsoleErrors()
}

// refuseDamaged opens damaged and hostile versions of window.kept and
// checks that each is refused, naming a reason, with runs unchanged.
func refuseDamaged(t *testing.T, p *page, runs []api.Run) {
	t.Helper()
	for _, damage := range []string{
		`k.slice(0, k.length / 2)`,                                 // truncated
		`k.replace('"selected"', '"selection"')`,                   // a key renamed
		`k.replace(/"elapsedNs":\d+/, '"elapsedNs":1e400')`,        // a hostile number
		`k.replace('epochs=10', 'epochs=3000000000')`,              // settings beyond bounds
		`k.replace(/"order":\[\d+/, '"order":[99999999999999999')`, // an index beyond the training set
		`k.replace('"version":1', '"version":2')`,                  // a later version
		`'{"format":"convlab-experiment"}'`,                        // keys missing
		`'not JSON'`,
	} {
		res := evaluate[api.Result](p, `(k => window.convlab.loadExperiment(`+damage+`))(window.kept)`)
		if res.OK || res.Error == "" {
			t.Errorf("loadExperiment(%s) was accepted", damage)
		}
		if now := p.status().Runs; !reflect.DeepEqual(now, runs) {
			t.Fatalf("loadExperiment(%s) (%s) changed the runs", damage, res.Error)
		}
	}
}

// jsonText is v as JSON, for a message.
func jsonText(v any) string { return string(must(json.Marshal(v))) }

// reloadRun trains long enough (12 epochs of 1,000 images) for a reload
// to come while it trains, with an optimizer that keeps a state.
const reloadRun = "epochs=12&perclass=100&testper=5&batch=10&opt=momentum"

// A reload while a run trains brings the experiment back from the
// browser's storage (IndexedDB): the run paused at the last epoch it kept,
// with those epochs' metrics as native nn computes them, and Start goes on
// to the end with every epoch as native nn's uninterrupted run. New
// experiment (clear()) is kept too: a reload after it shows one idle run.
func TestReloadKeepsTheExperiment(t *testing.T) {
	p := openPage(t, reloadRun+"&autostart=1", desktop)
	if !evaluate[bool](p, `window.convlabKept.enabled`) {
		t.Fatalf("the page keeps nothing: %s", evaluate[string](p, `window.convlabKept.error`))
	}
	// Each run's version as last saved is state|settings|model|epochs|…
	p.waitFor(`(v => v !== undefined && +v.split("|")[3] >= 2)((window.convlabKept.runs || [])[0])`, runTimeout)
	at := evaluate[string](p, `location.href`)
	start := time.Now()
	p.reload(at)
	p.waitFor(`(s => s.state === "paused" || s.messages.length > 0)(window.convlab.status())`, evalTimeout)
	if s := p.status(); s.State != "paused" {
		t.Fatalf("after the reload the run is %s with %d epochs; messages %q; kept: %s", s.State, len(s.Epochs), s.Messages,
			evaluate[string](p, `JSON.stringify(window.convlabKept)`))
	}
	t.Logf("reloaded to a restored experiment in %v", time.Since(start))
	want := must(nativeEpochs(reloadRun))
	back := p.status()
	n := len(back.Epochs)
	if n < 2 || n >= 12 {
		t.Fatalf("after the reload the run is %s with %d epochs; want it paused after 2 to 11 (the reload came too late?)", back.State, n)
	}
	if !reflect.DeepEqual(back.Epochs, want[:n]) {
		t.Errorf("the kept epochs differ from native nn's:\n%s\n%s", jsonText(back.Epochs), jsonText(want[:n]))
	}
	if len(back.Messages) != 0 {
		t.Errorf("messages after a reload: %q", back.Messages)
	}
	if res := evaluate[api.Result](p, `window.convlab.start()`); !res.OK {
		t.Fatalf("start(): %+v", res)
	}
	end := p.waitForRunEnd(runTimeout)
	if !reflect.DeepEqual(end.Epochs, want) {
		t.Errorf("the resumed run's metrics differ from native nn's uninterrupted run:\n%s\n%s", jsonText(end.Epochs), jsonText(want))
	}

	p.waitFor(`(window.convlabKept.runs || [""])[0].startsWith("finished|")`, evalTimeout)
	keptLinkWins(t, p, len(want))

	saves := evaluate[int](p, `window.convlabKept.saves`)
	if res := evaluate[api.Result](p, `window.convlab.clear()`); !res.OK {
		t.Fatalf("clear(): %+v", res)
	}
	p.waitFor(fmt.Sprintf(`window.convlabKept.saves > %d`, saves), evalTimeout)
	p.reload(evaluate[string](p, `location.href`))
	if s := p.status(); len(s.Runs) != 1 || s.State != "idle" || len(s.Epochs) != 0 {
		t.Errorf("after New experiment and a reload: %d runs, the first %s with %d epochs; want one idle run", len(s.Runs), s.State, len(s.Epochs))
	}
	p.expectNoConsoleErrors()
}

// keptLinkWins opens a link with other settings over a kept experiment
// whose one run finished after epochs: the link's run is shown and a
// message says what became of the kept one, which is not overwritten; the
// bare address brings the kept run back.
func keptLinkWins(t *testing.T, p *page, epochs int) {
	t.Helper()
	base := needEnv(t).baseURL
	p.reload(base + "?opt=sgd&epochs=3")
	s := p.status()
	if len(s.Runs) != 1 || s.Config.Optimizer != nn.OptimizerSGD || len(s.Epochs) != 0 {
		t.Errorf("a link with other settings shows %d runs, %s with %d epochs; want its own idle SGD run", len(s.Runs), s.Config.Optimizer, len(s.Epochs))
	}
	if len(s.Messages) != 1 || !strings.Contains(s.Messages[0], "experiment kept in this browser") {
		t.Errorf("messages %q; want one saying the kept experiment is not shown", s.Messages)
	}
	p.reload(base)
	if s := p.status(); len(s.Runs) != 1 || s.State != "finished" || len(s.Epochs) != epochs {
		t.Errorf("the bare address shows %d runs, %s with %d epochs; want the kept run, finished after %d", len(s.Runs), s.State, len(s.Epochs), epochs)
	}
}

// TestKeptFigures measures what keeping an experiment costs the page: a
// 6-run experiment of the homework's default run (15 epochs each, trained
// natively) is opened, kept, and the page reloaded; it logs the bytes
// kept and the time from the reload to the restored dashboard, beside the
// time to reload the page with nothing kept (after New experiment). A
// figure, not a judgement: run it with -figures.
func TestKeptFigures(t *testing.T) {
	if !*figures {
		t.Skip("figures: run with -figures")
	}
	run := string(defaultRunRecord(t))
	p := openPage(t, "", desktop)
	text := `'{"format":"convlab-experiment","version":1,"selected":2,"runs":[' + Array(6).fill(r).join(",") + ']}'`
	if res := evaluate[api.Result](p, `(r => window.convlab.loadExperiment(`+text+`))(`+jsonText(run)+`)`); !res.OK {
		t.Fatalf("loadExperiment(6 runs): %+v", res)
	}
	p.waitFor(`window.convlabKept.saves >= 1`, runTimeout)
	t.Logf("kept: %.1f MB for 6 runs", evaluate[float64](p, `window.convlabKept.bytes`)/1e6)
	for round := range 3 {
		start := time.Now()
		p.reload(evaluate[string](p, `location.href`))
		p.waitFor(`window.convlab.status().runs.length === 6 && window.convlab.status().runs.every(r => r.state === "finished")`, runTimeout)
		restored := time.Since(start)
		p.waitFor(`(m => m !== null && m.done)(window.convlab.status().tsne.last)`, runTimeout)
		t.Logf("round %d: reload to 6 restored runs %v, to the selected run's last t-SNE map settled %v", round+1, restored.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	}
	saves := evaluate[int](p, `window.convlabKept.saves`)
	if res := evaluate[api.Result](p, `window.convlab.clear()`); !res.OK {
		t.Fatalf("clear(): %+v", res)
	}
	p.waitFor(fmt.Sprintf(`window.convlabKept.saves > %d`, saves), evalTimeout)
	for round := range 3 {
		start := time.Now()
		p.reload(evaluate[string](p, `location.href`))
		t.Logf("round %d: reload with nothing kept %v", round+1, time.Since(start).Round(time.Millisecond))
	}
}
