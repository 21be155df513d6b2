//go:build js && wasm

// Command wasm is ConvLab's page program: it fetches the MNIST test images
// and the training labels (which name, in the report, the training images
// that the workers fetch), and MNIST's full files when a run asks for more
// images than the bundle holds (fullset.go), reads the settings from the URL, starts the dashboard on a full-window
// canvas, and installs window.convlab, the JavaScript handle that scripts,
// teachers and the browser tests use to drive the app. Each run trains in
// a Web Worker of its own running the worker program (wasm/worker), or,
// where workers cannot start, on the page's thread (backend.go).
package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"

	"convlab/assets"
	"convlab/ui"
	"convlab/ui/api"
	"convlab/ui/experiment"
	"convlab/ui/ink"
	"convlab/ui/record"
	"convlab/ui/runner"
	"convlab/ui/screen"
	"convlab/ui/settings"
	"convlab/wasm/data"
	"convlab/wasm/link"
)

func main() {
	if err := run(); err != nil {
		fail(err)
	}
}

// fail shows a fatal error on the page instead of a blank canvas.
func fail(err error) {
	msg := fmt.Sprintf("ConvLab stopped: %v", err)
	js.Global().Get("console").Call("error", msg)
	if f := js.Global().Get("convlabFailed"); f.Type() == js.TypeFunction {
		f.Invoke(msg)
	}
}

func run() error {
	full := &data.Files{} // MNIST's full files, once downloaded
	loader := data.NewLoader(full.Fetcher(data.Fetch, false))
	test, err := loader.Test(assets.MaxTestPerClass)
	if err != nil {
		return fmt.Errorf("loading the MNIST test images: %w; check the connection and reload the page", err)
	}
	trainCatalog, err := loader.TrainCatalog()
	if err != nil {
		return fmt.Errorf("loading the MNIST training labels: %w; check the connection and reload the page", err)
	}
	raw := strings.TrimPrefix(js.Global().Get("location").Get("search").String(), "?")
	query, err := url.ParseQuery(raw) // on error, query still holds what parsed
	runs, problems := experiment.FromQuery(query)
	if err != nil {
		problems = append(problems, settings.Problem{Key: "query", Value: raw, Reason: err.Error(), Outcome: "ignoring what could not be read"})
	}
	lib := &runner.Library{Test: test, TrainCatalog: trainCatalog}
	runs, problems = withFullSet(lib, full, runs, problems)
	page := &backends{
		lib:        lib,
		full:       full,
		module:     js.Global().Get("convlabWorkerModule"),
		useWorkers: query.Get("worker") != "0",
		fault:      workerFault(query.Get("workerfault")),
		training:   &pageTraining{loader: loader},
	}
	keep, notice := openKeeper(context.Background())
	var kept record.Experiment
	var notes []string
	if keep != nil {
		kept, notes = keep.load(context.Background(), query)
	}
	limit := experiment.Concurrency(js.Global().Get("navigator").Get("hardwareConcurrency").Int())
	app, err := ui.New(lib, page.newBackend, runs, limit, problems)
	if err != nil {
		return err
	}
	if err := app.SelectRun(experiment.ShownRun(query)); err != nil {
		return err
	}
	restored := false
	if len(kept.Runs) > 0 {
		err := app.Restore(kept, "the experiment kept in this browser")
		restored = err == nil
		if err != nil {
			warn("restoring the experiment kept in this browser: " + err.Error())
		}
	}
	for _, n := range append([]string{notice}, notes...) {
		if n != "" {
			app.Notify(n)
		}
	}
	h := ui.NewHandle(app)
	var pointers ink.Queue
	listenPointers(&pointers)
	h.DrawFrom(&pointers)
	host := newPageHost(h)
	host.full = full
	app.SetHost(host)
	scr, err := screen.New(h)
	if err != nil {
		return err
	}
	g := &game{Game: scr, handle: h, convlab: newHandle(h), keep: keep}
	if keep != nil {
		keep.adopt(app, restored, func() string { return g.shown })
	}
	js.Global().Set("convlab", g.convlab)
	if query.Get("autostart") == "1" {
		if err := h.Post(ui.Request{Call: api.CallStart}); err != nil {
			return err
		}
	}

	ebiten.SetWindowTitle("ConvLab — a CNN learns MNIST in your browser")
	ebiten.SetRunnableOnUnfocused(true)
	ebiten.SetTPS(60)
	return ebiten.RunGame(g)
}

// withFullSet downloads MNIST's full files into lib (downloadFullSet)
// when one of the URL's runs asks for more images than the bundle holds.
// If they cannot be had (or the user cancels), such runs use the bundle's
// most instead, each change reported as a problem with the URL.
func withFullSet(lib *runner.Library, full *data.Files, runs []settings.Settings, problems []settings.Problem) ([]settings.Settings, []settings.Problem) {
	need := false
	for _, s := range runs {
		need = need || s.NeedsFullSet()
	}
	if !need {
		return runs, problems
	}
	test, catalog, err := downloadFullSet(full)
	if err == nil {
		lib.Test, lib.TrainCatalog = test, catalog
		return runs, problems
	}
	why := "MNIST's full files could not be downloaded (" + err.Error() + ")"
	for i, s := range runs {
		clamp := func(key string, v *int, most int) {
			if *v > most {
				problems = append(problems, settings.Problem{Key: key, Value: settings.PerClass(*v), Reason: why, Outcome: fmt.Sprintf("using the %d bundled", most)})
				*v = most
			}
		}
		clamp("perclass", &s.TrainPerClass, assets.MaxTrainPerClass)
		clamp("testper", &s.TestPerClass, assets.MaxTestPerClass)
		s.BatchSize = min(s.BatchSize, s.TrainSize())
		runs[i] = s
	}
	return runs, problems
}

// workerFault returns the fault that ?workerfault= asks the page's first
// training worker to commit (link.FaultClose and the others): a switch
// for the browser tests, which check that the page survives a worker that
// closes, throws or hangs, and that Reset trains in a fresh one. Anything
// else is no fault.
func workerFault(v string) string {
	if link.IsFault(v) {
		warn("test switch workerfault=" + v + ": the first training worker will fail on purpose")
		return v
	}
	return ""
}

// game wraps the dashboard to mark the handle ready after the first frame
// and keep the URL in step with the settings, so the address bar is
// always a link to share.
type game struct {
	*screen.Game
	handle  *ui.Handle
	convlab js.Value // window.convlab
	ready   bool
	shown   string  // the query in the address bar
	keep    *keeper // keeps the experiment in the browser; nil where it cannot
}

// Update runs the dashboard's update and mirrors the experiment's runs
// into the URL (see experiment.Query; a run loaded from a model file, one
// whose Model is set, has no settings to share and is left out).
func (g *game) Update() error {
	if err := g.Game.Update(); err != nil {
		return err
	}
	var runs []settings.Settings
	for _, r := range g.handle.Status().Runs {
		if r.Model == "" {
			runs = append(runs, r.Config)
		}
	}
	if q := experiment.Query(runs).Encode(); q != g.shown {
		g.shown = q
		js.Global().Get("history").Call("replaceState", nil, "", "?"+q)
	}
	g.keep.tick()
	return nil
}

// Draw draws the dashboard; the first frame makes the app ready.
func (g *game) Draw(screen *ebiten.Image) {
	g.Game.Draw(screen)
	if !g.ready {
		g.ready = true
		g.convlab.Set("ready", true)
		if f := js.Global().Get("convlabReady"); f.Type() == js.TypeFunction {
			f.Invoke()
		}
	}
}
