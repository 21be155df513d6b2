package ui

import (
	"errors"
	"fmt"
	"strings"

	"convlab/ui/record"
)

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

// KeptVersions sums up each run as the page keeps it: its ID (as Kept
// gives them) and a line that changes whenever its record would, namely
// state|settings|model|epochs|maps|stall|error (session.Summary, with
// what the experiment knows), and the run selected; cheap enough for
// every few frames, where Kept copies the loss curves.
func (a *App) KeptVersions() (ids []int, versions []string, selected int) {
	for _, r := range a.lab.Runs() {
		ids = append(ids, r.ID)
		state, rest, _ := strings.Cut(r.Summary(), "|")
		versions = append(versions, state+"|"+r.Settings().Query().Encode()+"|"+r.Model+"|"+rest)
	}
	return ids, versions, a.lab.Selected()
}

// Notify shows msg in the banner, as the dashboard's own messages are.
func (a *App) Notify(msg string) { a.notices.add(msg) }
