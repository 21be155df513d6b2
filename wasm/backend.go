//go:build js && wasm

package main

import (
	"syscall/js"
	"time"

	"convlab/assets"
	"convlab/ui/runner"
	"convlab/ui/settings"
	"convlab/wasm/data"
	"convlab/wasm/link"
)

// backends makes the backend of each run the page sets up: a training
// worker of its own, when the browser has Web Workers, the page has
// compiled the worker program (loader.js leaves it in convlabWorkerModule)
// and the URL does not ask otherwise (worker=0); else the page's own
// thread, time-sliced.
type backends struct {
	lib        *runner.Library // the page's sets: its test set serves runs on its thread
	full       *data.Files     // MNIST's full files, once downloaded, for the workers
	module     js.Value        // the compiled worker program, or undefined
	useWorkers bool
	fault      string // test-only: the link.Fault the page's first worker is to commit
	training   *pageTraining
}

// newBackend returns the backend of a new run.
func (bs *backends) newBackend() runner.Backend {
	if !bs.useWorkers || js.Global().Get("Worker").Type() != js.TypeFunction || bs.module.Type() != js.TypeObject {
		return bs.onPage()
	}
	b := &workerBackend{page: bs}
	if err := b.restart(); err != nil {
		warn("training on the page's thread: " + err.Error())
		return bs.onPage()
	}
	return b
}

// onPage returns a backend that trains on the page's thread.
func (bs *backends) onPage() runner.Backend {
	return &pageBackend{training: bs.training, page: bs.lib}
}

// workerBackend trains a run in a Web Worker. Commands go out and event
// batches come in as transferred ArrayBuffers; the batches wait until the
// session polls. A worker that fails before it is ready leaves the run to
// the page's thread, with the commands sent so far. One that fails later
// — it reports an error, throws, closes itself or stops answering
// (runner.Watchdog) — is terminated and fails the run with the reason; the
// next Configure (Reset, or Start with new settings) starts a fresh
// worker.
type workerBackend struct {
	page  *backends
	conn  *workerConn      // nil after a failure, until the next Configure
	early []runner.Command // sent before conn was ready, for a fallback
	run   runner.RunID     // the run last configured
	local runner.Backend   // the page's thread, once a worker could not start
	// fullSentTo is the worker that was posted MNIST's full files, once.
	fullSentTo *workerConn
}

// restart starts a fresh worker. Only the page's first worker gets the
// test-only fault, so the tests can see that the next one recovers.
func (b *workerBackend) restart() error {
	conn, err := startWorker(b.page.module, b.page.fault)
	if err != nil {
		return err
	}
	b.page.fault = ""
	b.conn, b.early = conn, nil
	return nil
}

// Send posts the command to the worker; a Configure or Restore after a failure first
// starts a new one.
func (b *workerBackend) Send(c runner.Command) {
	if b.local != nil {
		b.local.Send(c)
		return
	}
	if cfg, ok := runner.NewRun(c); ok {
		b.run = cfg.Run
		if b.conn == nil {
			if err := b.restart(); err != nil {
				warn("training on the page's thread: " + err.Error())
				b.local = b.page.onPage()
				b.local.Send(c)
				return
			}
		}
	}
	if b.conn == nil {
		return // the run failed with its worker; only a new run (runner.NewRun) starts another
	}
	if !b.conn.ready {
		b.early = append(b.early, c)
	}
	if cfg, ok := runner.NewRun(c); ok && cfg.Settings.NeedsFullSet() && b.fullSentTo != b.conn {
		for name, content := range b.page.full.All() {
			link.PostFile(b.conn.worker, name, content)
		}
		b.fullSentTo = b.conn // a worker keeps what it parsed
	}
	b.conn.send(c)
}

// Poll returns the events that arrived since the last call, and the
// run's failure if the worker failed; the budget is the fallback's, since
// a worker trains on its own.
func (b *workerBackend) Poll(budget time.Duration) []runner.Event {
	if b.local != nil {
		return b.local.Poll(budget)
	}
	if b.conn == nil {
		return nil
	}
	b.conn.check(time.Now())
	var events []runner.Event
	for _, wire := range b.conn.take() {
		batch, err := runner.DecodeEvents(wire)
		if err != nil {
			b.conn.fail("a message from it could not be read: " + err.Error())
			break
		}
		events = append(events, batch...)
	}
	if b.conn.ready {
		b.early = nil
	}
	if reason := b.conn.failed; reason != "" {
		events = append(events, b.workerFailed(reason)...)
	}
	return events
}

