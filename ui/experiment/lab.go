package experiment

import (
	"errors"
	"fmt"
	"time"

	"convlab/nn"
	"convlab/ui/runner"
	"convlab/ui/session"
	"convlab/ui/settings"
)

// NewBackend makes the backend of a run's session: in the browser a Web
// Worker of its own, or the page's thread where workers are missing.
type NewBackend func() runner.Backend

// Run is one run of an experiment.
type Run struct {
	*session.Session
	ID    int    // numbers the runs a Lab has made: a reset run gets a new one
	Label string // what sets it apart from the other runs
	Model string // the model file it shows, for a run loaded from one
	// wanted is the user's wish, not the run's state: they asked it to
	// train and have not paused it since. Where the run is, its session
	// says (runner.Lifecycle); the queue reads both (Slot).
	wanted bool
}

// Queued reports whether the run waits for a place to train.
func (r *Run) Queued() bool { return r.slot().Waiting() }

// StateName names the run's state as status() and the results table do:
// the session's state, or "queued" while it waits for a place.
func (r *Run) StateName() string {
	if r.Queued() {
		return "queued"
	}
	return r.State().String()
}

func (r *Run) slot() Slot {
	return Slot{Wanted: r.wanted, Running: r.State() == runner.Running, Done: r.Ended()}
}

// Lab holds the runs of an experiment, which one is selected, and how many
// may train at once.
type Lab struct {
	runs     []*Run
	selected int
	limit    int
	lib      *runner.Library
	backend  NewBackend
	lastID   int
}

// NewLab sets up an experiment of the given runs (at least one, at most
// MaxRuns), of which at most limit train at once, each run's session
// taking its data from lib and training through a backend of its own.
func NewLab(runs []settings.Settings, limit int, lib *runner.Library, newBackend NewBackend) (*Lab, error) {
	l := &Lab{limit: max(limit, 1), lib: lib, backend: newBackend}
	if err := l.Replace(runs); err != nil {
		return nil, err
	}
	return l, nil
}

// Runs returns the runs, in order (shared; do not modify the slice).
func (l *Lab) Runs() []*Run { return l.runs }

// Selected returns the index of the selected run.
func (l *Lab) Selected() int { return l.selected }

// SelectedRun returns the selected run.
func (l *Lab) SelectedRun() *Run { return l.runs[l.selected] }

// Limit is how many runs may train at once.
func (l *Lab) Limit() int { return l.limit }

// Select makes run i the one the insight panels and the pad show.
func (l *Lab) Select(i int) error {
	if i < 0 || i >= len(l.runs) {
		return fmt.Errorf("there is no run %d; runs are numbered 0 to %d", i, len(l.runs)-1)
	}
	l.selected = i
	return nil
}

// Settings returns every run's settings, in order.
func (l *Lab) Settings() []settings.Settings {
	out := make([]settings.Settings, len(l.runs))
	for i, r := range l.runs {
		out[i] = r.Settings()
	}
	return out
}

// Replace discards every run and sets up new ones (a preset, or a link's
// runs), selecting the first. On error the runs are kept.
func (l *Lab) Replace(list []settings.Settings) error {
	if len(list) == 0 || len(list) > MaxRuns {
		return fmt.Errorf("an experiment has 1 to %d runs, not %d", MaxRuns, len(list))
	}
	runs := make([]*Run, len(list))
	for i, s := range list {
		sess, err := l.newRun(s)
		if err != nil {
			return fmt.Errorf("run %d: %w", i+1, err)
		}
		runs[i] = &Run{Session: sess, ID: l.nextID()}
	}
	l.close(l.runs)
	l.runs, l.selected = runs, 0
	l.relabel()
	return nil
}

// Add appends a run with settings s and selects it.
func (l *Lab) Add(s settings.Settings) error {
	if len(l.runs) >= MaxRuns {
		return fmt.Errorf("an experiment holds at most %d runs; remove one first", MaxRuns)
	}
	sess, err := l.newRun(s)
	if err != nil {
		return err
	}
	l.runs = append(l.runs, &Run{Session: sess, ID: l.nextID()})
	l.selected = len(l.runs) - 1
	l.relabel()
	return nil
}

// Remove discards run i; the last run cannot be removed.
func (l *Lab) Remove(i int) error {
	if i < 0 || i >= len(l.runs) {
		return fmt.Errorf("there is no run %d", i)
	}
	if len(l.runs) == 1 {
		return errors.New("an experiment needs at least one run")
	}
	l.close(l.runs[i : i+1])
	l.runs = append(l.runs[:i], l.runs[i+1:]...)
	if l.selected >= i && l.selected > 0 {
		l.selected--
	}
	l.relabel()
	return nil
}

