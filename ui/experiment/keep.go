package experiment

import (
	"fmt"

	"convlab/ui/record"
	"convlab/ui/session"
)

// Record writes the experiment down (record.Experiment): every run as its
// session records it, with the model file a run shows, and the run
// selected. It shares the sessions' slices; encode it at once.
func (l *Lab) Record() record.Experiment {
	x := record.Experiment{Selected: l.selected}
	for _, r := range l.runs {
		kept := r.Record()
		kept.Model = r.Model
		x.Runs = append(x.Runs, kept)
	}
	return x
}

// Restore replaces every run with those of experiment x, as they were
// recorded (see session.Restore: finished runs finished, runs that were
// training paused at their last finished epoch, and nothing training
// until asked), and selects x's selected run. On error every run is kept
// as it was and the error names the run at fault.
func (l *Lab) Restore(x record.Experiment) error {
	if len(x.Runs) == 0 || len(x.Runs) > MaxRuns {
		return fmt.Errorf("an experiment has 1 to %d runs, not %d", MaxRuns, len(x.Runs))
	}
	if x.Selected < 0 || x.Selected >= len(x.Runs) {
		return fmt.Errorf("run %d is selected, but there are %d runs", x.Selected, len(x.Runs))
	}
	runs := make([]*Run, 0, len(x.Runs))
	for i, kept := range x.Runs {
		sess, err := session.Restore(l.lib, l.backend(), kept)
		if err != nil {
			l.close(runs)
			return fmt.Errorf("run %d: %w", i+1, err)
		}
		runs = append(runs, &Run{Session: sess, ID: l.nextID(), Model: kept.Model})
	}
	l.close(l.runs)
	l.runs, l.selected = runs, x.Selected
	l.relabel()
	return nil
}
