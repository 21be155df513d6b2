//go:build !js

package browsertest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"convlab/assets"
	"convlab/nn"
	"convlab/serve/static"
	"convlab/ui/runner"
	"convlab/ui/session"
	"convlab/ui/settings"
)

// fullLibrary reads MNIST's full files from the built site, as the page's
// workers do, and assembles them natively (memoised: parsing the 60,000
// images takes a second).
var fullLibrary = sync.OnceValues(func() (*runner.Library, error) {
	e := env
	if e == nil || e.dist == "" {
		return nil, fmt.Errorf("no built site")
	}
	read := func(set assets.FullSet) (*assets.Dataset, error) {
		images, err := os.ReadFile(filepath.Join(e.dist, filepath.FromSlash(set.Images.Name)))
		if err != nil {
			return nil, err
		}
		labels, err := os.ReadFile(filepath.Join(e.dist, filepath.FromSlash(set.Labels.Name)))
		if err != nil {
			return nil, err
		}
		return set.Assemble(images, labels)
	}
	train, err := read(assets.FullTrain())
	if err != nil {
		return nil, err
	}
	test, err := read(assets.FullTest())
	if err != nil {
		return nil, err
	}
	return &runner.Library{Train: train, Test: test, TrainCatalog: train.Catalog()}, nil
})

// Asked from a script for every image, the page downloads MNIST's full
// files once (the worker then gets the training images from the HTTP
// cache), sets the run up when they are in, and one epoch of all 60,000
// training images in a worker gives the native trainer's metrics bit for
// bit, measured on the 10,000 test images and the training set's
// class-balanced 10,000 (nn.TrainEvalIndices).
func TestFullMNISTEpochMatchesNative(t *testing.T) {
	e := needEnv(t)
	const query = "perclass=all&testper=all&epochs=1"
	type result struct {
		epochs []session.EpochStatus
		err    error
	}
	native := make(chan result, 1)
	go func() { // while the browser trains
		epochs, err := nativeEpochs(query)
		native <- result{epochs, err}
	}()

	handler, err := static.NewHandler(e.dist, static.Options{Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	var sent traffic
	srv := httptest.NewServer(sent.count(handler))
	t.Cleanup(srv.Close)
	p := openPageAt(t, srv.URL+"/", "epochs=1", desktop)
	asked := time.Now()
	r := evaluate[map[string]any](p, `window.convlab.start({perclass: "all", testper: "all"})`)
	if msg, _ := r["error"].(string); !strings.Contains(msg, "downloading") {
		t.Fatalf("start({perclass: 'all'}) before the files are in gave %v, want an error saying they are downloading", r)
	}
	p.waitFor(fmt.Sprintf(`window.convlab.status().fullData && window.convlab.status().runs[0].config.trainPerClass === %d`, assets.AllPerClass), time.Minute)
	t.Logf("full set fetched, checked and parsed by the page in %.1f s", time.Since(asked).Seconds())
	if s := p.status(); s.DownloadingData || s.Config.TestPerClass != assets.AllPerClass {
		t.Fatalf("after the download: downloadingData %v, testPerClass %d", s.DownloadingData, s.Config.TestPerClass)
	}
	if r := evaluate[map[string]any](p, `window.convlab.start()`); r["ok"] != true {
		t.Fatalf("start() after the download: %v", r)
	}
	s := p.waitForRunEnd(runTimeout)
	if s.TrainingIn != runner.InWorker {
		t.Fatalf("trainingIn %q, want %q", s.TrainingIn, runner.InWorker)
	}
	t.Logf("one epoch of 60,000 images in a worker: %.1f s, %.0f images/s; test accuracy %.4f", s.ElapsedSeconds, s.ImagesPerSecond, s.Epochs[0].TestAccuracy)
	want := <-native
	if want.err != nil {
		t.Fatal(want.err)
	}
	compareEpochsWith(t, s.Epochs, want.epochs)
	for _, f := range sent.files() {
		if strings.HasPrefix(f.path, "/data/mnist/") {
			full := fileSize(t, filepath.Join(e.dist, filepath.FromSlash(f.path)))
			t.Logf("  %-40s %9d bytes in %d response(s)", f.path, f.bytes, f.responses)
			if f.bytes > full {
				t.Errorf("%s: %d bytes sent, more than the file's %d: the page and its worker should share the HTTP cache", f.path, f.bytes, full)
			}
		}
	}
	logWorkerMemory(t, p, "one epoch of all 60,000 training images")
	t.Logf("page WebAssembly memory: %.1f MiB", mib(evaluate[int64](p, `window.convlabMemory.buffer.byteLength`)))
	p.expectNoConsoleErrors()
}

// A full set that cannot be had (the server answers 404, or sends the
// file cut short) is reported, naming the file and what happened, and the
// URL's run uses the bundle instead, which trains.
func TestFullMNISTDownloadFailure(t *testing.T) {
	e := needEnv(t)
	handler, err := static.NewHandler(e.dist, static.Options{Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	file := assets.FullTrain().Images.Name
	content, err := os.ReadFile(filepath.Join(e.dist, filepath.FromSlash(file)))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		serve http.HandlerFunc
		says  string
	}{
		{"404", http.NotFound, "404 Not Found"},
		{"cut short", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/gzip")
			_, _ = w.Write(content[:len(content)/3])
		}, "a damaged download"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/"+file {
					tt.serve(w, r)
					return
				}
				handler.ServeHTTP(w, r)
			}))
			t.Cleanup(srv.Close)
			p := openPageAt(t, srv.URL+"/", "perclass=all&epochs=1", desktop)
			s := p.status()
			msgs := strings.Join(s.Messages, "\n")
			for _, want := range []string{`perclass="all"`, "MNIST's full files could not be downloaded", path.Base(file), tt.says, "using the 500 bundled"} {
				if !strings.Contains(msgs, want) {
					t.Errorf("the messages do not say %q:\n%s", want, msgs)
				}
			}
			if s.FullData || s.Config.TrainPerClass != assets.MaxTrainPerClass {
				t.Errorf("fullData %v, trainPerClass %d; want false and the bundle's %d", s.FullData, s.Config.TrainPerClass, assets.MaxTrainPerClass)
			}
			if r := evaluate[map[string]any](p, `window.convlab.start({perclass: 10, testper: 10})`); r["ok"] != true {
				t.Fatalf("start() on the bundle: %v", r)
			}
			if s := p.waitForRunEnd(runTimeout); len(s.Epochs) != 1 {
				t.Errorf("%d epochs on the bundle, want 1", len(s.Epochs))
			}
		})
	}
}

