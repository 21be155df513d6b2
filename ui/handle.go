package ui

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"convlab/nn"
	"convlab/ui/api"
	"convlab/ui/experiment"
	"convlab/ui/ink"
	"convlab/ui/runner"
	"convlab/ui/settings"
)

// Handle is the dashboard as the page's script sees it through
// window.convlab (package api): an App, with the calls that change it
// queued for its next frame and a snapshot published after each frame
// for the calls that read.
//
// The script reaches the Handle from JavaScript callbacks, which may run
// between frames or while a frame waits (ebiten runs each frame in a
// goroutine of its own). So a call never touches the App directly: one
// that changes it is queued (Post) and applied at the start of the next
// Update, before the panels' turn, and one that reads answers from what
// the last Update published (Status, Classify, Model). The locks are held
// only for a copy or a prediction, never across anything that could wait,
// so a callback never waits for a frame.
type Handle struct {
	app       *App
	requests  requestQueue
	published published
	pointers  *ink.Queue   // the page's pointer samples, in CSS pixels; nil: the pad draws from the screen's
	samples   []ink.Sample // scratch for the samples taken each frame
}

// NewHandle returns the handle of app.
func NewHandle(app *App) *Handle {
	h := &Handle{app: app}
	h.publish()
	return h
}

// DrawFrom makes the pad draw from the samples the page pushes into q,
// in CSS pixels from the canvas's top-left corner, instead of from the
// positions the screen reads once per frame: each Update takes them all
// and converts them to logical units with the App's CSS scale. Call it
// before the first Update.
func (h *Handle) DrawFrom(q *ink.Queue) { h.pointers = q }

// Request is a call that changes the dashboard (see package api), queued
// by Post for the next Update.
type Request struct {
	Call  api.Call
	Query url.Values          // start's and addRun's settings, nil for none
	Text  string              // compare's preset, loadModel's and loadExperiment's file text
	Name  string              // loadModel, loadExperiment: where the file came from, for the run's label or a message
	Index int                 // the run of selectRun and selectEpoch
	Epoch int                 // selectEpoch's epoch, 0 for live
	View  api.GradientRequest // gradients' view and target
	Done  func(api.Result)    // receives the outcome, once the frame that applied it is published
}

// maxRequests bounds the calls waiting for the next frame, so that a
// script in a loop cannot pile up work without end.
const maxRequests = 64

// requestQueue holds the calls waiting for the next Update.
type requestQueue struct {
	mu   sync.Mutex
	list []Request
}

// Post queues r for the next Update. It is safe from any goroutine; when
// maxRequests calls are waiting already it refuses with api.ErrBusy.
func (h *Handle) Post(r Request) error {
	q := &h.requests
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.list) >= maxRequests {
		return api.ErrBusy
	}
	q.list = append(q.list, r)
	return nil
}

// take empties the queue and returns what it held.
func (q *requestQueue) take() []Request {
	q.mu.Lock()
	defer q.mu.Unlock()
	list := q.list
	q.list = nil
	return list
}

// Update applies the queued calls, runs the App's frame, publishes the
// snapshot, and then answers the calls.
func (h *Handle) Update(in Input) {
	if h.pointers != nil {
		in.Ink = h.takeSamples()
	}
	var replies []func()
	for _, r := range h.requests.take() {
		if r.Call == api.CallReport { // answered by the frame that saves it
			h.app.reports.start(h.app.host, r.Done)
			continue
		}
		res := h.serve(r)
		if r.Done != nil {
			replies = append(replies, func() { r.Done(res) })
		}
	}
	h.app.Update(in)
	h.publish()
	replies = append(replies, h.app.reports.takeAnswers()...)
	for _, reply := range replies {
		reply()
	}
}

// takeSamples returns the page's samples since the last frame, in
// logical units.
func (h *Handle) takeSamples() []ink.Sample {
	h.samples = h.pointers.Take(h.samples[:0])
	k := h.app.cssScale
	for i := range h.samples {
		h.samples[i].X /= k
		h.samples[i].Y /= k
	}
	return h.samples
}

