package ui

import (
	"fmt"
	"runtime/debug"
	"slices"
	"time"

	"convlab/nn"
	"convlab/ui/api"
	"convlab/ui/experiment"
	"convlab/ui/report"
	"convlab/ui/session"
	"convlab/ui/settings"
)

// reportJob is the experiment's report being written a step per Update
// (report.Builder: under WebAssembly the whole report takes more than a
// frame), and the report() calls waiting for it.
type reportJob struct {
	builder *report.Builder
	name    string
	waiting []func(api.Result)
}

// startReport begins writing the experiment's report as the runs are
// now, or joins the report being written; once it is saved, done (if not
// nil) is answered with the file.
func (a *App) startReport(done func(api.Result)) {
	if a.host == nil {
		a.report(errNoHost)
		if done != nil {
			a.answers = append(a.answers, func() { done(api.Failed(errNoHost)) })
		}
		return
	}
	if a.reporting == nil {
		now := time.Now()
		a.reporting = &reportJob{builder: report.NewBuilder(a.reportData(now)), name: report.FileName(now)}
	}
	if done != nil {
		a.reporting.waiting = append(a.reporting.waiting, done)
	}
}

// tickReport takes the report's next step, and once it is written offers
// it as a file and readies the answers to the calls waiting for it.
func (a *App) tickReport() {
	j := a.reporting
	if j == nil || !j.builder.Step() {
		return
	}
	a.reporting = nil
	page, err := j.builder.Result()
	res := api.Result{OK: true, HTML: string(page)}
	if err != nil {
		err = fmt.Errorf("saving %s: %w", j.name, err)
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
// weights (the last epoch's, once it has finished).
func (a *App) reportData(now time.Time) report.Report {
	info, _ := debug.ReadBuildInfo()
	commit := ""
	if h, ok := a.host.(stamped); ok {
		commit = h.Build()
	}
	r := report.Report{Link: a.experimentLink(), Version: report.Version(info, commit), Generated: now, ClassColours: classPalette()}
	if a.lib != nil {
		r.Examples = report.Examples(a.lib.Test)
	}
	results := a.lab.Results()
	for i, run := range a.lab.Runs() {
		rr := report.Run{Result: results[i], Colour: runColour(i).rgba(), Model: run.Model, Network: cloneNetwork(run.Network()),
			WeightsFinal: run.Model == "" && run.State() == session.Finished}
		rr.History = slices.Clip(rr.History) // it only grows: capped, the epochs so far stay as they are
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

// cloneNetwork copies a network's weights, which the report reads over
// several frames while training may go on.
func cloneNetwork(n *nn.Network) *nn.Network {
	c := nn.NewHomework(0)
	dst := c.Params()
	for i, p := range n.Params() {
		copy(dst[i].Value, p.Value)
	}
	return c
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