func fileSize(t *testing.T, name string) int64 {
	t.Helper()
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// TestFullMNISTFigures measures and logs, without judging them, the
// figures of training on all of MNIST (make figures): the page's memory
// before and after the full files are in, and the time to fetch, check
// and parse them; the homework's run on all of it (Momentum, η = 0.001,
// batch 10, 15 epochs, seed 1) in a worker, epoch by epoch, with its wall
// time, test accuracy and the memory of the page and the worker; and the
// native trainer's time per epoch on the same data, for comparison.
func TestFullMNISTFigures(t *testing.T) {
	needFigures(t)
	t.Run("download", func(t *testing.T) {
		p := openPage(t, "", desktop)
		p.waitFrames(warmUpFrames)
		t.Logf("page WebAssembly memory with the bundle: %.1f MiB", mib(evaluate[int64](p, `window.convlabMemory.buffer.byteLength`)))
		asked := time.Now()
		evaluate[map[string]any](p, `window.convlab.start({perclass: "all", testper: "all"})`)
		p.waitFor(`window.convlab.status().fullData`, 2*time.Minute)
		t.Logf("MNIST's full files (11.6 MB) fetched from the local server, checked and parsed by the page: %.1f s", time.Since(asked).Seconds())
		p.waitFrames(warmUpFrames)
		t.Logf("page WebAssembly memory with all of MNIST (test set parsed, its 10,000 thumbnails, the four files kept for the workers): %.1f MiB",
			mib(evaluate[int64](p, `window.convlabMemory.buffer.byteLength`)))
	})
	t.Run("15 epochs in a worker", func(t *testing.T) {
		p := openPage(t, "perclass=all&testper=all&epochs=15", desktop)
		if s := p.status(); !s.FullData {
			t.Fatalf("the page did not load the full set: %v", s.Messages)
		}
		start := time.Now()
		if r := evaluate[map[string]any](p, `window.convlab.start()`); r["ok"] != true {
			t.Fatalf("start() = %v", r)
		}
		logged := 0
		s := p.status()
		for s.State == "running" || s.State == "idle" {
			time.Sleep(5 * time.Second) // the sampling interval of a figure, not synchronisation
			s = p.status()
			for ; logged < len(s.Epochs); logged++ {
				e := s.Epochs[logged]
				t.Logf("  epoch %2d at %6.1f s: training error %.4f (on 1,000 a digit), test accuracy %.4f", e.Epoch, time.Since(start).Seconds(), e.TrainError, e.TestAccuracy)
				if logged == 0 {
					logWorkerMemory(t, p, "the first epoch of all 60,000 images")
				}
			}
		}
		if s.State != "finished" {
			t.Fatalf("the run ended %q (%q)", s.State, s.Error)
		}
		t.Logf("all of MNIST, Momentum η = 0.001, batch 10, 15 epochs, seed 1, in a worker: start() to finished %.1f s (elapsedSeconds %.1f s, trainingSeconds %.1f s, %.0f images/s); test accuracy after epoch 15: %.4f",
			time.Since(start).Seconds(), s.ElapsedSeconds, s.TrainingSeconds, s.ImagesPerSecond, s.Epochs[len(s.Epochs)-1].TestAccuracy)
		logWorkerMemory(t, p, "15 epochs of all 60,000 images")
		t.Logf("page WebAssembly memory: %.1f MiB", mib(evaluate[int64](p, `window.convlabMemory.buffer.byteLength`)))
	})
	t.Run("SGD, RMSProp, batch 100", func(t *testing.T) {
		// One run at a time on a 2-core machine (experiment.Concurrency),
		// each in a worker of its own.
		p := openPage(t, "perclass=all&testper=all&epochs=15&run=opt:sgd&run=opt:rmsprop&run=batch:100", desktop)
		if s := p.status(); !s.FullData || len(s.Runs) != 3 {
			t.Fatalf("the page did not set up 3 runs on the full set: %v", s.Messages)
		}
		start := time.Now()
		if r := evaluate[map[string]any](p, `window.convlab.start()`); r["ok"] != true {
			t.Fatalf("start() = %v", r)
		}
		s := p.status()
		for !allEnded(s.Runs) {
			time.Sleep(5 * time.Second) // the sampling interval of a figure, not synchronisation
			s = p.status()
		}
		t.Logf("three runs on all of MNIST, 15 epochs each, one at a time: %.1f s", time.Since(start).Seconds())
		for _, r := range s.Runs {
			if r.State != "finished" {
				t.Fatalf("run %s ended %s", r.Label, r.State)
			}
			t.Logf("  %s: %.1f s, %.0f images/s, test accuracy after epoch 15: %.4f (best %.4f)", r.Label, r.ElapsedSeconds, r.ImagesPerSecond,
				r.Epochs[len(r.Epochs)-1].TestAccuracy, bestAccuracy(r.Epochs))
		}
		logWorkerMemory(t, p, "three runs of 15 epochs on all of MNIST")
		t.Logf("page WebAssembly memory: %.1f MiB", mib(evaluate[int64](p, `window.convlabMemory.buffer.byteLength`)))
	})
	t.Run("six runs", func(t *testing.T) {
		// The most runs an experiment holds, each in a worker of its own
		// holding all of MNIST's training bytes: one epoch each, then the
		// memory of the page and of every worker.
		p := openPage(t, "perclass=all&testper=all&epochs=1&run=opt:sgd&run=opt:momentum&run=opt:rmsprop&run=batch:100&run=seed:2&run=seed:3", desktop)
		if s := p.status(); !s.FullData || len(s.Runs) != 6 {
			t.Fatalf("the page did not set up 6 runs on the full set: %d runs, %v", len(s.Runs), s.Messages)
		}
		start := time.Now()
		if r := evaluate[map[string]any](p, `window.convlab.start()`); r["ok"] != true {
			t.Fatalf("start() = %v", r)
		}
		p.waitFor(`window.convlab.runs().every(r => r.state === "finished")`, 20*time.Minute)
		t.Logf("six runs on all of MNIST, one epoch each, one at a time: %.1f s", time.Since(start).Seconds())
		logWorkerMemory(t, p, "six runs of one epoch on all of MNIST")
		t.Logf("page WebAssembly memory with six full-data runs: %.1f MiB", mib(evaluate[int64](p, `window.convlabMemory.buffer.byteLength`)))
	})
	t.Run("native", func(t *testing.T) {
		lib, err := fullLibrary()
		if err != nil {
			t.Fatal(err)
		}
		s, _ := settings.FromQuery(url.Values{"perclass": {"all"}, "testper": {"all"}, "epochs": {"2"}})
		train, test, err := lib.Sets(s)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := nn.NewTrainer(nn.NewHomework(s.Seed), train, test, s.TrainerConfig())
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		for tr.Phase() != nn.PhaseFinished {
			u, err := tr.Work()
			if err != nil {
				t.Fatal(err)
			}
			if e := u.EpochDone; e != nil {
				t.Logf("natively (one goroutine, no SIMD kernels), epoch %d at %.1f s: test accuracy %.4f", e.Epoch, time.Since(start).Seconds(), e.Test.Accuracy)
			}
		}
	})
}

// bestAccuracy is the highest test accuracy of any epoch.
func bestAccuracy(epochs []session.EpochStatus) float64 {
	best := 0.0
	for _, e := range epochs {
		best = max(best, e.TestAccuracy)
	}
	return best
}

// While MNIST's full files download, the card shows the bytes received
// and a Cancel button; Cancel stops the download, says so, hides the card
// and leaves the run on the bundle. (The server sends the training images
// a first part and then holds on, until the browser gives up the request.)
func TestFullMNISTDownloadCancel(t *testing.T) {
	e := needEnv(t)
	handler, err := static.NewHandler(e.dist, static.Options{Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	file := assets.FullTrain().Images.Name
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/"+file {
			handler.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Length", fmt.Sprint(assets.FullTrain().Images.Size))
		_, _ = w.Write(make([]byte, 1<<20))
		w.(http.Flusher).Flush()
		<-r.Context().Done() // the rest never comes: the page must cancel
	}))
	t.Cleanup(srv.Close)
	p := openPageAt(t, srv.URL+"/", "", desktop)
	evaluate[map[string]any](p, `window.convlab.start({perclass: "all"})`)
	p.waitFor(`!document.getElementById("cancel").hidden && /^[0-9.]+ MB of 11.6 MB$/.test(document.getElementById("detail").textContent)
		&& parseFloat(document.getElementById("detail").textContent) >= 1`, time.Minute)
	if s := p.status(); !s.DownloadingData {
		t.Fatal("status().downloadingData is false while the card shows the download")
	}
	evaluate[bool](p, `(document.getElementById("cancel").click(), true)`)
	p.waitFor(`!window.convlab.status().downloadingData`, time.Minute)
	s := p.status()
	msgs := strings.Join(s.Messages, "\n")
	if !strings.Contains(msgs, "could not be downloaded") || !strings.Contains(msgs, "the download was cancelled") || !strings.Contains(msgs, "The bundled images are still here") {
		t.Errorf("after Cancel the messages say:\n%s", msgs)
	}
	if s.FullData || s.Config.TrainPerClass != assets.DefaultTrainPerClass {
		t.Errorf("after Cancel: fullData %v, trainPerClass %s; want the bundle's run as it was", s.FullData, settings.PerClass(s.Config.TrainPerClass))
	}
	if shown := evaluate[string](p, `getComputedStyle(document.getElementById("loader")).display`); shown != "none" {
		t.Errorf("the card is still shown (display %s) after Cancel", shown)
	}
	p.expectNoConsoleErrors()
}

// A page without workers trains on all of MNIST on its own thread, with
// the files the page downloaded (it fetches nothing twice).
func TestFullMNISTOnThePage(t *testing.T) {
	p := openPage(t, "worker=0&epochs=1", desktop)
	evaluate[map[string]any](p, `window.convlab.start({perclass: "all"})`)
	p.waitFor(`window.convlab.status().fullData`, time.Minute)
	if r := evaluate[map[string]any](p, `window.convlab.start()`); r["ok"] != true {
		t.Fatalf("start() = %v", r)
	}
	p.waitFor(`window.convlab.status().batch >= 20 || window.convlab.status().state === "failed"`, time.Minute)
	s := p.status()
	if s.State != "running" || s.TrainingIn != runner.InPage || s.Config.TrainPerClass != assets.AllPerClass {
		t.Fatalf("state %q (%q), trainingIn %q, trainPerClass %s; want running on the page on all of MNIST", s.State, s.Error, s.TrainingIn, settings.PerClass(s.Config.TrainPerClass))
	}
	p.expectNoConsoleErrors()
}
