//go:build !js

package browsertest

import (
	"fmt"
	"net/url"
	"testing"

	"convlab/nn"
	"convlab/ui/api"
	"convlab/ui/runner"
	"convlab/ui/settings"
)

// scrubRun is a small 3-epoch run: what is shown at its epochs' ends
// differs, and it trains in a few seconds.
const scrubRun = "epochs=3&perclass=10&testper=5&batch=10&opt=rmsprop"

// selectEpoch(run, epoch) shows the run as it was at that epoch's end:
// classify() (which the pad and the insight panels share) answers as
// native nn does with the weights of a 1-epoch run of the same seed (a
// shorter run is exactly the start of a longer one), status().shown says
// which epoch, a middle epoch's t-SNE map is built, and epoch 0 returns
// to the latest weights. Arguments out of range are refused.
func TestSelectEpoch(t *testing.T) {
	p := openPage(t, scrubRun+"&autostart=1", desktop)
	p.waitForRunEnd(runTimeout)
	image, epoch1 := nativeAfterOneEpoch(t, scrubRun)
	live := classify(t, p, image)
	want := must(epoch1.Predict(image))
	if d := maxAbsDiff(live, want); d < 1e-3 {
		t.Fatalf("the live network and epoch 1's answer alike (max difference %.3g): the test cannot tell them apart", d)
	}

	if res := evaluate[api.Result](p, `window.convlab.selectEpoch(0, 1)`); !res.OK {
		t.Fatalf("selectEpoch(0, 1): %+v", res)
	}
	if s := p.status(); s.Shown.Epoch != 1 {
		t.Fatalf("after selectEpoch(0, 1) status().shown is %+v", s.Shown)
	}
	if d := maxAbsDiff(classify(t, p, image), want); d > maxProbDiff {
		t.Errorf("at epoch 1, classify() differs from native epoch-1 weights by %.3g", d)
	}

	if res := evaluate[api.Result](p, `window.convlab.selectEpoch(0, 2)`); !res.OK {
		t.Fatalf("selectEpoch(0, 2): %+v", res)
	}
	p.waitFor(`(m => m !== null && m.epoch === 2 && m.points.length > 0)(window.convlab.status().shown.map)`, evalTimeout)
	p.waitFrames(2)
	p.saveScreenshot("scrubbed-epoch-2.png", 1280, 780)

	for _, bad := range []string{`selectEpoch(0, 4)`, `selectEpoch(1, 1)`, `selectEpoch(0, 1.5)`, `selectEpoch(0)`} {
		if res := evaluate[api.Result](p, `window.convlab.`+bad); res.Error == "" {
			t.Errorf("%s was accepted", bad)
		}
	}
	if s := p.status(); s.Shown.Epoch != 2 {
		t.Errorf("refused calls changed the epoch shown to %d", s.Shown.Epoch)
	}
	if res := evaluate[api.Result](p, `window.convlab.selectEpoch(0, 0)`); !res.OK {
		t.Fatalf("selectEpoch(0, 0): %+v", res)
	}
	if s := p.status(); s.Shown.Epoch != 0 || maxAbsDiff(classify(t, p, image), live) != 0 {
		t.Errorf("epoch 0 did not return to the latest weights: shown %+v", s.Shown)
	}
	p.expectNoConsoleErrors()
}

// nativeAfterOneEpoch returns the run's first test image and the network
// native nn trains in its first epoch.
func nativeAfterOneEpoch(t *testing.T, query string) ([]float64, *nn.Network) {
	t.Helper()
	q := must(url.ParseQuery(query))
	q.Set("epochs", "1")
	s, problems := settings.FromQuery(q)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	lib := must(runner.LoadLibrary())
	train, test := must2(lib.Sets(s))
	tr := must(nn.NewTrainer(nn.NewHomework(s.Seed), train, test, s.TrainerConfig()))
	for tr.Phase() != nn.PhaseFinished {
		must(tr.Work())
	}
	return test.Image(0), tr.Network()
}

// must returns v, and panics on err: for set-up that cannot fail here.
func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("browsertest: %v", err))
	}
	return v
}

// must2 is must for two values.
func must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		panic(fmt.Sprintf("browsertest: %v", err))
	}
	return a, b
}
