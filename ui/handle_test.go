package ui

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"convlab/nn"
	"convlab/ui/api"
	"convlab/ui/runner"
)

// post queues a call and returns a func reporting its result once
// applied.
func post(t *testing.T, h *Handle, r Request) func() (api.Result, bool) {
	t.Helper()
	var got api.Result
	done := false
	r.Done = func(res api.Result) { got, done = res, true }
	if err := h.Post(r); err != nil {
		t.Fatal(err)
	}
	return func() (api.Result, bool) { return got, done }
}

// Calls from the page are applied by the next Update, in order, and
// answered after the frame that applied them is published.
func TestRequestsAreAppliedInUpdate(t *testing.T) {
	// 2,000 images: more than one Update can train, even with the SIMD
	// kernels, so the run is still going when pause() arrives.
	a := newTestApp(t, "epochs=2&perclass=100&testper=1&batch=50")
	h := NewHandle(a)
	var seen []string
	start := Request{Call: api.CallStart, Query: url.Values{"batch": {"20"}}, Done: func(res api.Result) {
		seen = append(seen, fmt.Sprintf("start ok %v error %q, status %s batch %d", res.OK, res.Error, h.Status().State, h.Status().Config.BatchSize))
	}}
	if err := h.Post(start); err != nil {
		t.Fatal(err)
	}
	if a.sess().State() != runner.Idle || len(seen) > 0 {
		t.Fatal("a posted call was applied before the next Update")
	}
	h.Update(Input{})
	if want := []string{`start ok true error "", status running batch 20`}; !slices.Equal(seen, want) {
		t.Errorf("replies %q, want %q", seen, want)
	}

	step := post(t, h, Request{Call: api.CallStep})
	h.Update(Input{})
	if res, done := step(); !done || !strings.Contains(res.Error, "while idle or paused") {
		t.Errorf("step() while running: %+v (answered %v); want an error", res, done)
	}
	pause := post(t, h, Request{Call: api.CallPause})
	h.Update(Input{})
	if res, _ := pause(); !res.OK || a.sess().State() != runner.Paused {
		t.Errorf("pause(): %+v, state %v", res, a.sess().State())
	}
	bad := post(t, h, Request{Call: api.CallStart, Query: url.Values{"lr": {"5"}, "epochs": {"0"}}})
	h.Update(Input{})
	if res, _ := bad(); !strings.Contains(res.Error, "lr=") || !strings.Contains(res.Error, "epochs=") || a.sess().Settings().BatchSize != 20 {
		t.Errorf("start() with bad settings: %+v, batch %d; want an error naming both, the run unchanged", res, a.sess().Settings().BatchSize)
	}
}

func TestStartAfterTheEndIsRefused(t *testing.T) {
	a := newTestApp(t, "epochs=1&perclass=10&testper=1&batch=100")
	h := NewHandle(a)
	post(t, h, Request{Call: api.CallStart})
	runUntil(t, h, 1000, "the end of the run", func() bool { return a.sess().State() == runner.Finished })
	again := post(t, h, Request{Call: api.CallStart})
	reset := post(t, h, Request{Call: api.CallReset})
	h.Update(Input{})
	if res, _ := again(); !strings.Contains(res.Error, "finished") {
		t.Errorf("start() after the end: %+v, want an error", res)
	}
	if res, _ := reset(); !res.OK || a.sess().State() != runner.Idle {
		t.Errorf("reset(): %+v, state %v", res, a.sess().State())
	}
}

func TestPostRefusesBeyondTheBound(t *testing.T) {
	h := NewHandle(newTestApp(t, ""))
	for i := range maxRequests {
		if err := h.Post(Request{Call: api.CallPause}); err != nil {
			t.Fatalf("call %d refused: %v", i+1, err)
		}
	}
	if err := h.Post(Request{Call: api.CallPause}); !errors.Is(err, api.ErrBusy) {
		t.Errorf("call %d: %v, want api.ErrBusy", maxRequests+1, err)
	}
	h.Update(Input{})
	if err := h.Post(Request{Call: api.CallPause}); err != nil {
		t.Errorf("after an Update the queue still refuses: %v", err)
	}
}

// The snapshot the page's classify() reads is the network as the last
// frame left it, and follows training.
func TestClassifyReadsTheLastFrame(t *testing.T) {
	a := newTestApp(t, "epochs=1&perclass=10&testper=1&batch=10")
	h := NewHandle(a)
	img := a.sess().TestSet().Image(0)
	before, err := h.Classify(img)
	if err != nil {
		t.Fatal(err)
	}
	post(t, h, Request{Call: api.CallStep})
	runUntil(t, h, 100, "a step", func() bool { return a.sess().ImagesTrained() == 10 && !a.sess().Stepping() })
	after, err := h.Classify(img)
	if err != nil {
		t.Fatal(err)
	}
	live, err := a.sess().Classify(img)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(before, after) || !slices.Equal(after, live) {
		t.Errorf("classify() before and after a step: %v, %v; the run's network: %v", before, after, live)
	}
	model, err := h.Model()
	if err != nil {
		t.Fatal(err)
	}
	net, err := nn.Load(strings.NewReader(model))
	if err != nil {
		t.Fatal(err)
	}
	if loaded, _ := net.Predict(img); !slices.Equal(loaded, live) {
		t.Error("model() does not hold the run's weights")
	}
}

// A run loaded from a model file is marked as such in status().runs by
// the file's name, whatever its label; the trained runs have none.
func TestLoadedModelIsMarkedInStatus(t *testing.T) {
	h := NewHandle(newTestApp(t, "epochs=1&perclass=10&testper=1"))
	var model strings.Builder
	if err := nn.NewHomework(3).Save(&model); err != nil {
		t.Fatal(err)
	}
	load := post(t, h, Request{Call: api.CallLoadModel, Text: model.String(), Name: "digits.json"})
	h.Update(Input{})
	if res, done := load(); !done || !res.OK {
		t.Fatalf("loadModel: %+v", res)
	}
	runs := h.Status().Runs
	if len(runs) != 2 || runs[0].Model != "" || runs[1].Model != "digits.json" {
		t.Errorf("runs %+v: want a trained run without a model and the loaded one marked digits.json", runs)
	}
}
