package ui

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"convlab/nn"
	"convlab/ui/experiment"
	"convlab/ui/geom"
	"convlab/ui/layout"
	"convlab/ui/record"
	"convlab/ui/runner"
	"convlab/ui/session"
	"convlab/ui/settings"
)

// trainBudget is how long each Update may train. At 60 updates a second it
// leaves most of every frame for drawing and input.
const trainBudget = 8 * time.Millisecond

// App is the dashboard's shell. Each Update it builds a frame, lets every
// panel answer it with actions and applies them, and gives the runs their
// tick; each Draw draws the panels in their rectangles. A Handle around
// it serves the page's script.
type App struct {
	lab       *experiment.Lab // the runs, which is selected, and the queue
	image     selection
	grads     gradView // the backward view's state; its target goes back to the default with a new image or run
	notices   notices
	dismissed map[runID]bool // runs whose training error Esc has hidden
	quieted   map[runID]bool // runs whose stall warning Esc has hidden
	thumbs    thumbnails
	reports   reports // the homework report being written
	lib       *runner.Library
	fullSet   fullSet // MNIST's full files, while they download
	scrub     scrub   // the epoch the insight panels show

	window           // the layout, and how far it is scrolled (see view.go)
	cssScale float64 // CSS pixels per logical unit
	in       Input   // this frame's, kept for its rates
	frames   int     // Updates run
	drawn    bool    // a frame has been drawn

	pad     *padPanel
	insight *activations // the activation panel, for status().gradients
	curves  *curves      // the curves panel, for status().layout.step
	panels  []panelSlot
	host    Host // the page, for files; nil in tests that need none
}

// NewBackend makes the backend of a new run's session: in the browser a
// Web Worker of its own, or the page's thread where workers are missing.
type NewBackend func() runner.Backend

// panelSlot is a panel with where it goes in the dashboard's layout.
type panelSlot struct {
	panel
	rect func(d layout.Dashboard) geom.Rect
}

// New builds the dashboard around an experiment of the given runs (see
// experiment.Lab), of which at most limit train at once; problems (with
// the URL's settings, for which defaults are already used) are shown as
// messages.
func New(lib *runner.Library, newBackend NewBackend, runs []settings.Settings, limit int, problems []settings.Problem) (*App, error) {
	lab, err := experiment.NewLab(runs, limit, lib, experiment.NewBackend(newBackend))
	if err != nil {
		return nil, err
	}
	a := &App{lab: lab, lib: lib, dismissed: make(map[runID]bool), quieted: make(map[runID]bool), cssScale: 1, pad: newPadPanel(),
		grads: gradView{target: defaultTarget}, insight: &activations{}, curves: newCurves()}
	a.reports = reports{lib: lib, lab: lab, notify: a.report}
	for _, p := range problems {
		a.notices.add("URL parameter " + p.Error())
	}
	a.Resize(layout.DesignWidth, layout.DesignHeight)
	a.panels = []panelSlot{
		{header{}, func(d layout.Dashboard) geom.Rect { return d.Header }},
		{newSettingsPanel(), func(d layout.Dashboard) geom.Rect { return d.Controls }},
		{a.pad, func(d layout.Dashboard) geom.Rect { return d.Pad }},
		{a.curves, func(d layout.Dashboard) geom.Rect { return d.Curves }},
		{a.insight, func(d layout.Dashboard) geom.Rect { return d.Activations }},
		{&confusion{}, func(d layout.Dashboard) geom.Rect { return d.Confusion }},
		{newTSNEMap(false), func(d layout.Dashboard) geom.Rect { return d.TSNEFirst }},
		{newTSNEMap(true), func(d layout.Dashboard) geom.Rect { return d.TSNELast }},
		{newRunsPanel(), func(d layout.Dashboard) geom.Rect { return d.Runs }},
	}
	return a, nil
}

