package ui

import (
	"slices"

	"convlab/nn"
	"convlab/ui/geom"
	"convlab/ui/runner"
	"convlab/ui/settings"
	"convlab/ui/widget"
)

// settingsPanel shows the selected run's settings, one row per field of
// the settings table (α only for Momentum, ρ only for RMSProp), with the
// Start, Step, Reset and Add run buttons (Add run adds a run with the
// settings shown, beside the others). A change applies at once while the run
// has not started; afterwards it waits for Reset, so a run is never
// changed halfway.
type settingsPanel struct {
	run      runID             // the run the controls were set from
	base     settings.Settings // that run's settings
	controls []control         // one per field, in the table's order
	start    widget.Button
	step     widget.Button
	reset    widget.Button
	add      widget.Button
	pending  bool // settings changed since the run started
}

// control is one field's row: a selector for a field with options, a
// stepper for the others.
type control struct {
	field    settings.Field
	selector *widget.Selector
	stepper  *widget.Stepper
}

// Sizes of the settings panel. It has room for settingsSlots rows: the
// optimizer, η, α or ρ, and the six others.
const (
	settingsSlots  = 8
	settingsRowMax = 30.0 // a row's height when there is room
	settingsRowGap = 6.0  // below each control
	settingsLabelW = 0.42 // the labels' share of the width
	buttonH        = 30.0
	buttonsGap     = 4.0  // above the buttons
	hintGap        = 8.0  // between the buttons and the hint
	hintH          = 14.0 // the line of the hint
)

// settingsLayout places the settings panel's parts.
type settingsLayout struct {
	rows    [settingsSlots]geom.Rect // each slot's control; its label is left of it
	buttons []geom.Rect              // Start, Step, Reset, Add run
	hintY   float64
}

// layoutSettings lays out the inside of the settings panel: the slots as
// tall as fit, at most settingsRowMax, then the buttons and the hint.
func layoutSettings(in geom.Rect) settingsLayout {
	var l settingsLayout
	rowH := min(settingsRowMax, (in.H-buttonsGap-buttonH-hintGap-hintH)/settingsSlots)
	labelW := in.W * settingsLabelW
	for i := range l.rows {
		l.rows[i] = rect(in.X+labelW, in.Y+float64(i)*rowH, in.W-labelW, rowH-settingsRowGap)
	}
	buttonsY := in.Y + settingsSlots*rowH + buttonsGap
	l.buttons = rect(in.X, buttonsY, in.W, buttonH).Cols(4, 6)
	l.hintY = buttonsY + buttonH + hintGap
	return l
}

func newSettingsPanel() *settingsPanel {
	return &settingsPanel{
		start: widget.Button{Label: "Start"},
		step:  widget.Button{Label: "Step"},
		reset: widget.Button{Label: "Reset", Enabled: true},
		add:   widget.Button{Label: "Add run", Enabled: true},
	}
}

// sync sets every control to run r's settings, which are within the
// table's limits (settings.Apply checked them as they came in, or this
// panel offered them): a value that is not among a field's choices (from
// a link) is added to them.
func (p *settingsPanel) sync(r run) {
	p.run, p.base, p.pending = r.id, r.Settings(), false
	p.controls = p.controls[:0]
	for _, f := range settings.Fields() {
		p.controls = append(p.controls, newControl(f, f.Get(p.base)))
	}
}

// newControl makes field f's control showing v. The constructors fail
// only for choices that are not strictly increasing or a v outside them,
// which the table and its limits rule out, so a failure is a programming
// mistake and panics.
func newControl(f settings.Field, v float64) control {
	c := control{field: f}
	switch {
	case f.Options != nil:
		c.selector = must(widget.NewSelector(geom.Rect{}, f.Labels, int(v)))
	case f.Choices != nil:
		c.stepper = must(widget.NewListStepper(geom.Rect{}, withValue(f.Choices, v), v))
	default:
		c.stepper = must(widget.NewRangeStepper(geom.Rect{}, f.Min, f.Max, 1, v))
	}
	return c
}

// withValue returns the sorted choices including v.
func withValue(choices []float64, v float64) []float64 {
	if slices.Contains(choices, v) {
		return choices
	}
	return slices.Sorted(slices.Values(append(slices.Clip(choices), v)))
}

// value is the control's value, as the settings table holds it.
func (c *control) value() float64 {
	if c.selector != nil {
		return float64(c.selector.Selected)
	}
	return c.stepper.Value()
}

// handle feeds one pointer event to the control and reports whether it
// changed the value.
func (c *control) handle(e widget.Event) bool {
	if c.selector != nil {
		return c.selector.Handle(e)
	}
	return c.stepper.Handle(e)
}