// Draw draws the App; after its first frame, status() says it is ready.
func (h *Handle) Draw(c Canvas) {
	first := !h.app.drawn
	h.app.Draw(c)
	if first {
		h.publish()
	}
}

// Resize lays the App out for a window of width×height CSS pixels and returns the
// CSS pixels per logical unit (see App.Resize).
func (h *Handle) Resize(width, height float64) float64 { return h.app.Resize(width, height) }

// serve applies one call to the App's selected run.
func (h *Handle) serve(r Request) api.Result {
	a := h.app
	sess := a.selectedSession()
	switch r.Call {
	case api.CallStart:
		if r.Query != nil {
			s, problems := settings.Apply(sess.Settings(), r.Query)
			if len(problems) > 0 {
				return api.Failed(joinProblems(problems))
			}
			if err := a.reset(s); err != nil {
				return api.Failed(err)
			}
		}
		if !a.lab.CanTrain() {
			return api.Failed(fmt.Errorf("every run has finished or failed; call reset() or start() with settings to begin again"))
		}
		a.apply(do(startAll))
	case api.CallPause:
		a.apply(do(pauseAll))
	case api.CallReset:
		if err := a.reset(sess.Settings()); err != nil {
			return api.Failed(err)
		}
	case api.CallStep:
		if !sess.Allows(runner.Step{}) {
			return api.Failed(fmt.Errorf("step() works while idle or paused; the run is %s", sess.State()))
		}
		a.apply(do(stepRun))
	case api.CallClearPad:
		a.apply(do(clearPad))
	case api.CallAddRun:
		s, problems := settings.Apply(sess.Settings(), r.Query)
		if len(problems) > 0 {
			return api.Failed(joinProblems(problems))
		}
		return result(a.add(s))
	case api.CallCompare:
		return result(a.compare(r.Text))
	case api.CallSelectRun:
		return result(a.lab.Select(r.Index))
	case api.CallGradients:
		a.apply(action{kind: showGradients, index: map[bool]int{false: 0, true: 1}[r.View.Show]})
		a.apply(action{kind: chooseTarget, index: r.View.Target})
		if r.View.Kernels != "" {
			a.apply(action{kind: chooseKernels, index: map[string]int{api.KernelsImage: 0, api.KernelsBatch: 1}[r.View.Kernels]})
		}
	case api.CallSelectEpoch:
		return result(a.scrub.showOf(a.lab, r.Index, r.Epoch))
	case api.CallLoadModel:
		name := r.Name
		if name == "" {
			name = "from a script"
		}
		return result(a.loadModel(r.Text, name))
	case api.CallLoadExperiment:
		name := r.Name
		if name == "" {
			name = "the text given"
		}
		return result(a.loadExperiment(r.Text, name))
	case api.CallExperiment:
		text, _ := a.experimentFile() // it cannot fail
		return api.Result{OK: true, Text: string(text)}
	case api.CallSaveExperiment:
		if a.host == nil {
			return api.Failed(errNoHost)
		}
		a.apply(do(saveExperiment))
	case api.CallClear:
		return result(a.clearExperiment())
	case api.CallSave:
		kinds := map[string]actionKind{"csv": saveCSV, "png": saveChart, "model": saveModel, "npz": saveWeights, "report": saveReport}
		k, ok := kinds[r.Text]
		if !ok {
			return api.Failed(fmt.Errorf("save() takes \"csv\", \"png\", \"model\", \"npz\" or \"report\", not %q", r.Text))
		}
		if a.host == nil {
			return api.Failed(errNoHost)
		}
		a.apply(do(k))
	default:
		return api.Failed(fmt.Errorf("%s() does not change the dashboard", r.Call))
	}
	return api.Done()
}

// result is the Result of a call that did what it was asked unless err.
func result(err error) api.Result {
	if err != nil {
		return api.Failed(err)
	}
	return api.Done()
}

// joinProblems makes one error of the problems with start()'s settings.
func joinProblems(problems []settings.Problem) error {
	msgs := make([]string, len(problems))
	for i, p := range problems {
		msgs[i] = p.Error()
	}
	return errors.New(strings.Join(msgs, "; "))
}

