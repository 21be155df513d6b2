package ui

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"convlab/ui/api"
	"convlab/ui/runner"
)

// call posts a request, runs the frame that applies it and returns its
// result.
func call(t *testing.T, h *Handle, r Request) api.Result {
	t.Helper()
	res := post(t, h, r)
	h.Update(Input{})
	got, done := res()
	if !done {
		t.Fatalf("%s() was not answered by the frame that applied it", r.Call)
	}
	return got
}

// runsJSON is status().runs as the page's script reads it.
func runsJSON(t *testing.T, h *Handle) string {
	t.Helper()
	b, err := json.Marshal(h.Status().Runs)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// experiment() gives the file; clear() starts afresh; loadExperiment()
// brings back every run as it was, and a damaged file changes nothing.
func TestExperimentCallsRoundTrip(t *testing.T) {
	h := NewHandle(newTestApp(t, "epochs=2&perclass=10&testper=1"))
	if res := call(t, h, Request{Call: api.CallStart}); !res.OK {
		t.Fatal(res.Error)
	}
	runUntil(t, h, 5000, "the run finishes", func() bool { return h.Status().State == "finished" })
	kept := call(t, h, Request{Call: api.CallExperiment})
	if !kept.OK || !strings.HasPrefix(kept.Text, `{"format":"convlab-experiment"`) {
		t.Fatalf("experiment(): %+v", kept.Error)
	}
	before, csv := runsJSON(t, h), h.CSV()

	if res := call(t, h, Request{Call: api.CallClear}); !res.OK {
		t.Fatal(res.Error)
	}
	if st := h.Status(); len(st.Runs) != 1 || st.State != "idle" || len(st.Epochs) != 0 || st.Config.Epochs != 15 {
		t.Fatalf("after clear(): %d runs, %s, %d epochs, %d-epoch settings; want one idle default run", len(st.Runs), st.State, len(st.Epochs), st.Config.Epochs)
	}

	start := time.Now()
	if res := call(t, h, Request{Call: api.CallLoadExperiment, Text: kept.Text}); !res.OK {
		t.Fatal(res.Error)
	}
	t.Logf("opening a %d-byte experiment took %v (one frame)", len(kept.Text), time.Since(start))
	if after := runsJSON(t, h); after != before || h.CSV() != csv {
		t.Errorf("status().runs or the CSV changed on the way:\n%s\n%s", before, after)
	}

	damaged := []string{
		kept.Text[:len(kept.Text)/2],
		strings.Replace(kept.Text, `"selected"`, `"chosen"`, 1),
		strings.Replace(kept.Text, "epochs=2", "epochs=99999999999999999999", 1),
		`{"format":"convlab-experiment","version":1,"selected":0,"runs":[]}`,
		"",
	}
	for _, text := range damaged {
		res := call(t, h, Request{Call: api.CallLoadExperiment, Text: text})
		if res.OK || res.Error == "" || runsJSON(t, h) != before {
			t.Errorf("loadExperiment(%.60q…): %+v; want an error and the runs unchanged", text, res)
		}
	}
	if h.app.sess().State() != runner.Finished {
		t.Errorf("the run is %v after the damaged files, want finished", h.app.sess().State())
	}
}

// KeptVersions changes when a run's record would (an epoch ends, the run
// finishes) and not between, and reads state|settings|model|epochs|….
func TestKeptVersionsFollowTheRecord(t *testing.T) {
	a := newTestApp(t, "epochs=2&perclass=10&testper=1")
	ids, before, _ := a.KeptVersions()
	if len(ids) != 1 || !strings.HasPrefix(before[0], "idle|") || strings.Split(before[0], "|")[3] != "0" {
		t.Fatalf("a new run's version %q", before)
	}
	a.Update(Input{})
	if _, again, _ := a.KeptVersions(); again[0] != before[0] {
		t.Errorf("a frame with nothing done changed the version: %q → %q", before[0], again[0])
	}
	a.apply(action{kind: startAll})
	runUntil(t, a, 100000, "the run finishes", func() bool { return a.sess().Ended() })
	_, after, _ := a.KeptVersions()
	if fields := strings.Split(after[0], "|"); fields[0] != "finished" || fields[3] != "2" {
		t.Errorf("a finished 2-epoch run's version %q", after[0])
	}
}