// workerFailed ends the failed worker. If it never became ready, the run
// goes on on the page's thread; otherwise the run fails, saying why and
// what Reset does.
func (b *workerBackend) workerFailed(reason string) []runner.Event {
	ready := b.conn.ready
	b.conn.close()
	b.conn = nil
	if !ready {
		warn("training on the page's thread: the training worker could not start: " + reason)
		b.local = b.page.onPage()
		for _, c := range b.early {
			b.local.Send(c)
		}
		b.early = nil
		return nil
	}
	msg := "the training worker stopped: " + reason + ". Reset starts the run again in a new worker."
	warn(msg)
	return []runner.Event{
		runner.Failure{RunID: b.run, Kind: runner.Crashed, Message: msg},
		runner.StateChanged{RunID: b.run, State: runner.Failed},
	}
}

// Where reports runner.InWorker, or runner.InPage after a fallback.
func (b *workerBackend) Where() string {
	if b.local != nil {
		return runner.InPage
	}
	return runner.InWorker
}

// Close stops the worker (or the fallback).
func (b *workerBackend) Close() {
	if b.conn != nil {
		b.conn.close()
		b.conn = nil
	}
	if b.local != nil {
		b.local.Close()
	}
}

// pageBackend trains on the page's thread (runner.Local), time-sliced, once
// the training images have arrived: the page fetches them the first time
// a run trains here (all the bundled tiers, or MNIST's full set for a run
// that needs more), and the commands sent meanwhile wait.
type pageBackend struct {
	training *pageTraining
	page     *runner.Library // the page's, for its test set
	local    *runner.Local
	lib      *runner.Library // local's
	held     []runner.Command
	run      runner.RunID      // the run last configured
	settings settings.Settings // its settings
	reported bool              // run's failure to load the images has been reported
}

// Send applies the command, or keeps it until the images are there. A
// run that needs more images than the local trainer holds waits for them.
func (b *pageBackend) Send(c runner.Command) {
	if cfg, ok := runner.NewRun(c); ok {
		b.run, b.settings, b.reported = cfg.Run, cfg.Settings, false
		if b.local != nil && !b.lib.Holds(cfg.Settings) {
			b.local.Close()
			b.local, b.lib, b.held = nil, nil, nil
		}
	}
	if b.local != nil {
		b.local.Send(c)
		return
	}
	b.held = append(b.held, c)
}

// Poll trains for up to budget once the images are there (see
// runner.Local), and reports a run's failure if they cannot be had.
func (b *pageBackend) Poll(budget time.Duration) []runner.Event {
	if b.local == nil {
		if len(b.held) == 0 {
			return nil
		}
		train, done, err := b.training.get(b.settings.TrainPerClass)
		switch {
		case !done:
			return nil
		case err != nil:
			b.held = nil
			if b.reported {
				return nil
			}
			b.reported = true
			msg := "the training images could not be loaded: " + err.Error() + ". Check the connection and reload the page."
			return []runner.Event{
				runner.Failure{RunID: b.run, Kind: runner.Crashed, Message: msg},
				runner.StateChanged{RunID: b.run, State: runner.Failed},
			}
		}
		b.lib = &runner.Library{Train: train, Test: b.page.Test}
		b.local = runner.NewLocal(b.lib)
		for _, c := range b.held {
			b.local.Send(c)
		}
		b.held = nil
	}
	return b.local.Poll(budget)
}

// Where reports runner.InPage.
func (b *pageBackend) Where() string { return runner.InPage }

// Close discards the run.
func (b *pageBackend) Close() {
	if b.local != nil {
		b.local.Close()
	}
	b.held = nil
}

// pageTraining fetches training images in the background for every run
// the page trains on its own thread: the whole bundle, or MNIST's whole
// training set once a run asks for more.
type pageTraining struct {
	loader *data.Loader
	full   bool          // the fetch under way or done is of the full set
	done   chan struct{} // closed once train or err is set; nil before start
	train  *assets.Dataset
	err    error
}

// get starts fetching a training set with perClass images of each class,
// unless the fetch under way or done gives one (or failed, for the same
// set), and returns it once done; it never blocks.
func (p *pageTraining) get(perClass int) (train *assets.Dataset, done bool, err error) {
	full := perClass > assets.MaxTrainPerClass
	if p.done == nil || (full && !p.full) {
		p.start(full)
	}
	select {
	case <-p.done:
		return p.train, true, p.err
	default:
		return nil, false, nil
	}
}

// start begins a fetch of the bundle or of the full set. The loader is
// used by one fetch at a time: a new one waits for the one under way.
func (p *pageTraining) start(full bool) {
	before := p.done
	p.full = full
	p.done = make(chan struct{})
	done := p.done
	go func() {
		if before != nil {
			<-before
		}
		perClass := assets.MaxTrainPerClass
		if full {
			perClass = assets.AllPerClass
		}
		p.train, p.err = p.loader.Train(perClass)
		close(done)
	}()
}

// warn logs a warning on the page's console.
func warn(msg string) { js.Global().Get("console").Call("warn", "ConvLab: "+msg) }
