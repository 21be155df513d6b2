//go:build !js

package browsertest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"convlab/serve/static"
	"convlab/ui/api"
	"convlab/ui/runner"
)

// A training worker that stops while its run trains — it closes itself
// without a word, throws, or hangs in a loop — fails the run with a
// message that says what happened and what Reset does, and is ended; the
// page notices a silent one within runner.SilenceLimit. Reset then trains
// the run to the end in a fresh worker, with the same numbers as natively.
// The page's test switch ?workerfault= makes its first worker misbehave
// after one unit of training.
func TestWorkerThatFails(t *testing.T) {
	const settings = "epochs=1&perclass=20&batch=10&opt=sgd"
	for _, tt := range []struct {
		fault string
		want  string // in the run's error, besides what every failure says
		again string // how the test trains again: Reset, or Start with settings
	}{
		{"close", "it has not answered for", `window.convlab.reset()`},
		{"throw", "test fault (workerfault=throw): the training worker threw", `window.convlab.start({epochs: 1, perclass: 20, batch: 10, opt: "sgd"})`},
		{"hang", "it has not answered for", `window.convlab.reset()`},
	} {
		t.Run(tt.fault, func(t *testing.T) {
			p := openPage(t, settings+"&autostart=1&workerfault="+tt.fault, desktop)
			start := time.Now()
			// Failing takes at most the limit, after the first unit of
			// training; the rest bounds a slow page, not the watchdog.
			p.waitFor(`window.convlab.status().state === "failed"`, runner.SilenceLimit+20*time.Second)
			took := time.Since(start)
			s := p.status()
			for _, want := range []string{"the training worker stopped: ", tt.want, "Reset starts the run again in a new worker."} {
				if !strings.Contains(s.Error, want) {
					t.Errorf("the run failed with %q, which does not say %q; console:\n%s", s.Error, want, p.console.text())
				}
			}
			t.Logf("failed %.1f s after the page was ready: %s", took.Seconds(), s.Error)
			p.waitForWorkers(0) // the failed worker was ended

			if r := evaluate[api.Result](p, tt.again); !r.OK {
				t.Fatalf("%s = %+v", tt.again, r)
			}
			if r := evaluate[api.Result](p, `window.convlab.start()`); !r.OK && s.State != "running" {
				t.Fatalf("start() = %+v", r)
			}
			s = p.waitForRunEnd(runTimeout)
			if where := s.Runs[0].TrainingIn; where != runner.InWorker {
				t.Fatalf("after Reset the run trained in %q, want a fresh %q", where, runner.InWorker)
			}
			p.waitForWorkers(1)
			compareEpochsWithNative(t, settings, s.Epochs)
			p.expectNoConsoleErrors()
		})
	}
}

// A worker that cannot fetch the training images fails its run, saying
// which file and what the server answered; the page itself, which needs
// only the test images, goes on.
func TestWorkerWithoutTrainingImages(t *testing.T) {
	e := needEnv(t)
	handler, err := static.NewHandler(e.dist, static.Options{Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	const missing = "/data/train-images-1to100-idx3-ubyte.gz"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == missing {
			http.NotFound(w, r)
			return
		}
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	p := openPageAt(t, srv.URL+"/", "autostart=1", desktop)
	p.waitFor(`window.convlab.status().state === "failed"`, runTimeout)
	s := p.status()
	for _, want := range []string{"the training worker stopped: could not load the MNIST images", missing[1:], "404 Not Found", "Reset starts the run again"} {
		if !strings.Contains(s.Error, want) {
			t.Errorf("the run failed with %q, which does not say %q; console:\n%s", s.Error, want, p.console.text())
		}
	}
}

// waitForWorkers waits until the page has n dedicated workers, failing
// the test after evalTimeout.
func (p *page) waitForWorkers(n int) {
	p.t.Helper()
	deadline := time.Now().Add(evalTimeout)
	for {
		ids, err := pageWorkers(p.ctx)
		if err != nil {
			p.t.Fatal(err)
		}
		if len(ids) == n {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the page has %d workers, want %d", len(ids), n)
		}
		evaluate[bool](p, `new Promise(r => requestAnimationFrame(() => r(true)))`) // a frame for the page to act
	}
}