// place puts the control in r (an empty r hides it from the pointer).
func (c *control) place(r geom.Rect) {
	if c.selector != nil {
		c.selector.Rect = r
	} else {
		c.stepper.Rect = r
	}
}

// optimizer is the optimizer the panel shows.
func (p *settingsPanel) optimizer() nn.OptimizerKind {
	for _, c := range p.controls {
		if c.selector != nil && c.field.Key == "opt" {
			return c.field.Set(p.base, c.value()).Optimizer
		}
	}
	return p.base.Optimizer
}

// visible returns the rows shown: every field but those of another
// optimizer than the one selected.
func (p *settingsPanel) visible() []*control {
	opt := p.optimizer()
	var out []*control
	for i := range p.controls {
		if u := p.controls[i].field.UsedBy; u == 0 || u == opt {
			out = append(out, &p.controls[i])
		}
	}
	return out
}

// settings reads the controls, in the table's order, each value clamped
// to what the settings before it allow (the batch to the training set).
func (p *settingsPanel) settings() settings.Settings {
	s := p.base
	for i := range p.controls {
		c := &p.controls[i]
		s = c.field.Set(s, min(c.value(), c.field.MaxFor(s)))
	}
	return s
}

// place lays the controls and buttons out in the panel's inside.
func (p *settingsPanel) place(l settingsLayout) {
	for i := range p.controls {
		p.controls[i].place(geom.Rect{})
	}
	for i, c := range p.visible() {
		c.place(l.rows[i])
	}
	p.start.Rect, p.step.Rect, p.reset.Rect, p.add.Rect = l.buttons[0], l.buttons[1], l.buttons[2], l.buttons[3]
}

func (p *settingsPanel) update(f *frame) []action {
	r := f.run()
	if r.id != p.run {
		p.sync(r)
	}
	p.place(layoutSettings(panelInner(f.rect)))
	state := r.State()
	switch p.start.Label = "Start"; state {
	case runner.Running:
		p.start.Label = "Pause"
	case runner.Paused:
		p.start.Label = "Resume"
	}
	p.start.Enabled = !r.Ended() // Start, or Pause while running
	p.step.Enabled = r.Allows(runner.Step{})

	var acts []action
	switch {
	case f.input.pressed(KeySpace):
		acts = append(acts, p.toggle(state))
	case f.input.pressed(KeyS):
		acts = append(acts, do(stepRun))
	case f.input.pressed(KeyR):
		return append(acts, action{kind: resetRun, settings: p.settings()})
	}
	for _, e := range f.input.Events {
		act, ok := p.handle(e, r)
		if !ok {
			continue
		}
		acts = append(acts, act)
		if act.kind == resetRun {
			break // the run starts over and the controls are rebuilt: the rest of this frame's events are stale
		}
	}
	return acts
}

// toggle starts or pauses the run.
func (p *settingsPanel) toggle(state runner.State) action {
	if state == runner.Running {
		return do(pauseRun)
	}
	return do(startRun)
}

// handle routes one pointer event and returns what it asks for, if
// anything.
func (p *settingsPanel) handle(e widget.Event, r run) (action, bool) {
	changed := false
	for _, c := range p.visible() {
		if c.handle(e) {
			changed = true
		}
	}
	switch {
	case changed && r.State() == runner.Idle && !r.Stepping():
		return action{kind: resetRun, settings: p.settings()}, true
	case changed:
		p.pending = true
	case p.start.Handle(e):
		return p.toggle(r.State()), true
	case p.step.Handle(e):
		return do(stepRun), true
	case p.reset.Handle(e):
		return action{kind: resetRun, settings: p.settings()}, true
	case p.add.Handle(e):
		return action{kind: addRun, settings: p.settings()}, true
	}
	return action{}, false
}

func (p *settingsPanel) draw(c *canvas, f *frame) {
	in := c.card(f.rect, "Settings")
	l := layoutSettings(in)
	for i, ctl := range p.visible() {
		row := l.rows[i]
		c.Text(ctl.field.Label, in.X, row.Y+row.H/2-7, 12, colText, AlignLeft)
		if ctl.selector != nil {
			c.selector(ctl.selector)
		} else {
			c.stepper(ctl.stepper, ctl.field.Display(ctl.value()))
		}
	}
	if len(p.controls) > 0 {
		c.button(&p.start)
		c.button(&p.step)
		c.button(&p.reset)
		c.button(&p.add)
	}
	hint, clr := "keys: space start/pause · s step · r reset", colMuted
	if p.pending {
		hint, clr = "changed settings apply on Reset", colWarn
	}
	c.Text(hint, in.X, l.hintY, 11, clr, AlignLeft)
}
