package ui

import (
	"fmt"
	"runtime"
	"sync"
	"time"

	"convlab/ui/api"
	"convlab/ui/experiment"
	"convlab/ui/reportdata"
	"convlab/ui/runner"
	"convlab/ui/session"
	"convlab/ui/settings"
)

// reportJob is the experiment's report being written by the page (off
// its thread, see reportWriter), and the report() calls waiting for it.
type reportJob struct {
	name    string
	waiting []func(api.Result)

	mu      sync.Mutex // guards what follows, set by the writer's callback
	written bool
	page    []byte
	err     error
}

// startReport begins writing the experiment's report as the runs are
// now, or joins the report being written; once it is saved, done (if not
// nil) is answered with the file.
func (a *App) startReport(done func(api.Result)) {
	w, ok := a.host.(reportWriter)
	if !ok {
		a.report(errNoReports)
		if done != nil {
			a.answers = append(a.answers, func() { done(api.Failed(errNoReports)) })
		}
		return
	}
	if a.reporting == nil {
		now := time.Now()
		j := &reportJob{name: reportdata.FileName(now)}
		data, err := reportdata.Encode(a.reportData(now))
		if err != nil {
			j.finish(nil, err)
		} else {
			w.WriteReport(data, j.finish)
		}
		a.reporting = j
	}
	if done != nil {
		a.reporting.waiting = append(a.reporting.waiting, done)
	}
}

// finish records the written report, or why there is none.
func (j *reportJob) finish(page []byte, err error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.written, j.page, j.err = true, page, err
}

// tickReport, once the report is written, offers it as a file and readies
// the answers to the calls waiting for it.
func (a *App) tickReport() {
	j := a.reporting
	if j == nil {
		return
	}
	j.mu.Lock()
	written, page, err := j.written, j.page, j.err
	j.mu.Unlock()
	if !written {
		return
	}
	a.reporting = nil
	res := api.Result{OK: true, HTML: string(page)}
	if err != nil {
		err = fmt.Errorf("writing %s: %w", j.name, err)
		a.report(err)
		res = api.Failed(err)
	} else {
		a.host.Save(j.name, "text/html", page)
	}
	for _, w := range j.waiting {
		a.answers = append(a.answers, func() { w(res) })
	}
}

// takeAnswers returns the answers to report() calls readied since the
// last call, to be given once the frame is published.
func (a *App) takeAnswers() []func() {
	out := a.answers
	a.answers = nil
	return out
}

// reportData gathers what the report shows from the runs as they are
// now: settings, per-epoch metrics, t-SNE maps and each run's latest
// weights (the last epoch's, once it has finished). It shares the runs'
// data: encode it before the next tick.
func (a *App) reportData(now time.Time) reportdata.Report {
	commit := ""
	if h, ok := a.host.(stamped); ok {
		commit = h.Build()
	}
	r := reportdata.Report{Link: a.experimentLink(), Version: reportdata.Version(commit, runtime.Version()), Generated: now, ClassColours: classPalette()}
	if a.lib != nil {
		r.Examples = reportdata.Examples(a.lib.Test)
	}
	results := a.lab.Results()
	for i, run := range a.lab.Runs() {
		res := results[i]
		rr := reportdata.Run{Label: res.Label, Settings: res.Settings, State: res.State, History: res.History, WallSeconds: res.WallSeconds,
			Colour: runColour(i).rgba(), Model: run.Model, Network: run.Network(),
			WeightsFinal: run.Model == "" && run.State() == runner.Finished}
		if err := run.Err(); err != nil {
			rr.Error = err.Error()
		}
		if s := run.Settings(); a.lib != nil && run.Model == "" {
			rr.TrainIndices = reportdata.FirstPerClassIndices(a.lib.TrainCatalog, s.TrainPerClass)
			rr.TestIndices = reportdata.FirstPerClassIndices(a.lib.Test.Catalog(), s.TestPerClass)
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
func reportMap(m *session.Map) *reportdata.Map {
	if m == nil {
		return nil
	}
	return &reportdata.Map{Epoch: m.Epoch, Points: m.Points(), Labels: m.Labels, Predicted: m.Predicted,
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
