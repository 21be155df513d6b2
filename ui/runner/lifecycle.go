package runner

// Lifecycle is a run's state machine, the one place its transitions are
// written:
//
//	Idle or Paused  ──Start──▶  Running
//	Running         ──Pause──▶  Paused
//	Idle or Paused  ──Step───▶  Paused, stepping  ──its mini-batch done──▶  Paused
//	Running or stepping  ──the last epoch's end──▶  Finished
//	any             ──a failure──▶  Failed
//
// Configure and Cancel replace the run, and with it its Lifecycle (the
// zero value is Idle); Restore replaces it with one that stands Paused
// at an epoch's end, or Finished after the last (Restored). A command that makes no sense in the state (Start
// when finished, Step while running) does nothing.
//
// The Engine that trains a run keeps the Lifecycle that decides, and
// announces every change as a StateChanged event. A session keeps one
// that follows it: it applies each command it sends at once, by the same
// rules as the engine on its arrival (so the dashboard shows a click's
// effect in that frame), and takes the run's own transitions — a step's
// end, finishing, failing — from the events (Follow). Everything else
// reads the session's.
type Lifecycle struct {
	state    State
	stepping bool
}

// State returns where the run is.
func (l Lifecycle) State() State { return l.state }

// Stepping reports whether a Step is under way (the state is then Paused).
func (l Lifecycle) Stepping() bool { return l.stepping }

// Busy reports whether the run has training to do: it is running, or a
// step is under way.
func (l Lifecycle) Busy() bool { return l.state == Running || l.stepping }

// Ended reports whether the run is over for good: finished or failed.
func (l Lifecycle) Ended() bool { return l.state == Finished || l.state == Failed }

// Apply makes the transition that command c asks for and reports whether
// it changed anything. Start, Pause and Step are the commands that move a
// run; Apply ignores the others.
func (l *Lifecycle) Apply(c Command) bool {
	idleOrPaused := l.state == Idle || l.state == Paused
	switch c.(type) {
	case Start:
		if idleOrPaused {
			l.state, l.stepping = Running, false
			return true
		}
	case Pause:
		if l.state == Running {
			l.state = Paused
			return true
		}
	case Step:
		if idleOrPaused {
			l.state, l.stepping = Paused, true
			return true
		}
	}
	return false
}

// Allows reports whether command c would move the run (see Apply), without
// moving it: what a button or a script's call may offer.
func (l Lifecycle) Allows(c Command) bool { return l.Apply(c) }

// StepDone ends a step once its mini-batch is trained; it reports whether
// a step was under way.
func (l *Lifecycle) StepDone() bool {
	was := l.stepping
	l.stepping = false
	return was
}

// Restored sets up the Lifecycle of a run brought back at an epoch's end
// (see Restore): Paused there, or Finished if that epoch was the last.
func (l *Lifecycle) Restored(finished bool) {
	l.state, l.stepping = Paused, false
	if finished {
		l.state = Finished
	}
}

// Finish records that the last epoch has ended.
func (l *Lifecycle) Finish() { l.state, l.stepping = Finished, false }

// Fail records that the run cannot go on.
func (l *Lifecycle) Fail() { l.state, l.stepping = Failed, false }

// Follow takes the run's own transitions from an event of the Lifecycle
// that decides: finishing, failing, and the end of a step. The states a
// command leads to (Running, Paused, Idle) are the follower's to apply
// when it sends the command; their events confirm what it already shows,
// in order, so Follow leaves them be.
func (l *Lifecycle) Follow(ev StateChanged) {
	switch ev.State {
	case Finished:
		l.Finish()
	case Failed:
		l.Fail()
	case Paused:
		if l.state == Paused {
			l.stepping = ev.Stepping
		}
	}
}
