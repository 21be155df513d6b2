//go:build js && wasm

package main

import (
	"fmt"
	"syscall/js"
	"time"

	"convlab/ui/runner"
	"convlab/wasm/link"
)

// workerConn is one training worker as the page sees it: the Worker, its
// message and error handlers, what it posted since the last look, and a
// watchdog on its silence. The worker program and the messages are
// described in wasm/worker and package link.
type workerConn struct {
	worker    js.Value
	listeners []listener
	watchdog  *runner.Watchdog

	ready   bool     // the worker program listens for commands
	arrived [][]byte // event batches not yet taken
	failed  string   // why the worker cannot go on; "" while it works

	started js.Value // performance.now() when it was started
	heard   bool     // an event batch has arrived
}

// The worker's start-up in the browser's performance timeline (User
// Timing, shown by its developer tools and read by the browser tests):
// from the Worker's creation until its program listens for commands, and
// until its first events, which follow its first run's data and set-up.
const (
	measureReady       = "convlab: training worker ready"
	measureFirstEvents = "convlab: training worker's first events"
)

// measure adds a User Timing measure from the worker's start until now.
func (c *workerConn) measure(name string) {
	perf := js.Global().Get("performance")
	perf.Call("measure", name, map[string]any{"start": c.started, "end": perf.Call("now")})
}

// startWorker starts worker.js in a new Worker and hands it the compiled
// worker program (module) and the test-only fault ("" for none).
func startWorker(module js.Value, fault string) (c *workerConn, err error) {
	defer func() {
		if r := recover(); r != nil { // new Worker throws where workers are forbidden
			c, err = nil, fmt.Errorf("cannot start a Web Worker: %v", r)
		}
	}()
	c = &workerConn{started: js.Global().Get("performance").Call("now"), worker: js.Global().Get("Worker").New("worker.js")}
	c.listen("message", func(e js.Value) { c.message(e.Get("data")) })
	c.listen("error", func(e js.Value) {
		e.Call("preventDefault") // reported as the run's failure, not as an uncaught error
		msg := "the worker script failed"
		if m := e.Get("message"); m.Type() == js.TypeString && m.String() != "" {
			msg = m.String()
		}
		c.fail(msg)
	})
	c.worker.Call("postMessage", map[string]any{"module": module, "fault": fault})
	c.watchdog = runner.NewWatchdog(runner.SilenceLimit, time.Now())
	return c, nil
}

// listener is an event handler installed on the Worker.
type listener struct {
	event string
	f     js.Func
}

func (c *workerConn) listen(event string, handle func(js.Value)) {
	f := js.FuncOf(func(_ js.Value, args []js.Value) any {
		handle(args[0])
		return nil
	})
	c.listeners = append(c.listeners, listener{event, f})
	c.worker.Call("addEventListener", event, f)
}

// message takes one message from the worker; every message shows it alive.
func (c *workerConn) message(data js.Value) {
	c.watchdog.Heard(time.Now())
	switch {
	case data.Type() == js.TypeString && data.String() == link.Ready:
		c.ready = true
		c.measure(measureReady)
	case data.Type() == js.TypeString && data.String() == link.Alive:
	case data.InstanceOf(js.Global().Get("ArrayBuffer")):
		c.arrived = append(c.arrived, link.BytesOf(data))
		if !c.heard {
			c.heard = true
			c.measure(measureFirstEvents)
		}
	default:
		if text, ok := link.ErrorText(data); ok {
			c.fail(text)
		}
	}
}

// fail records the first reason the worker cannot go on.
func (c *workerConn) fail(reason string) {
	if c.failed == "" {
		c.failed = reason
	}
}

// check fails a worker that has been silent for longer than
// runner.SilenceLimit.
func (c *workerConn) check(now time.Time) {
	if silence, over := c.watchdog.Silent(now); over && c.failed == "" {
		c.fail(fmt.Sprintf("it has not answered for %.0f s (it closed itself, or hangs)", silence.Seconds()))
	}
}

// send posts a command to the worker (worker.js queues those that arrive
// while the program starts).
func (c *workerConn) send(cmd runner.Command) {
	wire, err := runner.EncodeCommand(cmd)
	if err != nil {
		c.fail(err.Error())
		return
	}
	link.Post(c.worker, wire)
}

// take returns the event batches that arrived since the last call.
func (c *workerConn) take() [][]byte {
	batches := c.arrived
	c.arrived = nil
	return batches
}

// close ends the worker, whatever it is doing, and removes and releases
// the handlers, so no message still queued reaches a released func.
func (c *workerConn) close() {
	c.worker.Call("terminate")
	for _, l := range c.listeners {
		c.worker.Call("removeEventListener", l.event, l.f)
		l.f.Release()
	}
	c.listeners = nil
}
