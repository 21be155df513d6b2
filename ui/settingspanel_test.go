package ui

import (
	"slices"
	"testing"

	"convlab/nn"
	"convlab/ui/geom"
	"convlab/ui/runner"
	"convlab/ui/settings"
)

// control returns the panel's control for the setting with URL key key.
func (p *settingsPanel) control(t *testing.T, key string) *control {
	t.Helper()
	for i := range p.controls {
		if p.controls[i].field.Key == key {
			return &p.controls[i]
		}
	}
	t.Fatalf("no control for %q", key)
	return nil
}

// syncedPanel returns a settings panel showing the settings of query.
func syncedPanel(t *testing.T, query string) *settingsPanel {
	t.Helper()
	a := newTestApp(t, query)
	p := newSettingsPanel()
	p.sync(a.selectedRun())
	return p
}

// The batch size is clamped to the training set the other controls ask
// for, through the table's MaxFor; the other values pass unchanged.
func TestSettingsPanelClampsTheBatch(t *testing.T) {
	p := syncedPanel(t, "perclass=100&batch=1000")
	if got := p.settings().BatchSize; got != 1000 {
		t.Fatalf("batch %d, want the run's 1000", got)
	}
	if err := p.control(t, "perclass").stepper.SetValue(10); err != nil {
		t.Fatal(err)
	}
	s := p.settings()
	if s.BatchSize != 100 || s.TrainPerClass != 10 {
		t.Errorf("with 10 images per class and batch 1000: batch %d, %d per class; want 100 and 10", s.BatchSize, s.TrainPerClass)
	}
	if got, problems := settings.FromQuery(s.Query()); len(problems) > 0 || got != s {
		t.Errorf("the panel's settings are outside the settings' limits: %v", problems)
	}
	if err := p.control(t, "perclass").stepper.SetValue(500); err != nil {
		t.Fatal(err)
	}
	if got := p.settings().BatchSize; got != 1000 {
		t.Errorf("with 500 per class the batch is %d, want 1000 again", got)
	}
}

// A value from a link that is not among a field's choices is added to
// them, so the panel shows the run's settings exactly.
func TestSettingsPanelShowsAValueFromALink(t *testing.T) {
	p := syncedPanel(t, "lr=0.0042&epochs=7&seed=123456")
	s := p.settings()
	if s.LearningRate != 0.0042 || s.Epochs != 7 || s.Seed != 123456 {
		t.Errorf("panel reads η %v, %d epochs, seed %d; want 0.0042, 7, 123456", s.LearningRate, s.Epochs, s.Seed)
	}
	lr := p.control(t, "lr").stepper
	if !lr.Inc() || lr.Value() != 0.01 {
		t.Errorf("+ after η 0.0042 gives %v, want the next choice 0.01", lr.Value())
	}
}

// α shows only for Momentum and ρ only for RMSProp; every other setting
// always shows, in the table's order, and the rows fit the panel's slots.
func TestSettingsPanelRowsFollowTheOptimizer(t *testing.T) {
	p := syncedPanel(t, "")
	opt := p.control(t, "opt").selector
	for i, name := range nn.OptimizerKinds() {
		if err := opt.Select(i); err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, c := range p.visible() {
			keys = append(keys, c.field.Key)
		}
		if len(keys) > settingsSlots {
			t.Errorf("%s: %d rows, room for %d", name, len(keys), settingsSlots)
		}
		if slices.Contains(keys, "alpha") != (name == nn.OptimizerMomentum) || slices.Contains(keys, "rho") != (name == nn.OptimizerRMSProp) {
			t.Errorf("%s shows %v", name, keys)
		}
		var want []string
		for _, f := range settings.Fields() {
			if f.UsedBy == 0 || f.UsedBy == name {
				want = append(want, f.Key)
			}
		}
		if !slices.Equal(keys, want) {
			t.Errorf("%s: rows %v, want %v", name, keys, want)
		}
	}
}

// At the design size and larger, and on phones and tablets, the rows,
// the buttons and the hint fit inside the settings panel, one below the
// other; in the flow arrangement the rows have their full height, for a
// finger.
func TestSettingsLayoutFits(t *testing.T) {
	for sz, d := range testDashboards() {
		in := panelInner(d.Controls)
		l := layoutSettings(in)
		if d.Flow && l.rows[0].H < settingsRowMax-settingsRowGap {
			t.Errorf("%v: rows %.1f high, want %g", sz, l.rows[0].H, settingsRowMax-settingsRowGap)
		}
		for i, r := range l.rows {
			if r.H < 18 || !inside(r, in) || i > 0 && r.Y < l.rows[i-1].Y+l.rows[i-1].H {
				t.Errorf("%v: row %d %+v is too low, outside %+v or over the row above", sz, i, r, in)
			}
		}
		for _, b := range l.buttons {
			if !inside(b, in) || b.Y < l.rows[settingsSlots-1].Y+l.rows[settingsSlots-1].H {
				t.Errorf("%v: button %+v outside %+v or over the last row", sz, b, in)
			}
		}
		if bottom := l.hintY + hintH; l.hintY < l.buttons[0].Y+l.buttons[0].H || bottom > in.Y+in.H {
			t.Errorf("%v: the hint from %.1f to %.1f is not between the buttons and the panel's bottom %.1f", sz, l.hintY, bottom, in.Y+in.H)
		}
	}
}

// A change before the run has started resets the run with it at once;
// once the run has started, it waits for Reset and the hint says so.
func TestSettingsChangeAppliesWhileIdleOnly(t *testing.T) {
	a := newTestApp(t, "epochs=2&perclass=10&testper=1")
	a.Update(Input{})
	p := a.panels[1].panel.(*settingsPanel)
	x, y := centre(p.control(t, "epochs").stepper.PlusRect())

	id := a.selectedRun().id
	a.Update(Input{Events: click(x, y)})
	if got := a.sess().Settings().Epochs; got != 3 || a.selectedRun().id == id {
		t.Fatalf("after + on epochs while idle: %d epochs in run %d (was %d); want 3 in a new run", got, a.selectedRun().id, id)
	}

	a.Update(Input{Keys: []Key{KeySpace}})
	if a.sess().State() != runner.Running {
		t.Fatalf("space left the run %v", a.sess().State())
	}
	id = a.selectedRun().id
	a.Update(Input{Events: click(x, y)})
	if got := a.sess().Settings().Epochs; got != 3 || a.selectedRun().id != id {
		t.Errorf("+ while running changed the run: %d epochs, run %d (was %d)", got, a.selectedRun().id, id)
	}
	rec := &recorder{}
	a.Draw(rec)
	if !rec.drew("changed settings apply on Reset") {
		t.Error("the panel does not say that the change waits for Reset")
	}
	a.Update(Input{Keys: []Key{KeyR}})
	if got := a.sess().Settings().Epochs; got != 5 || a.sess().State() != runner.Idle {
		t.Errorf("r reset to %d epochs, %v; want the panel's 5, idle", got, a.sess().State())
	}
}

// inside reports whether r lies within outer.
func inside(r, outer geom.Rect) bool {
	return r.X >= outer.X && r.Y >= outer.Y && r.X+r.W <= outer.X+outer.W+1e-9 && r.Y+r.H <= outer.Y+outer.H+1e-9
}
