package ui

import (
	"fmt"
	"math"
	"testing"

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
