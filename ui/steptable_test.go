package ui

import (
	"fmt"
	"math"
	"testing"
	"unicode/utf8"

	"convlab/nn"
	"convlab/ui/runner"
)

// A layer's row merges its weights and bias as the RMS over all their
// values, and its ratio is the update's RMS over the weights'.
func TestStepRowsMergeTensorsByLayer(t *testing.T) {
	net := nn.NewHomework(1)
	st := &runner.StepExplained{StateName: "velocity"}
	for i, p := range net.Params() {
		f := float64(i + 1)
		st.Tensors = append(st.Tensors, runner.TensorStep{Name: p.Name, Weight: f, Gradient: 2 * f, Update: 1e-3 * f, State: 3 * f})
	}
	rows := stepRows(st, net)
	want := []string{nn.LayerConv1, nn.LayerConv2, nn.LayerHidden, nn.LayerOutput}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d: %+v", len(rows), len(want), rows)
	}
	params := net.Params()
	for i, row := range rows {
		w, b := params[2*i], params[2*i+1] // weight, then bias, of each layer
		nw, nb := float64(len(w.Value)), float64(len(b.Value))
		merge := func(vw, vb float64) float64 { return math.Sqrt((nw*vw*vw + nb*vb*vb) / (nw + nb)) }
		fw, fb := float64(2*i+1), float64(2*i+2)
		if row.layer != want[i] || !near(row.grad, merge(2*fw, 2*fb)) || !near(row.update, merge(1e-3*fw, 1e-3*fb)) ||
			!near(row.state, merge(3*fw, 3*fb)) || !near(row.ratio, merge(1e-3*fw, 1e-3*fb)/merge(fw, fb)) {
			t.Errorf("row %d: %+v; want layer %s and the RMS over its %v + %v values", i, row, want[i], nw, nb)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Abs(b) }

// The bars of a column share a log scale three powers of ten deep.
func TestLogBar(t *testing.T) {
	col := []float64{1e-2, 1e-3, 1e-5, 0, math.NaN()}
	for _, c := range []struct{ v, want float64 }{{1e-2, 1}, {1e-3, 2.0 / 3}, {1e-5, 0}, {1e-9, 0}, {0, 0}, {math.NaN(), 0}, {math.Inf(1), 0}} {
		if got := logBar(c.v, col); !near(got, c.want) && got != c.want {
			t.Errorf("logBar(%v) = %v, want %v", c.v, got, c.want)
		}
	}
}

// TestStepTableInCurvesPanel steps a run: while it is paused after the
// step, the curves panel shows the step explained in place of the loss
// chart (and status().layout.step says where), and a quiet frame draws
// the same; training on takes it away.
func TestStepTableInCurvesPanel(t *testing.T) {
	a := newTestApp(t, "opt=rmsprop&lr=0.001")
	a.Resize(2560, 1080) // room for the recorder's generous measure of the full titles
	a.Update(Input{})
	a.apply(do(stepRun))
	runUntil(t, a, 200, "an explained step", func() bool { return a.sess().LastStep() != nil && !a.sess().Stepping() })
	a.Update(Input{})
	st := a.sess().LastStep()
	rec := &recorder{}
	a.Draw(rec)
	title := fmt.Sprintf("One step: mini-batch 1 of epoch 1, 10 images · loss %.3f → %.3f", st.LossBefore, st.LossAfter)
	for _, s := range []string{title, "gradient ∂L/∂w", "update Δw", "mean square", "|Δw| / |w|", "conv1", "conv2", "hidden", "output"} {
		if !rec.drew(s) {
			t.Errorf("the step explained does not show %q", s)
		}
	}
	if rec.drew("mini-batch loss (smoothed)") {
		t.Error("the loss chart is drawn under the step explained")
	}
	if _, ok := (&Handle{app: a}).status().Layout["step"]; !ok {
		t.Error("status().layout has no step while the step is explained")
	}
	a.apply(do(startRun))
	runUntil(t, a, 200, "more training", func() bool { return a.sess().ImagesTrained() > 10 })
	a.Update(Input{})
	rec = &recorder{}
	a.Draw(rec)
	if rec.drew("One step:") || !rec.drew("mini-batch loss (smoothed)") {
		t.Error("the step is still explained after the run trained on")
	}
	if _, ok := (&Handle{app: a}).status().Layout["step"]; ok {
		t.Error("status().layout still has a step after the run trained on")
	}
}

// runeRecorder measures text as 0.45 of its size a character, a little
// wider than the dashboard's font (about 0.4 in the screenshots), where
// recorder counts bytes (∂, Δ and → take two or three).
type runeRecorder struct{ *recorder }

func (r runeRecorder) TextWidth(s string, size float64) float64 {
	return 0.45 * size * float64(utf8.RuneCountInString(s))
}

// In a phone's column the step table takes its short title and heads,
// each within its place; a wider one, the full title.
func TestStepTableFitsAPhone(t *testing.T) {
	st := &runner.StepExplained{Epoch: 1, Batch: 12, Images: 10, LossBefore: 2.302, LossAfter: 2.25, StateName: "mean square"}
	rows := []stepRow{{"conv1", 0.1, 3e-3, 1e-3, 0.01}, {"conv2", 0.08, 3e-3, 1e-3, 0.02}, {"hidden", 0.02, 2e-3, 1e-4, 0.03}, {"output", 0.1, 2e-3, 3e-3, 0.02}}
	for _, w := range []float64{325, 432} {
		rec := runeRecorder{&recorder{}}
		r := rect(16, 0, w, 88)
		drawStepTable(&canvas{rec}, r, st, rows)
		line, size := stepLine(r)
		colW := (r.W - 4*size) / 4
		for _, p := range rec.placed {
			width := rec.TextWidth(p.s, p.size)
			switch {
			case p.y == r.Y && p.x == r.X: // the title
				if width > r.W {
					t.Errorf("width %v: the title %q (%v wide) overflows", w, p.s, width)
				}
			case p.y == r.Y+line+2 && p.x > r.X: // a column's head
				if width+4 > colW {
					t.Errorf("width %v: head %q is %v wide, its column %v", w, p.s, width, colW)
				}
			}
		}
		if w == 325 && !rec.drew("Step: batch 12, epoch 1") {
			t.Errorf("width %v: no short title in %q", w, rec.texts)
		}
		if w == 432 && !rec.drew("One step: mini-batch 12 of epoch 1") {
			t.Errorf("width %v: no full title in %q", w, rec.texts)
		}
	}
}
