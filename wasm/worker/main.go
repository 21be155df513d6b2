//go:build js && wasm

// Command worker is ConvLab's training worker: the program each Web Worker
// runs (worker.wasm, started by worker.js with the module the page
// compiled). It trains one run at a time as the page's commands say
// (package runner's Engine), fetches the MNIST files its runs need (package
// data), and posts the events back (package link describes the messages).
// It holds the trainer, the data and the protocol, and nothing of the
// dashboard.
package main

import (
	"fmt"
	"sync"
	"syscall/js"
	"time"

	"convlab/assets"
	"convlab/ui/runner"
	"convlab/ui/settings"
	"convlab/wasm/data"
	"convlab/wasm/link"
)

// postInterval spaces the worker's event batches while it trains: about a
// frame, since the page takes them in once a frame.
const postInterval = 16 * time.Millisecond

func main() {
	w := &worker{
		lib:   &runner.Library{},
		files: &data.Files{},
		wake:  make(chan struct{}, 1),
		fault: js.Global().Get("convlabFault").String(),
	}
	w.loader = data.NewLoader(w.files.Fetcher(data.Fetch, true))
	w.engine = runner.NewEngine(w.lib)
	w.yield = newYield()
	w.listen()
	w.send(link.Ready)
	w.loop()
}

// worker is the program's state: the engine, the data it has, and the
// commands that arrived while it was working or waiting for data.
type worker struct {
	engine *runner.Engine
	lib    *runner.Library // the engine's: filled in as runs need
	loader *data.Loader
	files  *data.Files // MNIST's full files as the page posted them, until parsed
	yield  func()
	fault  string // a test-only link.Fault, or ""

	mu    sync.Mutex // guards inbox: the message handler runs on another goroutine
	inbox [][]byte
	wake  chan struct{} // signalled when a command arrives

	loading chan loaded      // non-nil while a run's data is being fetched
	held    []runner.Command // commands waiting for that data, in order

	lastPost time.Time // of any message: events, heartbeat or error
}

// loaded is the outcome of fetching the data of a run.
type loaded struct {
	train, test *assets.Dataset
	err         error
}

// listen installs the message handler and takes over the messages that
// worker.js queued while the program was starting.
func (w *worker) listen() {
	js.Global().Set("onmessage", js.FuncOf(func(_ js.Value, args []js.Value) any {
		w.take(args[0].Get("data"))
		return nil
	}))
	queued := js.Global().Get("convlabQueued")
	for i := 0; queued.Truthy() && i < queued.Length(); i++ {
		w.take(queued.Index(i))
	}
	js.Global().Delete("convlabQueued")
}

// take keeps a file the page posted (link.PostFile) for the loader, or
// queues a command. It runs in a JavaScript event handler: a file arrives
// before the command that needs it.
func (w *worker) take(data js.Value) {
	if name, content, ok := link.FileOf(data); ok {
		w.files.Put(name, content)
		return
	}
	w.receive(link.BytesOf(data))
}

// receive queues a command for the loop. It never blocks: it runs in a
// JavaScript event handler.
func (w *worker) receive(b []byte) {
	w.mu.Lock()
	w.inbox = append(w.inbox, b)
	w.mu.Unlock()
	w.signal()
}

func (w *worker) signal() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// loop runs for the worker's life: apply the commands that arrived, do
// one unit of work (at most 10 images of a mini-batch), post events when a
// frame's worth has gathered, and yield to the event loop so the next
// command is seen within one unit. With nothing to do it posts what is
// left and waits for a command or data, posting a heartbeat every
// runner.Heartbeat (runner.Watchdog).
func (w *worker) loop() {
	for {
		if !w.engine.Busy() {
			w.post()
			w.wait()
		}
		w.step()
		if time.Since(w.lastPost) >= postInterval {
			w.post()
		}
		w.yield()
	}
}

// wait returns when a command or a run's data arrives, posting heartbeats
// meanwhile.
func (w *worker) wait() {
	for {
		beat := time.NewTimer(max(0, runner.Heartbeat-time.Since(w.lastPost)))
		select {
		case <-w.wake:
			beat.Stop()
			return
		case r := <-w.loading:
			beat.Stop()
			w.dataArrived(r)
			return
		case <-beat.C:
			w.post()
		}
	}
}

