package ui

import (
	"runtime/debug"
	"time"

	"convlab/ui/experiment"
	"convlab/ui/report"
	"convlab/ui/session"
	"convlab/ui/settings"
)

// saveReport builds the experiment's homework report (package report)
// and offers it as a file; it returns the file for report().
func (a *App) saveReport() ([]byte, error) {
	now := time.Now()
	var page []byte
	err := a.save(report.FileName(now), "text/html", func() ([]byte, error) {
		var err error
		page, err = report.Build(a.reportData(now))
		return page, err
	})
	return page, err
}

// reportData gathers what the report shows from the runs as they are
// now: settings, per-epoch metrics, t-SNE maps and each run's latest
// weights (the last epoch's, once it has finished).
func (a *App) reportData(now time.Time) report.Report {
	info, _ := debug.ReadBuildInfo()
	r := report.Report{Link: a.experimentLink(), Version: report.Version(info), Generated: now, ClassColours: classPalette()}
	if a.lib != nil {
		r.Examples = report.Examples(a.lib.Test)
	}
	results := a.lab.Results()
	for i, run := range a.lab.Runs() {
		rr := report.Run{Result: results[i], Colour: runColour(i).rgba(), Model: run.Model, Network: run.Network(),
			WeightsFinal: run.Model == "" && run.State() == session.Finished}
		if err := run.Err(); err != nil {
			rr.Error = err.Error()
		}
		if s := run.Settings(); a.lib != nil && run.Model == "" {
			rr.TrainIndices = report.FirstPerClassIndices(a.lib.Train, s.TrainPerClass)
			rr.TestIndices = report.FirstPerClassIndices(a.lib.Test, s.TestPerClass)
		}
		first, last := run.Maps()
		rr.First, rr.Last = reportMap(first), reportMap(last)
		if first == last {
			rr.Last = rr.First // a one-epoch run's first map is its last
		}
		r.Runs = append(r.Runs, rr)
	}
	return r
}

// reportMap copies a t-SNE map as it stands, or returns nil for none.
func reportMap(m *session.Map) *report.Map {
	if m == nil {
		return nil
	}
	return &report.Map{Epoch: m.Epoch, Points: m.Points(), Labels: m.Labels, Predicted: m.Predicted,
		Settled: m.Done(), Iteration: m.Iteration()}
}

// experimentLink is the address that sets the experiment's trained runs
// up again (experiment.Query): the page's address with their query, as
// the address bar shows it.
func (a *App) experimentLink() string {
	var runs []settings.Settings
	for _, r := range a.lab.Runs() {
		if r.Model == "" {
			runs = append(runs, r.Settings())
		}
	}
	link := "?" + experiment.Query(runs).Encode()
	if h, ok := a.host.(addressed); ok {
		link = h.Address() + link
	}
	return link
}