// published is what the reading calls see: the last frame's status, and a
// copy of the selected run's weights as the insight panels showed them
// then (live, or at the epoch the scrubber shows).
type published struct {
	status  atomic.Pointer[api.Status]
	results atomic.Pointer[[]experiment.Result]
	mu      sync.Mutex  // guards net, which predictions use as scratch space
	net     *nn.Network // the copy
	netFor  predictKey  // the run and its weights' revision when it was copied
}

// publish stores the status, and copies the weights when they have
// changed since the last copy.
func (h *Handle) publish() {
	st := h.status()
	p := &h.published
	p.status.Store(&st)
	res := h.app.lab.Results()
	for i := range res {
		// A history only grows: capped, its epochs so far can be read
		// while later frames append.
		res[i].History = slices.Clip(res[i].History)
	}
	p.results.Store(&res)
	r := h.app.scrub.view(h.app.selectedRun())
	key := predictKey{run: r.id, at: r.at, weights: r.WeightsRevision()}
	if key == p.netFor {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.net == nil {
		p.net = nn.NewHomework(0)
	}
	dst := p.net.Params()
	for i, src := range r.Network().Params() {
		copy(dst[i].Value, src.Value)
	}
	p.netFor = key
}

// status builds the snapshot status() returns. Its slices are fresh or
// never changed afterwards, so it may be read while later frames run.
func (h *Handle) status() api.Status {
	a := h.app
	k := a.cssScale
	panels := a.layout.Panels()
	for name, r := range panels {
		panels[name] = a.onScreen(r)
	}
	panels["padPanel"] = panels["pad"]
	panels["pad"] = a.padLayout().surface
	panels["dashboard"] = a.onScreen(rect(0, 0, a.layout.Width, a.layout.Height))
	if r := a.curves.step; !r.Empty() {
		panels["step"] = a.onScreen(r)
	}
	css := make(map[string]api.Rect, len(panels))
	for name, r := range panels {
		css[name] = api.Rect{X: r.X * k, Y: r.Y * k, W: r.W * k, H: r.H * k}
	}
	return api.Status{
		Status: a.selectedSession().Status(), Ready: a.drawn, Frame: a.frames,
		FPS: a.in.FPS, TPS: a.in.TPS, Messages: append([]string{}, a.notices.list...),
		Pad: a.pad.status(), Layout: css, Selected: a.lab.Selected(), Shown: a.scrub.status(a.selectedRun()), Runs: runStatuses(a.lab),
		DownloadingData: a.fullSet.downloading(), FullData: hasFullSet(a.lib),
		Gradients: a.insight.back.status(a.grads, a.insight.probs != nil),
	}
}

// runStatuses lists the runs for status().runs.
func runStatuses(l *experiment.Lab) []api.Run {
	out := make([]api.Run, len(l.Runs()))
	for i, r := range l.Runs() {
		st := r.Status()
		out[i] = api.Run{Label: r.Label, State: r.StateName(), Model: r.Model, Config: st.Config, Epochs: st.Epochs,
			ElapsedSeconds: st.ElapsedSeconds, ImagesPerSecond: st.ImagesPerSecond, TrainingIn: st.TrainingIn}
	}
	return out
}

// CSV returns the per-epoch metrics of every run as of the last frame
// (see experiment.CSV).
func (h *Handle) CSV() string { return experiment.CSV(*h.published.results.Load()) }

// Status returns what status() reports, as of the last frame.
func (h *Handle) Status() api.Status { return *h.published.status.Load() }

// Classify returns the probabilities the network, as it was at the last
// frame, gives a 28×28 image.
func (h *Handle) Classify(image []float64) ([]float64, error) {
	p := &h.published
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.net.Predict(image)
}

// Model returns the network's weights as they were at the last frame, as
// a model file (see nn.Load).
func (h *Handle) Model() (string, error) {
	p := &h.published
	p.mu.Lock()
	defer p.mu.Unlock()
	var b bytes.Buffer
	if err := p.net.Save(&b); err != nil {
		return "", err
	}
	return b.String(), nil
}