// Reset starts run i over with settings s, idle.
func (l *Lab) Reset(i int, s settings.Settings) error {
	if i < 0 || i >= len(l.runs) {
		return fmt.Errorf("there is no run %d", i)
	}
	if err := l.runs[i].Reset(s); err != nil {
		return err
	}
	l.runs[i].wanted = false
	l.runs[i].ID = l.nextID()
	l.relabel()
	return nil
}

// Base is the settings a comparison starts from: the selected run's, or
// for a run loaded from a model file (whose settings are only the
// defaults) the first trained run's.
func (l *Lab) Base() settings.Settings {
	if r := l.SelectedRun(); r.Model == "" {
		return r.Settings()
	}
	for _, r := range l.runs {
		if r.Model == "" {
			return r.Settings()
		}
	}
	return settings.Defaults()
}

// Compare sets up preset p on base: its runs replace the experiment's,
// except that the epochs preset keeps the selected run (with what it has
// trained) as the earlier run its long run is compared against. The
// run selected is the preset's Show, or for epochs the long run.
func (l *Lab) Compare(p Preset, base settings.Settings) error {
	if p.Key != "epochs" {
		if err := l.Replace(p.Runs(base)); err != nil {
			return err
		}
		return l.Select(p.Show)
	}
	keep := l.SelectedRun()
	var others []*Run
	for _, r := range l.runs {
		if r != keep {
			others = append(others, r)
		}
	}
	l.runs, l.selected = []*Run{keep}, 0
	if err := l.Add(p.Runs(base)[0]); err != nil {
		l.runs = append(l.runs, others...)
		return err
	}
	l.close(others)
	return nil
}

// newRun makes the session of a new run with settings s.
func (l *Lab) newRun(s settings.Settings) (*session.Session, error) {
	return session.New(l.lib, l.backend(), s)
}

func (l *Lab) nextID() int {
	l.lastID++
	return l.lastID
}

// Start asks run i to train; it starts as soon as a place is free.
func (l *Lab) Start(i int) { l.runs[i].wanted = true }

// Pause pauses run i, or takes it out of the queue.
func (l *Lab) Pause(i int) {
	l.runs[i].wanted = false
	l.runs[i].Pause()
}

// StartAll asks every run that can still train to train.
func (l *Lab) StartAll() {
	for i := range l.runs {
		l.Start(i)
	}
}

// PauseAll pauses every run.
func (l *Lab) PauseAll() {
	for i := range l.runs {
		l.Pause(i)
	}
}

// CanTrain reports whether any run has yet to finish or fail.
func (l *Lab) CanTrain() bool {
	for _, r := range l.runs {
		if !r.slot().Done {
			return true
		}
	}
	return false
}

// Training reports whether any run is training or queued.
func (l *Lab) Training() bool {
	for _, r := range l.runs {
		if s := r.slot(); s.Running || s.Waiting() {
			return true
		}
	}
	return false
}

// Tick starts queued runs where places are free, then gives every run its
// tick: runs training on the page's thread share budget between them, a
// run in a worker takes in what its worker has sent.
func (l *Lab) Tick(budget time.Duration) {
	slots := make([]Slot, len(l.runs))
	for i, r := range l.runs {
		slots[i] = r.slot()
	}
	for _, i := range Admit(slots, l.limit) {
		l.runs[i].Start()
	}
	running := 0
	for _, r := range l.runs {
		if r.State() == runner.Running {
			running++
		}
	}
	share := budget / time.Duration(max(running, 1))
	for _, r := range l.runs {
		r.Tick(share)
	}
}

// Results returns what the results table and the CSV show of each run.
func (l *Lab) Results() []Result {
	out := make([]Result, len(l.runs))
	for i, r := range l.runs {
		out[i] = Result{Label: r.Label, Settings: r.Settings(), State: r.StateName(), History: r.History(),
			WallSeconds: r.Elapsed().Seconds(), ImagesPerSecond: r.ImagesPerSecond()}
	}
	return out
}

func (l *Lab) relabel() {
	labels := Labels(l.Settings())
	for i, r := range l.runs {
		r.Label = labels[i]
		if r.Model != "" {
			r.Label = "model " + r.Model
		}
	}
}

// AddModel adds a run that shows net, a model loaded from the file name,
// and selects it. It trains no further.
func (l *Lab) AddModel(net *nn.Network, name string) error {
	if err := l.Add(settings.Defaults()); err != nil {
		return err
	}
	r := l.runs[len(l.runs)-1]
	if err := r.Adopt(net); err != nil {
		_ = l.Remove(len(l.runs) - 1)
		return err
	}
	r.Model = name
	l.relabel()
	return nil
}

// close releases the sessions of runs that are discarded (a run training
// in a worker ends it).
func (l *Lab) close(runs []*Run) {
	for _, r := range runs {
		if c, ok := any(r.Session).(interface{ Close() }); ok {
			c.Close()
		}
	}
}
