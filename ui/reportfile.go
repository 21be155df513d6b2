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

// reports writes the experiment's homework report on request, one at a
// time, and keeps the answers for the report() calls waiting for it. The
// App holds one; it reads the runs from the lab and writes through the
// host it is given, and tells the user of a failure with notify.
type reports struct {
	lib     *runner.Library // the bundled MNIST sets, for the report's images
	lab     *experiment.Lab
	notify  func(error) // shows a failure as a message
	job     *reportJob  // the report being written, or nil
	answers []func()    // report() calls to answer after this frame
}

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
func (r *reports) start(host Host, done func(api.Result)) {
	w, ok := host.(reportWriter)
	if !ok {
		r.notify(errNoReports)
		if done != nil {
			r.answers = append(r.answers, func() { done(api.Failed(errNoReports)) })
		}
		return
	}
	if r.job == nil {
		now := time.Now()
		j := &reportJob{name: reportdata.FileName(now)}
		data, err := reportdata.Encode(r.data(host, now))
		if err != nil {
			j.finish(nil, err)
		} else {
			w.WriteReport(data, j.finish)
		}
		r.job = j
	}
	if done != nil {
		r.job.waiting = append(r.job.waiting, done)
	}
}

// finish records the written report, or why there is none.
func (j *reportJob) finish(page []byte, err error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.written, j.page, j.err = true, page, err
}

// tick, once the report is written, offers it as a file through host and
// readies the answers to the calls waiting for it.
func (r *reports) tick(host Host) {
	j := r.job
	if j == nil {
		return
	}
	j.mu.Lock()
	written, page, err := j.written, j.page, j.err
	j.mu.Unlock()
	if !written {
		return
	}
	r.job = nil
	res := api.Result{OK: true, HTML: string(page)}
	if err != nil {
		err = fmt.Errorf("writing %s: %w", j.name, err)
		r.notify(err)
		res = api.Failed(err)
	} else {
		host.Save(j.name, "text/html", page)
	}
	for _, w := range j.waiting {
		r.answers = append(r.answers, func() { w(res) })
	}
}

// takeAnswers returns the answers to report() calls readied since the
// last call, to be given once the frame is published.
func (r *reports) takeAnswers() []func() {
	out := r.answers
	r.answers = nil
	return out
}

// data gathers what the report shows from the runs as they are
// now: settings, per-epoch metrics, t-SNE maps and each run's latest
// weights (the last epoch's, once it has finished). It shares the runs'
// data: encode it before the next tick.
func (r *reports) data(host Host, now time.Time) reportdata.Report {
	commit := ""
	if h, ok := host.(stamped); ok {
		commit = h.Build()
	}
	out := reportdata.Report{Link: experimentLink(r.lab, host), Version: reportdata.Version(commit, runtime.Version()), Generated: now, ClassColours: classPalette()}
	if r.lib != nil {
		out.Examples = reportdata.Examples(r.lib.Test)
	}
	results := r.lab.Results()
	for i, run := range r.lab.Runs() {
		res := results[i]
		rr := reportdata.Run{Label: res.Label, Settings: res.Settings, State: res.State, History: res.History, WallSeconds: res.WallSeconds,
			Colour: runColour(i).rgba(), Model: run.Model, Network: run.Network(),
			WeightsFinal: run.Model == "" && run.State() == runner.Finished}
		if err := run.Err(); err != nil {
			rr.Error = err.Error()
		}
		if s := run.Settings(); r.lib != nil && run.Model == "" {
			rr.TrainIndices = reportdata.FirstPerClassIndices(r.lib.TrainCatalog, s.TrainPerClass)
			rr.TestIndices = reportdata.FirstPerClassIndices(r.lib.Test.Catalog(), s.TestPerClass)
		}
		first, last := run.Maps()
		rr.First, rr.Last = reportMap(first), reportMap(last)
		if first == last {
			rr.Last = rr.First // a one-epoch run's first map is its last
		}
		out.Runs = append(out.Runs, rr)
	}
	return out
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
func experimentLink(lab *experiment.Lab, host Host) string {
	var runs []settings.Settings
	for _, r := range lab.Runs() {
		if r.Model == "" {
			runs = append(runs, r.Settings())
		}
	}
	link := "?" + experiment.Query(runs).Encode()
	if h, ok := host.(addressed); ok {
		link = h.Address() + link
	}
	return link
}