// Resize lays the dashboard out for a window of w×h CSS pixels (see
// layout.Fit), keeping in view what was, and returns the CSS pixels per
// logical unit it chose.
func (a *App) Resize(w, h float64) (cssPerUnit float64) {
	d := layout.Fit(w, h)
	a.relayout(d)
	a.cssScale = d.Scale
	a.pad.maxSide = d.PadSide
	return d.Scale
}

// Update runs one frame: the scrolling, the panels, the banner, then some
// training.
func (a *App) Update(in Input) {
	a.in = in
	a.frames++
	in.Events = a.scroll.Update(in.Events, in.Scroll, a.grabbable)
	a.thumbs.load(a.selectedRun())
	for _, p := range a.panels {
		for _, act := range p.update(a.frameAt(&in, a.onScreen(p.rect(a.layout)))) {
			a.apply(act)
		}
	}
	for _, act := range (banner{}).update(a.frameAt(&in, a.bannerArea())) {
		a.apply(act)
	}
	a.fullSet.take(a.lib, a.notices.add, a.report)
	a.lab.Tick(trainBudget)
	a.reports.tick(a.host)
}

// Draw draws every panel in the window in its rectangle, then the banner
// and the scroll bar over them, telling dst where each begins if it wants
// to know (see PanelSeparator). A panel out of the window draws nothing.
func (a *App) Draw(dst Canvas) {
	c := &canvas{dst}
	sep, _ := dst.(PanelSeparator)
	next := func() {
		if sep != nil {
			sep.NextPanel()
		}
	}
	c.FillRect(a.view(), colBackground)
	var none Input
	for _, p := range a.panels {
		next()
		if r := a.onScreen(p.rect(a.layout)); a.visible(r) {
			p.draw(c, a.frameAt(&none, r))
		}
	}
	next()
	banner{}.draw(c, a.frameAt(&none, a.bannerArea()))
	next()
	a.drawScrollBar(c)
	a.drawn = true
}

// frameAt builds what the panels see, for a panel in r.
func (a *App) frameAt(in *Input, r geom.Rect) *frame {
	list := a.lab.Runs()
	runs := make([]run, len(list))
	for i, lr := range list {
		runs[i] = viewOf(lr)
	}
	sel := a.lab.Selected()
	return &frame{
		runs: runs, selected: sel, view: a.scrub.view(runs[sel]), image: a.image, grads: a.grads, drawing: a.pad.drawing(),
		thumbs: &a.thumbs, messages: a.messages(), input: in, fps: a.in.FPS, rect: r,
	}
}

// viewOf is how panels see run r.
func viewOf(r *experiment.Run) run {
	return run{id: runID(r.ID), sessionView: r.Session, label: r.Label, queued: r.Queued()}
}

// selectedRun returns the run the pad and the insight panels show.
func (a *App) selectedRun() run { return viewOf(a.lab.SelectedRun()) }

// selectedSession returns the selected run's session.
func (a *App) selectedSession() *session.Session { return a.lab.SelectedRun().Session }

// messages are what the banner shows: the selected run's training error
// and its stall warning, each unless dismissed, then the notices.
func (a *App) messages() []string {
	var out []string
	r := a.lab.SelectedRun()
	if err := r.Err(); err != nil && !a.dismissed[runID(r.ID)] {
		out = append(out, err.Error())
	}
	if w := r.Stalled(); w != nil && !a.quieted[runID(r.ID)] {
		out = append(out, w.String())
	}
	return append(out, a.notices.list...)
}

