package ui

import (
	"errors"
	"fmt"
	"time"

	"convlab/ui/record"
	"convlab/ui/settings"
)

// experimentFile writes the whole experiment as one file (see package
// record): what Save experiment downloads and experiment() returns.
func (a *App) experimentFile() ([]byte, error) {
	return record.EncodeExperiment(a.lab.Record()), nil
}

// experimentFileName names an experiment file saved at t, so that files
// saved one after another sort by time and do not overwrite each other.
func experimentFileName(t time.Time) string {
	return "convlab-experiment-" + t.Format("2006-01-02-150405") + ".json"
}

// loadExperiment replaces the runs with those of an experiment file's
// text (see experiment.Lab.Restore): shown at once as they were saved,
// nothing training. name says where the text came from. A file that is
// not a sound experiment changes nothing; the error, shown as a message
// too, names what is wrong. An experiment whose runs use MNIST's full
// files waits for them to download first (withData).
func (a *App) loadExperiment(text, name string) error {
	x, err := record.DecodeExperiment([]byte(text))
	if err != nil {
		err = fmt.Errorf("%s is not a ConvLab experiment that can be opened: %w", name, err)
		a.notices.add(err.Error())
		return err
	}
	return a.Restore(x, name)
}

// Restore shows experiment x, from name, as loadExperiment shows a file's
// (the page restores what it kept in the browser with it).
func (a *App) Restore(x record.Experiment, name string) error {
	if len(x.Runs) == 0 {
		return fmt.Errorf("%s holds no runs", name)
	}
	need := x.Runs[0].Settings
	for _, r := range x.Runs {
		if r.Settings.NeedsFullSet() {
			need = r.Settings
		}
	}
	err := a.withData(need, func() error {
		if err := a.lab.Restore(x); err != nil {
			return fmt.Errorf("opening the experiment in %s: %w", name, err)
		}
		a.afresh()
		return nil
	})
	if err != nil && !errors.Is(err, errFullSetDownloading) {
		a.notices.add(err.Error())
	}
	return err
}

// clearExperiment starts a new experiment: one idle run with the default
// settings, every other run discarded.
func (a *App) clearExperiment() error {
	if err := a.lab.Replace([]settings.Settings{settings.Defaults()}); err != nil {
		a.notices.add(err.Error())
		return err
	}
	a.afresh()
	return nil
}

// afresh shows the first test image of the new runs' selected run, and no
// message about runs that are gone.
func (a *App) afresh() {
	a.image.index = 0
	a.notices.clear()
	a.thumbs.load(a.selectedRun())
}

// Kept is the experiment as the page keeps it in the browser: its record
// (sharing the sessions' slices, see experiment.Lab.Record) and each
// run's ID, in order; a run's ID changes when it is reset, so a run kept
// under one ID is the same run as long as the ID stays.
func (a *App) Kept() (record.Experiment, []int) {
	ids := make([]int, 0, len(a.lab.Runs()))
	for _, r := range a.lab.Runs() {
		ids = append(ids, r.ID)
	}
	return a.lab.Record(), ids
}

// Notify shows msg in the banner, as the dashboard's own messages are.
func (a *App) Notify(msg string) { a.notices.add(msg) }
