package ui

import (
	"fmt"
	"time"

	"convlab/ui/geom"
	"convlab/ui/layout"
	"convlab/ui/session"
	"convlab/ui/settings"
)

// trainBudget is how long each Update may train. At 60 updates a second it
// leaves most of every frame for drawing and input.
const trainBudget = 8 * time.Millisecond

// App is the dashboard's shell. Each Update it builds a frame, lets every
// panel answer it with actions and applies them, and trains for a few
// milliseconds; each Draw draws the panels in their rectangles. A Handle
// around it serves the page's script.
type App struct {
	runs      []*runSession // today one; the experiments view will hold several
	selected  int           // index in runs of the run the pad and the insight panels show
	lastID    runID
	image     selection
	notices   notices
	dismissed map[runID]bool // runs whose training error Esc has hidden
	thumbs    thumbnails

	layout   layout.Dashboard
	cssScale float64 // CSS pixels per logical unit
	in       Input   // this frame's, kept for its rates
	frames   int     // Updates run
	drawn    bool    // a frame has been drawn

	pad    *padPanel
	panels []panelSlot
}

// runSession is one run the App drives: its session and its number.
type runSession struct {
	id   runID
	sess *session.Session
}

// panelSlot is a panel with where it goes in the dashboard's layout.
type panelSlot struct {
	panel
	rect func(d layout.Dashboard) geom.Rect
}

// New builds the dashboard around a session with the given settings;
// problems (with the URL's settings, for which defaults are already used)
// are shown as messages.
func New(lib *session.Library, s settings.Settings, problems []settings.Problem) (*App, error) {
	sess, err := session.New(lib, s)
	if err != nil {
		return nil, err
	}
	a := &App{dismissed: make(map[runID]bool), cssScale: 1, pad: newPadPanel()}
	a.runs = []*runSession{{id: a.newID(), sess: sess}}
	for _, p := range problems {
		a.notices.add("URL parameter " + p.Error())
	}
	a.Resize(layout.DesignWidth, layout.DesignHeight, 1)
	a.panels = []panelSlot{
		{header{}, func(d layout.Dashboard) geom.Rect { return d.Header }},
		{newSettingsPanel(), func(d layout.Dashboard) geom.Rect { return d.Controls }},
		{a.pad, func(d layout.Dashboard) geom.Rect { return d.Pad }},
		{curves{}, func(d layout.Dashboard) geom.Rect { return d.Curves }},
		{&activations{}, func(d layout.Dashboard) geom.Rect { return d.Activations }},
		{&confusion{}, func(d layout.Dashboard) geom.Rect { return d.Confusion }},
		{newTSNEMap(false), func(d layout.Dashboard) geom.Rect { return d.TSNEFirst }},
		{newTSNEMap(true), func(d layout.Dashboard) geom.Rect { return d.TSNELast }},
		{banner{}, func(d layout.Dashboard) geom.Rect { return rect(0, 0, d.Width, d.Height) }}, // over the others
	}
	return a, nil
}

// newID numbers a new run.
func (a *App) newID() runID {
	a.lastID++
	return a.lastID
}

// Resize lays the dashboard out on a logical canvas of w×h units, shown at
// cssPerUnit CSS pixels per unit.
func (a *App) Resize(w, h, cssPerUnit float64) {
	a.layout = layout.Compute(w, h)
	a.cssScale = cssPerUnit
}

// Update runs one frame: the panels, then some training.
func (a *App) Update(in Input) {
	a.in = in
	a.frames++
	a.thumbs.load(a.selectedRun())
	for _, p := range a.panels {
		for _, act := range p.update(a.frameAt(&in, p.rect(a.layout))) {
			a.apply(act)
		}
	}
	for _, r := range a.runs {
		r.sess.Tick(trainBudget)
	}
}

// Draw draws every panel in its rectangle, telling dst where each begins
// if it wants to know (see PanelSeparator).
func (a *App) Draw(dst Canvas) {
	c := &canvas{dst}
	sep, _ := dst.(PanelSeparator)
	c.FillRect(rect(0, 0, a.layout.Width, a.layout.Height), colBackground)
	var none Input
	for _, p := range a.panels {
		if sep != nil {
			sep.NextPanel()
		}
		p.draw(c, a.frameAt(&none, p.rect(a.layout)))
	}
	a.drawn = true
}

// frameAt builds what the panels see, for a panel in r.
func (a *App) frameAt(in *Input, r geom.Rect) *frame {
	runs := make([]run, len(a.runs))
	for i, rs := range a.runs {
		runs[i] = run{id: rs.id, sessionView: rs.sess}
	}
	return &frame{
		runs: runs, selected: a.selected, image: a.image, drawing: a.pad.drawing(),
		thumbs: &a.thumbs, messages: a.messages(), input: in, fps: a.in.FPS, rect: r,
	}
}

// selectedRun returns the run the pad and the insight panels show.
func (a *App) selectedRun() run {
	rs := a.runs[a.selected]
	return run{id: rs.id, sessionView: rs.sess}
}

// messages are what the banner shows: the selected run's training error,
// unless dismissed, then the notices.
func (a *App) messages() []string {
	var out []string
	r := a.runs[a.selected]
	if err := r.sess.Err(); err != nil && !a.dismissed[r.id] {
		out = append(out, err.Error())
	}
	return append(out, a.notices.list...)
}

// apply does what an action asks, to the selected run. A reset that fails
// is reported as a message.
func (a *App) apply(act action) {
	sess := a.runs[a.selected].sess
	switch act.kind {
	case startRun:
		sess.Start()
	case pauseRun:
		sess.Pause()
	case stepRun:
		sess.Step()
	case resetRun:
		_ = a.reset(act.settings) // reset reports its error as a message too
	case selectImage:
		a.image = selection{index: max(0, min(act.index, a.thumbs.count()-1))}
	case selectDrawing:
		a.image.drawing = true
	case selectRun:
		a.selected = max(0, min(act.index, len(a.runs)-1))
		a.thumbs.load(a.selectedRun())
	case clearPad:
		a.pad.clearInk()
	case dismissMessages:
		a.notices.clear()
		if r := a.runs[a.selected]; r.sess.Err() != nil {
			a.dismissed[r.id] = true
		}
	default:
		panic(fmt.Sprintf("ui: unknown action %d", act.kind))
	}
}

// reset starts the selected run over with settings s, as a run with a new
// number, and shows the first test image. On error (shown as a message
// too) the run goes on as it was.
func (a *App) reset(s settings.Settings) error {
	r := a.runs[a.selected]
	if err := r.sess.Reset(s); err != nil {
		a.notices.add(err.Error())
		return err
	}
	r.id = a.newID()
	a.image.index = 0
	a.thumbs.load(a.selectedRun())
	return nil
}
