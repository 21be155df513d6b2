package experiment

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"convlab/nn"
	"convlab/ui/record"
	"convlab/ui/runner"
	"convlab/ui/settings"
)

// fourEpochs is a small run of 4 epochs, seed 1.
func fourEpochs() settings.Settings {
	s := settings.Defaults()
	s.Optimizer, s.LearningRate = nn.OptimizerRMSProp, 0.001
	s.TrainPerClass, s.TestPerClass, s.Epochs, s.Seed = 10, 2, 4, 1
	return s
}

// tickUntil ticks l until done holds, failing the test after many ticks.
func tickUntil(t *testing.T, l *Lab, what string, done func() bool) {
	t.Helper()
	for ticks := 0; !done(); ticks++ {
		if ticks == 20000 {
			t.Fatalf("%s: not after %d ticks", what, ticks)
		}
		l.Tick(time.Millisecond)
	}
}

// roundTrip encodes the experiment as its file and decodes it.
func roundTrip(t *testing.T, x record.Experiment) (record.Experiment, []byte) {
	t.Helper()
	text := record.EncodeExperiment(x)
	back, err := record.DecodeExperiment(text)
	if err != nil {
		t.Fatal(err)
	}
	return back, text
}

// A run saved after 2 of its 4 epochs, written to a file and read back,
// comes back paused at epoch 2, and Start trains epochs 3 and 4 to the
// same metrics and weights, bit for bit, as a run never interrupted.
func TestRestoredRunGoesOnBitForBit(t *testing.T) {
	whole := newTestLab(t, []settings.Settings{fourEpochs()}, 1)
	whole.StartAll()
	tickUntil(t, whole, "the uninterrupted run finishes", func() bool { return whole.Runs()[0].Ended() })

	half := newTestLab(t, []settings.Settings{fourEpochs()}, 1)
	half.StartAll()
	tickUntil(t, half, "two epochs end", func() bool { return len(half.Runs()[0].History()) >= 2 })
	half.PauseAll()
	x, _ := roundTrip(t, half.Record())
	if got := len(x.Runs[0].Epochs); got != 2 {
		t.Fatalf("the record holds %d epochs, want 2", got)
	}

	restored := newTestLab(t, []settings.Settings{tiny(), tiny()}, 1)
	if err := restored.Restore(x); err != nil {
		t.Fatal(err)
	}
	run := restored.Runs()[0]
	if len(restored.Runs()) != 1 || run.State() != runner.Paused || len(run.History()) != 2 {
		t.Fatalf("restored: %d runs, the first %v with %d epochs; want one, paused with 2", len(restored.Runs()), run.State(), len(run.History()))
	}
	if epoch, _, _ := run.Progress(); epoch != 2 || run.ImagesTrained() != 2*fourEpochs().TrainSize() {
		t.Errorf("restored at epoch %d with %d images trained, want 2 and %d", epoch, run.ImagesTrained(), 2*fourEpochs().TrainSize())
	}
	restored.StartAll()
	tickUntil(t, restored, "the restored run finishes", run.Ended)

	want := whole.Runs()[0]
	if run.State() != runner.Finished || !reflect.DeepEqual(run.History(), want.History()) {
		t.Fatalf("the restored run ended %v; its metrics equal the uninterrupted run's: %v",
			run.State(), reflect.DeepEqual(run.History(), want.History()))
	}
	for epoch := 1; epoch <= 4; epoch++ {
		got, _ := run.EpochWeights(epoch)
		w, _ := want.EpochWeights(epoch)
		if !reflect.DeepEqual(got, w) {
			t.Errorf("the weights after epoch %d differ from the uninterrupted run's", epoch)
		}
	}
	if !reflect.DeepEqual(run.Network().Params(), want.Network().Params()) {
		t.Error("the final network differs from the uninterrupted run's")
	}
}