// step applies the queued commands and does one unit of work. A panic
// becomes a Failure of the run instead of ending the worker.
func (w *worker) step() {
	defer func() {
		if r := recover(); r != nil {
			w.engine.Handle(runner.Cancel{})
			w.postEvents([]runner.Event{
				runner.Failure{RunID: w.engine.Run(), Kind: runner.Crashed, Message: fmt.Sprintf("the training worker failed: %v", r)},
				runner.StateChanged{RunID: w.engine.Run(), State: runner.Failed},
			})
		}
	}()
	select {
	case r := <-w.loading:
		w.dataArrived(r)
	default:
	}
	w.mu.Lock()
	inbox := w.inbox
	w.inbox = nil
	w.mu.Unlock()
	for _, b := range inbox {
		c, err := runner.DecodeCommand(b)
		if err != nil {
			panic(err)
		}
		w.apply(c)
	}
	if w.engine.Busy() {
		w.engine.Work(0) // one unit
		w.misbehave()
	}
}

// apply hands a command to the engine, unless it must wait: a Configure or Restore
// whose run needs images this worker has not fetched yet stops the
// current run and waits, with every command after it, until they arrive.
func (w *worker) apply(c runner.Command) {
	if w.loading != nil {
		w.held = append(w.held, c)
		return
	}
	if cfg, ok := runner.NewRun(c); ok && w.lacksData(cfg.Settings) {
		w.engine.Handle(runner.Cancel{})
		w.held = []runner.Command{c}
		w.fetch(cfg.Settings)
		return
	}
	w.engine.Handle(c)
}

// lacksData reports whether a run with settings s needs images that have
// not been fetched. Settings out of range need none: the engine refuses
// them, saying why.
func (w *worker) lacksData(s settings.Settings) bool {
	inRange := func(n int, full assets.FullSet) bool {
		return n == assets.AllPerClass || (n >= 1 && n <= full.MinPerClass)
	}
	if !inRange(s.TrainPerClass, assets.FullTrain()) || !inRange(s.TestPerClass, assets.FullTest()) {
		return false
	}
	return !w.lib.Holds(s)
}

// fetch gets the test and training images a run with settings s needs (the
// loader keeps what it has), in a goroutine of its own, so that the loop
// keeps answering while the files download: MNIST's full files when the
// bundle is not enough. The page has fetched and checked them first, so
// they come from the browser's HTTP cache.
func (w *worker) fetch(s settings.Settings) {
	done := make(chan loaded, 1)
	w.loading = done
	go func() {
		var r loaded
		r.test, r.err = w.loader.Test(s.TestPerClass)
		if r.err == nil {
			r.train, r.err = w.loader.Train(s.TrainPerClass)
		}
		done <- r
	}()
}

// dataArrived gives the engine the fetched images and the commands that
// waited for them. Without the images the worker cannot go on: it tells
// the page, which fails the run and starts a fresh worker on Reset.
func (w *worker) dataArrived(r loaded) {
	w.loading = nil
	held := w.held
	w.held = nil
	if r.err != nil {
		w.send(link.Error("could not load the MNIST images: " + r.err.Error()))
		return
	}
	w.lib.Test, w.lib.Train = r.test, r.train
	for _, c := range held {
		w.apply(c)
	}
}

// post sends the events gathered since the last post, or a heartbeat if
// there are none and the last message is runner.Heartbeat old.
func (w *worker) post() {
	if events := w.engine.TakeEvents(); len(events) > 0 {
		w.postEvents(events)
	} else if time.Since(w.lastPost) >= runner.Heartbeat {
		w.send(link.Alive)
	}
}

func (w *worker) postEvents(events []runner.Event) {
	b, err := runner.EncodeEvents(events)
	if err != nil {
		w.send(link.Error(err.Error()))
		return
	}
	link.Post(js.Global(), b)
	w.lastPost = time.Now()
}

// send posts a plain message to the page.
func (w *worker) send(message any) {
	js.Global().Call("postMessage", message)
	w.lastPost = time.Now()
}

// newYield returns a func that lets the event loop run (deliver the page's
// messages) and then resumes: a message to itself through a
// MessageChannel, which, unlike setTimeout, is not clamped to 4 ms.
func newYield() func() {
	channel := js.Global().Get("MessageChannel").New()
	resume := make(chan struct{}, 1)
	channel.Get("port1").Set("onmessage", js.FuncOf(func(js.Value, []js.Value) any {
		select {
		case resume <- struct{}{}:
		default:
		}
		return nil
	}))
	port := channel.Get("port2")
	return func() {
		port.Call("postMessage", js.Null())
		<-resume
	}
}
