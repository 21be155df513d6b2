package experiment

// Slot is one run as the queue sees it.
type Slot struct {
	Wanted  bool // the user has asked it to train and not paused it since
	Running bool // training now
	Done    bool // finished or failed: it will never train again
}

// Waiting reports whether the run is wanted but has no place to train yet.
func (s Slot) Waiting() bool { return s.Wanted && !s.Running && !s.Done }

// Concurrency is how many runs train at once on a machine with the given
// number of logical processors (navigator.hardwareConcurrency): one
// processor is left for the page, so drawing never competes with
// training, and at least one run trains. On a 2-core laptop the runs of
// a preset therefore train one after another, each at full speed, and a
// queue says which wait.
func Concurrency(processors int) int { return max(1, processors-1) }

// Admit returns the waiting runs that may start now, in order, as many as
// keep at most limit running (at least one place, whatever limit says).
func Admit(slots []Slot, limit int) []int {
	free := max(limit, 1)
	for _, s := range slots {
		if s.Running {
			free--
		}
	}
	var start []int
	for i, s := range slots {
		if free <= 0 {
			break
		}
		if s.Waiting() {
			start = append(start, i)
			free--
		}
	}
	return start
}