// A finished experiment restores as it was: every run's state, metrics,
// weights after each epoch and t-SNE features, its selection and labels;
// recording it again writes the same file.
func TestFinishedExperimentRestoresAsItWas(t *testing.T) {
	short := fourEpochs()
	short.Epochs = 2
	sgd := short
	sgd.Optimizer, sgd.LearningRate = nn.OptimizerSGD, 0.1
	l := newTestLab(t, []settings.Settings{short, sgd, short}, 2)
	l.Start(0)
	l.Start(1)
	tickUntil(t, l, "two runs finish and their maps settle", func() bool {
		first, last := l.Runs()[1].Maps()
		return l.Runs()[0].Ended() && l.Runs()[1].Ended() && first != nil && last != nil
	})
	if err := l.Select(1); err != nil {
		t.Fatal(err)
	}
	x, text := roundTrip(t, l.Record())

	back := newTestLab(t, []settings.Settings{tiny()}, 1)
	if err := back.Restore(x); err != nil {
		t.Fatal(err)
	}
	tickUntil(t, back, "the maps are made again", func() bool {
		first, last := back.Runs()[1].Maps()
		return first != nil && last != nil
	})
	if back.Selected() != 1 {
		t.Errorf("run %d selected, want 1", back.Selected())
	}
	for i, r := range back.Runs() {
		was := l.Runs()[i]
		if r.StateName() != was.StateName() || r.Label != was.Label || !reflect.DeepEqual(r.History(), was.History()) {
			t.Errorf("run %d: %s %q, was %s %q; same history: %v", i, r.StateName(), r.Label, was.StateName(), was.Label,
				reflect.DeepEqual(r.History(), was.History()))
		}
		for epoch := 1; epoch <= len(was.History()); epoch++ {
			got, _ := r.EpochWeights(epoch)
			w, _ := was.EpochWeights(epoch)
			if !reflect.DeepEqual(got, w) {
				t.Errorf("run %d: the weights after epoch %d changed", i, epoch)
			}
		}
		for epoch := 1; epoch <= len(was.History()); epoch++ {
			got, w := r.MapAt(epoch), was.MapAt(epoch)
			if (got == nil) != (w == nil) || (w != nil && !reflect.DeepEqual(got.Features(), w.Features())) {
				t.Errorf("run %d: the map after epoch %d changed", i, epoch)
			}
		}
		if got, w := r.LossCurve(), was.LossCurve(); len(w) == 0 && len(was.History()) > 0 || !reflect.DeepEqual(got, w) {
			t.Errorf("run %d: the loss curve's %d points came back as %d, or differ", i, len(w), len(got))
		}
		if r.Elapsed() != was.Elapsed() || r.TrainingTime() != was.TrainingTime() {
			t.Errorf("run %d: times %v and %v, were %v and %v", i, r.Elapsed(), r.TrainingTime(), was.Elapsed(), was.TrainingTime())
		}
	}
	if again := record.EncodeExperiment(back.Record()); !bytes.Equal(again, text) {
		t.Error("recording the restored experiment writes another file")
		y := back.Record()
		for i := range x.Runs {
			a, b := x.Runs[i], y.Runs[i]
			a.Epochs, b.Epochs = nil, nil
			if !reflect.DeepEqual(a, b) {
				t.Logf("run %d:\n%+v\n%+v", i, a, b)
			}
		}
	}
	t.Logf("3 runs of %d images, 2 epochs, two finished: %d bytes", short.TrainSize(), len(text))
}

// A failed run comes back failed with its error, a model run with its
// model's weights, a run paused before its first epoch's end idle (there
// is no epoch's end to stand at); a record the sessions cannot show
// changes nothing.
func TestRestoreFailedModelAndBadRecords(t *testing.T) {
	net := nn.NewHomework(7)
	l := newTestLab(t, []settings.Settings{tiny()}, 1)
	if err := l.AddModel(net, "mine.json"); err != nil {
		t.Fatal(err)
	}
	x := l.Record()
	x.Runs[0].State, x.Runs[0].Error = runner.Failed, "diverged: loss is NaN"
	x.Runs = append(x.Runs, record.Run{Settings: tiny(), State: runner.Paused})
	x, _ = roundTrip(t, x)
	if err := l.Restore(x); err != nil {
		t.Fatal(err)
	}
	failed, model, early := l.Runs()[0], l.Runs()[1], l.Runs()[2]
	if early.State() != runner.Idle {
		t.Errorf("a run paused before its first epoch's end came back %v, want idle", early.State())
	}
	if failed.State() != runner.Failed || failed.Err() == nil || failed.Err().Error() != "diverged: loss is NaN" {
		t.Errorf("the failed run came back %v with error %v", failed.State(), failed.Err())
	}
	if model.State() != runner.Finished || model.Model != "mine.json" || model.Label != "model mine.json" ||
		!reflect.DeepEqual(model.Network().Params(), net.Params()) {
		t.Errorf("the model run came back %v, model %q, label %q, or with other weights", model.State(), model.Model, model.Label)
	}

	before := l.Runs()
	bad := fourEpochs()
	bad.Optimizer = nn.OptimizerSGD
	half := newTestLab(t, []settings.Settings{fourEpochs()}, 1)
	half.StartAll()
	tickUntil(t, half, "an epoch ends", func() bool { return len(half.Runs()[0].History()) >= 1 })
	half.PauseAll()
	y := half.Record()
	y.Runs[0].Settings = bad // RMSProp's state, but an SGD run
	err := l.Restore(y)
	if err == nil || !strings.Contains(err.Error(), "run 1") || !strings.Contains(err.Error(), "optimizer's state") {
		t.Errorf("a record with an optimizer state SGD has no use for: %v", err)
	}
	if !reflect.DeepEqual(l.Runs(), before) {
		t.Error("a refused record changed the runs")
	}
}
