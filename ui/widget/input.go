package widget

import (
	"maps"
	"slices"
)

// Pointer is the state of one pointing contact in one frame: the mouse or
// a finger. ID tells contacts apart across frames (for example a fixed ID
// for the mouse and the platform's touch IDs for fingers); Down reports
// whether the mouse button is held or the finger is on the screen.
type Pointer struct {
	X, Y float64
	Down bool
	ID   int
}

// EventKind says what happened to a pointer between two frames.
type EventKind int

// The kinds of Event.
const (
	Press   EventKind = iota + 1 // went down
	Move                         // moved while down
	Release                      // went up, or disappeared
)

// String returns the kind's name.
func (k EventKind) String() string {
	switch k {
	case Press:
		return "Press"
	case Move:
		return "Move"
	case Release:
		return "Release"
	}
	return "EventKind(?)"
}

// Event is a change of one pointer, at position X, Y.
type Event struct {
	Kind EventKind
	X, Y float64
	ID   int
}

// Tracker turns per-frame pointer states into Press, Move and Release
// events, so mouse and touch reach the widgets the same way. Its zero value
// is ready to use.
type Tracker struct {
	down map[int]Pointer // pointers that were down after the last Update
}

// Update takes every pointer known this frame and returns the events since
// the previous call, in the order of ps: Press when a pointer is down now
// but was not, Move when it stays down at a new position, Release when it
// was down and is now up. A pointer that was down and is missing from ps
// (a finger lifted: touch APIs stop listing it) is released at its last
// position, after the other events, in increasing ID order. Pointers that
// are up and were up (a hovering mouse) produce nothing. Only the first
// entry for an ID counts.
func (t *Tracker) Update(ps []Pointer) []Event {
	var events []Event
	next := make(map[int]Pointer, len(ps))
	seen := make(map[int]bool, len(ps))
	for _, p := range ps {
		if seen[p.ID] {
			continue
		}
		seen[p.ID] = true
		prev, was := t.down[p.ID]
		switch {
		case p.Down && !was:
			events = append(events, Event{Press, p.X, p.Y, p.ID})
		case p.Down && (p.X != prev.X || p.Y != prev.Y):
			events = append(events, Event{Move, p.X, p.Y, p.ID})
		case !p.Down && was:
			events = append(events, Event{Release, p.X, p.Y, p.ID})
		}
		if p.Down {
			next[p.ID] = p
		}
	}
	for _, id := range slices.Sorted(maps.Keys(t.down)) {
		if !seen[id] {
			p := t.down[id]
			events = append(events, Event{Release, p.X, p.Y, id})
		}
	}
	t.down = next
	return events
}

// press follows one pointer from press to release over a widget's hit
// targets (small integers, such as a segment's index; −1 means none).
type press struct {
	active bool
	id     int // pointer that pressed
	target int // target it pressed
}

// handle feeds one event in and returns the target clicked by it, or −1.
// A click needs press and release on the same target while enabled.
// Moving off the pressed target cancels the press for good, even if the
// pointer comes back. Other pointers are ignored while one is pressed.
func (p *press) handle(e Event, hit func(x, y float64) int, enabled bool) int {
	switch e.Kind {
	case Press:
		if !p.active && enabled {
			if t := hit(e.X, e.Y); t >= 0 {
				*p = press{active: true, id: e.ID, target: t}
			}
		}
	case Move:
		if p.active && e.ID == p.id && hit(e.X, e.Y) != p.target {
			p.active = false
		}
	case Release:
		if p.active && e.ID == p.id {
			p.active = false
			if enabled && hit(e.X, e.Y) == p.target {
				return p.target
			}
		}
	}
	return -1
}

// pressed returns the target held down now, or −1.
func (p *press) pressed() int {
	if p.active {
		return p.target
	}
	return -1
}