// apply does what an action asks: to the selected run, to one run, or to
// the experiment. What fails is reported as a message.
func (a *App) apply(act action) {
	sel := a.lab.Selected()
	switch act.kind {
	case startRun:
		a.lab.Start(sel)
	case pauseRun:
		a.lab.Pause(sel)
	case stepRun:
		a.selectedSession().Step()
	case resetRun:
		_ = a.reset(act.settings) // reset reports its error as a message too
	case selectImage:
		a.image = selection{index: max(0, min(act.index, a.thumbs.count()-1))}
		a.grads.target = defaultTarget
	case selectDrawing:
		a.image.drawing = true
		a.grads.target = defaultTarget
	case selectRun:
		a.report(a.lab.Select(max(0, min(act.index, len(a.lab.Runs())-1))))
		a.grads.target = defaultTarget
	case showGradients:
		a.grads.shown = act.index == 1
	case chooseTarget:
		a.grads.target = max(defaultTarget, min(act.index, nn.NumClasses-1))
	case chooseKernels:
		a.grads.batch = act.index == 1
	case addRun:
		_ = a.add(act.settings) // add reports its error as a message too
	case removeRun:
		a.report(a.lab.Remove(act.index))
	case showEpoch:
		a.report(a.scrub.show(a.lab, act.index))
	case stepEpochs:
		a.report(a.scrub.step(a.lab, act.index))
	case comparePreset:
		_ = a.compare(act.key) // compare reports its error as a message too
	case saveCSV:
		a.report(a.save("convlab-runs.csv", "text/csv", func() ([]byte, error) { return []byte(experiment.CSV(a.lab.Results())), nil }))
	case saveChart:
		a.report(a.save("convlab-curves.png", "image/png", a.chartPNG))
	case saveModel:
		a.report(a.save(modelFileName(a.shownLabel(), ".json"), "application/json", a.modelFile))
	case saveWeights:
		a.report(a.save(modelFileName(a.shownLabel(), ".npz"), "application/zip", a.weightsNPZ))
	case saveReport:
		a.reports.start(a.host, nil)
	case openModel:
		if a.host == nil {
			a.report(errNoHost)
		} else {
			a.host.OpenModel()
		}
	case saveExperiment:
		a.report(a.save(experimentFileName(time.Now()), "application/json", a.experimentFile))
	case newExperiment:
		_ = a.clearExperiment() // it reports its error as a message too
	case startAll:
		a.lab.StartAll()
	case pauseAll:
		a.lab.PauseAll()
	case clearPad:
		a.pad.clearInk()
	case dismissMessages:
		a.notices.clear()
		if r := a.lab.SelectedRun(); r.Err() != nil {
			a.dismissed[runID(r.ID)] = true
		}
		if r := a.lab.SelectedRun(); r.Stalled() != nil {
			a.quieted[runID(r.ID)] = true
		}
	default:
		panic(fmt.Sprintf("ui: unknown action %d", act.kind))
	}
	a.thumbs.load(a.selectedRun())
}

// report shows err, if any, as a message.
func (a *App) report(err error) {
	if err != nil {
		a.notices.add(err.Error())
	}
}

// reset starts the selected run over with settings s, as a run with a new
// number, and shows the first test image. On error (shown as a message
// too) the run goes on as it was.
// If s needs MNIST's full files and the page has not got them, they are
// downloaded first (withData), and the reset waits for them.
func (a *App) reset(s settings.Settings) error {
	i := a.lab.Selected()
	err := a.withData(s, func() error {
		if i >= len(a.lab.Runs()) {
			return fmt.Errorf("the run to reset with %s training images per class is gone", settings.PerClass(s.TrainPerClass))
		}
		if err := a.lab.Reset(i, s); err != nil {
			return err
		}
		a.image.index = 0
		a.thumbs.load(a.selectedRun())
		return nil
	})
	if err != nil && !errors.Is(err, errFullSetDownloading) {
		a.notices.add(err.Error())
	}
	return err
}

// add adds a run with settings s, once the images it uses are here (see
// reset); an error is shown as a message too.
func (a *App) add(s settings.Settings) error {
	err := a.withData(s, func() error { return a.lab.Add(s) })
	if err != nil && !errors.Is(err, errFullSetDownloading) {
		a.notices.add(err.Error())
	}
	return err
}

