package runner

import "time"

// Where a run trains, as Backend.Where reports it.
const (
	InWorker = "worker" // a Web Worker of its own
	InPage   = "page"   // the caller's thread (the page's, in the browser), time-sliced
)

// Backend drives one run wherever it trains. A session sends it commands
// and polls it once a frame for events; it never blocks for long.
type Backend interface {
	// Send passes a command to the run.
	Send(Command)
	// Poll returns the events that arrived since the last call, in order.
	// A backend that trains on the caller's thread first trains for up to
	// budget (at least one unit of work, if the run is running or
	// stepping); one whose run trains elsewhere ignores budget.
	Poll(budget time.Duration) []Event
	// Where says where the run trains: InWorker or InPage.
	Where() string
	// Close discards the run and frees what the backend holds.
	Close()
}

// Local trains on the caller's thread, time-sliced by Poll's budget: the
// fallback where Web Workers are unavailable, and the backend of native
// tests.
type Local struct {
	engine *Engine
}

// NewLocal returns a backend that trains on the caller's thread with data
// from lib.
func NewLocal(lib *Library) *Local { return &Local{engine: NewEngine(lib)} }

// Send applies the command at once.
func (l *Local) Send(c Command) { l.engine.Handle(c) }

// Poll trains for up to budget if the run is running or stepping, and
// returns the events since the last call.
func (l *Local) Poll(budget time.Duration) []Event {
	l.engine.Work(budget)
	return l.engine.TakeEvents()
}

// Where reports InPage.
func (l *Local) Where() string { return InPage }

// Close discards the run.
func (l *Local) Close() {
	l.engine.Handle(Cancel{})
	l.engine.TakeEvents()
}
