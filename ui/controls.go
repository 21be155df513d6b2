package ui

import (
	"slices"

	"convlab/assets"
	"convlab/nn"
	"convlab/ui/geom"
	"convlab/ui/session"
	"convlab/ui/settings"
	"convlab/ui/widget"
)

// Choices offered by the steppers; a value from the URL that is not among
// them is added, so a shared link shows exactly its settings.
func learningRates() []float64 { return []float64{0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1} }
func batchSizes() []float64    { return []float64{1, 5, 10, 20, 50, 100, 200, 500, 1000} }
func epochCounts() []float64   { return []float64{1, 2, 3, 5, 10, 15, 20, 30, 50, 100} }
func trainPerClass() []float64 { return []float64{10, 20, 50, 100, 200, 300, 500} }
func testPerClass() []float64  { return []float64{1, 5, 10, 20, 50, 100} }

// optimizerLabels are shown for nn.OptimizerKinds, in the same order.
func optimizerLabels() []string { return []string{"SGD", "Momentum", "RMSProp"} }

// controls is the settings panel with its buttons.
type controls struct {
	optimizer                           *widget.Selector
	rate, batch, epochs, perClass, seed *widget.Stepper
	testPer                             *widget.Stepper
	start, step, reset                  *widget.Button
	pending                             bool              // settings changed since the run started
	base                                settings.Settings // what the panel has no control for (α, ρ)
}

func newControls(s settings.Settings) *controls {
	c := &controls{
		start: widget.NewButton(geom.Rect{}, "Start"),
		step:  widget.NewButton(geom.Rect{}, "Step"),
		reset: widget.NewButton(geom.Rect{}, "Reset"),
	}
	c.sync(s)
	return c
}

// withValue returns the sorted choices including v.
func withValue(choices []float64, v float64) []float64 {
	if slices.Contains(choices, v) {
		return choices
	}
	choices = append(choices, v)
	slices.Sort(choices)
	return choices
}

// listStepper returns a stepper over choices and v, set to v. The
// constructor's only failures (no values, v not among them, values not
// finite) cannot happen for a validated setting; should one, the stepper
// offers v alone.
func listStepper(choices []float64, v float64) *widget.Stepper {
	s, err := widget.NewListStepper(geom.Rect{}, withValue(choices, v), v)
	if err != nil {
		s = &widget.Stepper{}
	}
	return s
}

// sync sets every control to s, which the session has validated.
func (c *controls) sync(s settings.Settings) {
	c.base = s
	sel := max(slices.Index(nn.OptimizerKinds(), s.Optimizer), 0)
	opt, err := widget.NewSelector(geom.Rect{}, optimizerLabels(), sel)
	if err != nil {
		opt = &widget.Selector{Options: optimizerLabels()}
	}
	c.optimizer = opt
	c.rate = listStepper(learningRates(), s.LearningRate)
	c.batch = listStepper(batchSizes(), float64(s.BatchSize))
	c.epochs = listStepper(epochCounts(), float64(s.Epochs))
	c.perClass = listStepper(trainPerClass(), float64(s.TrainPerClass))
	c.testPer = listStepper(testPerClass(), float64(s.TestPerClass))
	seed, err := widget.NewRangeStepper(geom.Rect{}, 0, settings.MaxSeed, 1, float64(s.Seed))
	if err != nil {
		seed = &widget.Stepper{}
	}
	c.seed = seed
	c.pending = false
}

// settings reads the controls.
func (c *controls) settings() settings.Settings {
	s := c.base
	s = settings.Settings{
		Momentum:      s.Momentum,
		Rho:           s.Rho,
		Optimizer:     nn.OptimizerKinds()[c.optimizer.Selected],
		LearningRate:  c.rate.Value(),
		BatchSize:     int(c.batch.Value()),
		Epochs:        int(c.epochs.Value()),
		TrainPerClass: int(c.perClass.Value()),
		TestPerClass:  int(c.testPer.Value()),
		Seed:          uint64(c.seed.Value()),
	}
	s.TrainPerClass = min(s.TrainPerClass, assets.MaxTrainPerClass)
	s.BatchSize = min(s.BatchSize, s.TrainSize())
	return s
}

// controlRow is one labelled control.
type controlRow struct {
	label string
	step  *widget.Stepper // nil for the optimizer row
}

func (c *controls) rows() []controlRow {
	return []controlRow{
		{"optimizer", nil}, {"learning rate η", c.rate}, {"mini-batch size", c.batch}, {"epochs", c.epochs},
		{"train images/class", c.perClass}, {"test images/class", c.testPer}, {"seed", c.seed},
	}
}

const rowHeight = 30.0

// place lays the controls out inside the panel's inner area.
func (c *controls) place(in geom.Rect) {
	labelW := in.W * 0.42
	for i, row := range c.rows() {
		r := rect(in.X+labelW, in.Y+float64(i)*rowHeight, in.W-labelW, rowHeight-6)
		if row.step == nil {
			c.optimizer.Rect = r
		} else {
			row.step.Rect = r
		}
	}
	buttons := rect(in.X, in.Y+7*rowHeight+4, in.W, 30).Cols(3, 8)
	c.start.Rect, c.step.Rect, c.reset.Rect = buttons[0], buttons[1], buttons[2]
}

func (c *controls) update(a *App, in *pointerInput, r geom.Rect) {
	c.place(panelInner(r))
	state := a.sess.State()
	c.start.Label = "Start"
	if state == session.Running {
		c.start.Label = "Pause"
	} else if state == session.Paused {
		c.start.Label = "Resume"
	}
	c.start.Enabled = state != session.Finished && state != session.Failed
	c.step.Enabled = state == session.Idle || state == session.Paused
	for _, e := range in.events {
		if c.handle(a, e) {
			return // the run was reset and the widgets rebuilt: the rest of this frame's events are stale
		}
	}
}

// handle routes one pointer event and reports whether it reset the run.
func (c *controls) handle(a *App, e widget.Event) (reset bool) {
	changed := c.optimizer.Handle(e)
	for _, row := range c.rows() {
		if row.step != nil && row.step.Handle(e) {
			changed = true
		}
	}
	switch {
	case changed:
		return c.settingsChanged(a)
	case c.start.Handle(e):
		a.toggleRun()
	case c.step.Handle(e):
		a.sess.Step()
	case c.reset.Handle(e):
		_ = a.reset(c.settings()) // a problem is shown as a message
		return true
	}
	return false
}

// settingsChanged applies new settings at once before training has
// started, and reports whether it did; afterwards they wait for Reset, so a
// run is never changed halfway.
func (c *controls) settingsChanged(a *App) (reset bool) {
	if a.sess.State() == session.Idle && !a.sess.Stepping() {
		_ = a.reset(c.settings()) // a problem is shown as a message
		return true
	}
	c.pending = true
	return false
}

func (c *controls) draw(cv *canvas, a *App, r geom.Rect) {
	in := cv.panel(r, "Settings")
	for i, row := range c.rows() {
		y := in.Y + float64(i)*rowHeight
		cv.text(row.label, in.X, y+5, 12, colText, alignLeft)
		if row.step == nil {
			drawSelector(cv, c.optimizer)
		} else {
			drawStepper(cv, row.step, row.step.Label())
		}
	}
	drawButton(cv, c.start)
	drawButton(cv, c.step)
	drawButton(cv, c.reset)
	hint := "keys: space start/pause · s step · r reset"
	clr := colMuted
	if c.pending {
		hint, clr = "changed settings apply on Reset", colWarn
	}
	cv.text(hint, in.X, in.Y+7*rowHeight+42, 11, clr, alignLeft)
}