// compare sets up the preset with the given key on the selected run's
// settings (see experiment.Lab.Compare).
func (a *App) compare(key string) error {
	p, ok := experiment.PresetByKey(key)
	if !ok {
		err := fmt.Errorf("there is no comparison %q; there are %s", key, strings.Join(experiment.PresetKeys(), ", "))
		a.notices.add(err.Error())
		return err
	}
	if err := a.lab.Compare(p, a.lab.Base()); err != nil {
		a.notices.add(err.Error())
		return err
	}
	a.image.index = 0
	return nil
}

// loadModel reads a model file (see nn.Load) and adds a run that shows
// it, selected. name says where the file came from.
func (a *App) loadModel(text, name string) error {
	net, err := nn.Load(strings.NewReader(text))
	if err != nil {
		err = fmt.Errorf("%s is not a ConvLab model: %w", name, err)
		a.notices.add(err.Error())
		return err
	}
	if err := a.lab.AddModel(net, name); err != nil {
		a.notices.add(err.Error())
		return err
	}
	return nil
}

// SelectRun points the pad and the insight panels at run i, as a click
// on its row does (see experiment.ShownRun).
func (a *App) SelectRun(i int) error { return a.lab.Select(i) }

// SetHost gives the dashboard its page.
func (a *App) SetHost(h Host) { a.host = h }

// save offers what make returns to the user as a file.
func (a *App) save(name, mime string, make func() ([]byte, error)) error {
	if a.host == nil {
		return errNoHost
	}
	data, err := make()
	if err != nil {
		return fmt.Errorf("saving %s: %w", name, err)
	}
	a.host.Save(name, mime, data)
	return nil
}

// shownNetwork is the selected run's network as the insight panels show
// it: live, or at the epoch the scrubber shows.
func (a *App) shownNetwork() *nn.Network { return a.scrub.view(a.selectedRun()).Network() }

// shownLabel names the selected run, and the epoch shown if any, for a
// file's name.
func (a *App) shownLabel() string {
	r := a.scrub.view(a.selectedRun())
	if r.at > 0 {
		return fmt.Sprintf("%s epoch %d", r.label, r.at)
	}
	return r.label
}

// modelFile is the selected run's model file (see nn.Network.Save), with
// the weights shown.
func (a *App) modelFile() ([]byte, error) {
	var b bytes.Buffer
	if err := a.shownNetwork().Save(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// weightsNPZ is the selected run's weights shown as a NumPy .npz file
// (nn.Network.SaveNPZ).
func (a *App) weightsNPZ() ([]byte, error) {
	var b bytes.Buffer
	if err := a.shownNetwork().SaveNPZ(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// modelFileName names the model file (ext ".json") or the weights for
// NumPy (ext ".npz") of a run labelled label.
func modelFileName(label, ext string) string {
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' {
			return r
		}
		return '-'
	}, label)
	return "convlab-model-" + strings.Trim(name, "-") + ext
}

// Size of the chart image, in logical units; it is drawn at twice that in
// pixels, for a report.
const (
	chartImageW     = 900.0
	chartImageH     = 560.0
	chartImageScale = 2.0
)

// chartPNG draws the training curves of every run, with their legend and
// a title, as a PNG of chartImageW×chartImageH units at twice the pixels.
func (a *App) chartPNG() ([]byte, error) {
	return a.host.RenderPNG(chartImageW, chartImageH, chartImageScale, func(dst Canvas) {
		c := &canvas{dst}
		r := rect(0, 0, chartImageW, chartImageH)
		c.FillRect(r, colPanel)
		f := a.frameAt(&Input{}, r)
		upper, lower := curvesLayout(c.card(r, "ConvLab: error per epoch and mini-batch loss"))
		drawErrorChart(c, upper, f.runs, 0)
		drawLossChart(c, lower, f.runs, 0)
	})
}

// withData does then once the images a run with settings s uses are in
// (see fullSet.withData).
func (a *App) withData(s settings.Settings, then func() error) error {
	return a.fullSet.withData(a.lib, a.host, a.notices.add, s, then)
}

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
