package experiment

import (
	"strings"
	"testing"
	"time"

	"convlab/nn"
	"convlab/ui/runner"
	"convlab/ui/settings"
)

// tiny is a run that trains in a fraction of a second: 100 training and
// 10 test images, one epoch.
func tiny() settings.Settings {
	s := settings.Defaults()
	s.TrainPerClass, s.TestPerClass, s.Epochs = 10, 1, 1
	return s
}

func newTestLab(t *testing.T, runs []settings.Settings, limit int) *Lab {
	t.Helper()
	lib, err := runner.LoadLibrary()
	if err != nil {
		t.Fatal(err)
	}
	l, err := NewLab(runs, limit, lib, func() runner.Backend { return runner.NewLocal(lib) })
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestLabTrainsAtMostLimitRunsAtOnce(t *testing.T) {
	p, _ := PresetByKey("optimizers")
	l := newTestLab(t, p.Runs(tiny()), 2)
	l.StartAll()
	const maxTicks = 10000 // a tiny run needs a few dozen ticks of 2 ms
	ticks, sawQueue := 0, false
	for ; l.Training() && ticks < maxTicks; ticks++ {
		l.Tick(2 * time.Millisecond)
		running := 0
		for _, r := range l.Runs() {
			if r.State() == runner.Running {
				running++
			}
			sawQueue = sawQueue || r.StateName() == "queued"
		}
		if running > l.Limit() {
			t.Fatalf("tick %d: %d runs training, limit %d", ticks, running, l.Limit())
		}
	}
	if l.Training() {
		t.Fatalf("still training after %d ticks", maxTicks)
	}
	if !sawQueue {
		t.Error("three runs with two places: the third never waited in the queue")
	}
	for _, res := range l.Results() {
		if res.State != "finished" || len(res.History) != 1 {
			t.Errorf("run %s ended %s with %d epochs, want finished with 1", res.Label, res.State, len(res.History))
		}
	}
}

func TestLabRunsShareTheSeedsStart(t *testing.T) {
	p, _ := PresetByKey("batch")
	l := newTestLab(t, p.Runs(tiny()), 1)
	first := l.Runs()[0].Network().Params()
	for _, r := range l.Runs()[1:] {
		for k, param := range r.Network().Params() {
			for j, v := range param.Value {
				if v != first[k].Value[j] {
					t.Fatalf("run %s: %s[%d] = %v, run 1 has %v; same seed, different initial weights", r.Label, param.Name, j, v, first[k].Value[j])
				}
			}
		}
	}
}

func TestLabEditing(t *testing.T) {
	l := newTestLab(t, []settings.Settings{tiny()}, 1)
	if err := l.Remove(0); err == nil {
		t.Error("removed the last run")
	}
	sgd := tiny()
	sgd.Optimizer = nn.OptimizerSGD
	if err := l.Add(sgd); err != nil || l.Selected() != 1 || len(l.Runs()) != 2 {
		t.Fatalf("Add: %v, selected %d of %d", err, l.Selected(), len(l.Runs()))
	}
	if got := l.Runs()[0].Label + "|" + l.Runs()[1].Label; got != "Momentum|SGD" {
		t.Errorf("labels %s after adding SGD", got)
	}
	bad := tiny()
	bad.TestPerClass = 100_000 // more than the data hold: no session can be made
	if err := l.Add(bad); err == nil || len(l.Runs()) != 2 || l.Selected() != 1 {
		t.Errorf("a run without a session was added (%v)", err)
	}
	if err := l.Remove(0); err != nil || l.Selected() != 0 || l.SelectedRun().Settings().Optimizer != nn.OptimizerSGD {
		t.Errorf("Remove(0): %v; selected %d", err, l.Selected())
	}
	if err := l.Select(5); err == nil || !strings.Contains(err.Error(), "no run 5") {
		t.Errorf("Select(5): %v", err)
	}
	for range MaxRuns - 1 {
		if err := l.Add(tiny()); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Add(tiny()); err == nil {
		t.Errorf("added a run beyond %d", MaxRuns)
	}
	if err := l.Replace(nil); err == nil || len(l.Runs()) != MaxRuns {
		t.Error("Replace with no runs was accepted")
	}
}

func TestLabPauseTakesARunOutOfTheQueue(t *testing.T) {
	l := newTestLab(t, []settings.Settings{tiny(), tiny()}, 1)
	l.StartAll()
	l.Tick(time.Millisecond)
	if l.Runs()[0].State() != runner.Running || !l.Runs()[1].Queued() {
		t.Fatalf("states %s, %s; want running, queued", l.Runs()[0].StateName(), l.Runs()[1].StateName())
	}
	l.Pause(1)
	if l.Runs()[1].StateName() != "idle" {
		t.Errorf("a paused queued run is %s, want idle", l.Runs()[1].StateName())
	}
}

func TestLabAddModel(t *testing.T) {
	l := newTestLab(t, []settings.Settings{tiny()}, 1)
	net := nn.NewHomework(77)
	if err := l.AddModel(net, "mine.json"); err != nil {
		t.Fatal(err)
	}
	r := l.SelectedRun()
	if r.Label != "model mine.json" || r.State() != runner.Finished || len(r.History()) != 0 {
		t.Errorf("loaded run %q is %s with %d epochs", r.Label, r.StateName(), len(r.History()))
	}
	img := make([]float64, nn.ImageSize)
	img[300] = 1
	want, _ := net.Predict(img)
	got, _ := r.Classify(img)
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("the loaded run predicts %v, the model %v", got, want)
		}
	}
	l.StartAll()
	l.Tick(time.Millisecond)
	if r.State() != runner.Finished {
		t.Errorf("a loaded model started training: %s", r.StateName())
	}
}

func TestCompareEpochsKeepsTheSelectedRun(t *testing.T) {
	p, _ := PresetByKey("optimizers")
	l := newTestLab(t, p.Runs(tiny()), 1)
	_ = l.Select(2) // RMSProp
	keep := l.SelectedRun()
	epochs, _ := PresetByKey("epochs")
	if err := l.Compare(epochs, tiny()); err != nil {
		t.Fatal(err)
	}
	runs := l.Runs()
	if len(runs) != 2 || runs[0] != keep || runs[1].Settings().Epochs != 50 || l.Selected() != 1 {
		t.Errorf("after the epochs preset: %d runs, first kept %v, second %d epochs, selected %d", len(runs), runs[0] == keep, runs[1].Settings().Epochs, l.Selected())
	}
	if runs[0].Label != "RMSProp · 1 epochs" && runs[0].Label == runs[1].Label {
		t.Errorf("labels %q and %q do not tell the runs apart", runs[0].Label, runs[1].Label)
	}
}
