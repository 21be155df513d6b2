package ui

import (
	"fmt"
	"math"
	"strings"

	"convlab/nn"
	"convlab/ui/geom"
	"convlab/ui/runner"
)

// The step explained: while a run is paused after a Step that trained a
// whole mini-batch (runner.StepExplained), the curves panel shows, in
// place of the mini-batch loss chart, what the step did to each
// parameterised layer: the RMS of the gradient the optimizer was given,
// of the update Δw it made and of the state it keeps (Momentum's
// velocity, RMSProp's running mean of squares; none for SGD), and how far
// it moved the weights, |Δw|/|w|, with a bar beside each figure on a log
// scale, and the batch's loss before and after. It goes when the run
// trains on.

// stepLines is how many lines the step table has: a title, the column
// heads and four layers.
const stepLines = 6

// stepLine returns the height of a line of the step table in r and the
// size of its text: 14 and 11 units at the design size, where six lines
// just fit the loss chart's place, and up to 20 and 13 where r is taller
// (a larger screen, for a projector).
func stepLine(r geom.Rect) (line, size float64) {
	line = max(14, min(20, math.Floor(r.H/stepLines)))
	return line, 11 + (line-14)/3
}

// stepDecades is how many powers of ten a column's bars span: the
// largest figure of a column fills its bar, one 10^stepDecades times
// smaller leaves it empty.
const stepDecades = 3.0

// shownStep returns the step r explains while it is paused after it, or
// nil.
func shownStep(r run) *runner.StepExplained {
	st := r.LastStep()
	if st == nil || r.State() != runner.Paused || r.Stepping() {
		return nil
	}
	return st
}

// stepRow is one layer's figures of an explained step, its weights and
// bias together.
type stepRow struct {
	layer               string
	grad, update, state float64 // RMS over the layer's values
	ratio               float64 // RMS(Δw) / RMS(w after the step)
}

// stepRows merges the step's tensors by layer (conv1.weight and
// conv1.bias make conv1), in the network's order: the RMS of a layer is
// √(Σ nᵢ·rmsᵢ² / Σ nᵢ) over its tensors of nᵢ values, which net gives.
func stepRows(st *runner.StepExplained, net *nn.Network) []stepRow {
	sizes := make(map[string]int)
	for _, p := range net.Params() {
		sizes[p.Name] = len(p.Value)
	}
	var rows []stepRow
	sums := map[string]*[4]float64{} // Σ n·rms² of weight, gradient, update, state
	counts := map[string]float64{}
	for _, t := range st.Tensors {
		layer, _, _ := strings.Cut(t.Name, ".")
		if sums[layer] == nil {
			sums[layer] = new([4]float64)
			rows = append(rows, stepRow{layer: layer})
		}
		n := float64(sizes[t.Name])
		for i, v := range [4]float64{t.Weight, t.Gradient, t.Update, t.State} {
			sums[layer][i] += n * v * v
		}
		counts[layer] += n
	}
	for i := range rows {
		s, n := sums[rows[i].layer], counts[rows[i].layer]
		if n == 0 {
			continue
		}
		w := math.Sqrt(s[0] / n)
		rows[i].grad, rows[i].update, rows[i].state = math.Sqrt(s[1]/n), math.Sqrt(s[2]/n), math.Sqrt(s[3]/n)
		if w > 0 {
			rows[i].ratio = rows[i].update / w
		}
	}
	return rows
}

// drawStepTable draws the step explained in r: a title line with the
// batch and its loss before and after, a line of column heads, and a
// line per layer.
func drawStepTable(c *canvas, r geom.Rect, st *runner.StepExplained, rows []stepRow) {
	line, size := stepLine(r)
	title := fmt.Sprintf("One step: mini-batch %d of epoch %d, %d images · loss %.3f → %.3f",
		st.Batch, st.Epoch, st.Images, st.LossBefore, st.LossAfter)
	if c.TextWidth(title, size+1) > r.W { // a phone's column (boldText draws one unit larger)
		title = fmt.Sprintf("Step: batch %d, epoch %d · loss %.3f → %.3f", st.Batch, st.Epoch, st.LossBefore, st.LossAfter)
	}
	c.boldText(title, r.X, r.Y, size, colText, AlignLeft)
	if note := "bars: log scale"; c.TextWidth(title, size+1)+c.TextWidth(note, size)+12 <= r.W {
		c.Text(note, r.X+r.W, r.Y, size, colMuted, AlignRight)
	}
	state := st.StateName
	if state == "" {
		state = "state (none)"
	}
	heads := [4]string{"gradient ∂L/∂w", "update Δw", state, "|Δw| / |w|"}
	layerW := 4 * size
	colW := (r.W - layerW) / 4
	for i, short := range [4]string{"∂L/∂w", "Δw", shortState(st.StateName), "|Δw|/|w|"} {
		if c.TextWidth(heads[i], size)+4 > colW {
			heads[i] = short
		}
	}
	y := r.Y + line + 2
	c.Text("RMS of", r.X, y, size, colMuted, AlignLeft)
	for i, h := range heads {
		c.Text(h, r.X+layerW+float64(i)*colW, y, size, colMuted, AlignLeft)
	}
	var cols [4][]float64
	for _, row := range rows {
		for i, v := range [4]float64{row.grad, row.update, row.state, row.ratio} {
			cols[i] = append(cols[i], v)
		}
	}
	for _, row := range rows {
		y += line
		c.Text(row.layer, r.X, y, size, colText, AlignLeft)
		for i, v := range [4]float64{row.grad, row.update, row.state, row.ratio} {
			x := r.X + layerW + float64(i)*colW
			if i == 2 && st.StateName == "" {
				c.Text("—", x, y, size, colMuted, AlignLeft)
				continue
			}
			drawStepFigure(c, rect(x, y, colW-6, line), size, v, cols[i])
		}
	}
}

// shortState names an optimizer's state in a narrow column: v for
// Momentum's velocity, s for RMSProp's mean square, as in the update
// rules.
func shortState(name string) string {
	switch name {
	case "velocity":
		return "v"
	case "mean square":
		return "s"
	}
	return "state"
}

// drawStepFigure draws v as text of size size in the line r and, to its
// right, a bar whose length is log₁₀ v on the scale of col, its column
// (logBar).
func drawStepFigure(c *canvas, r geom.Rect, size, v float64, col []float64) {
	textW := 4 * size
	c.Text(short(v), r.X, r.Y, size, colText, AlignLeft)
	h := math.Round(0.6 * size)
	bar := rect(r.X+textW, r.Y+math.Round(0.55*size-h/2), max(0, r.W-textW), h) // level with the text's middle
	c.FillRect(bar, colGrid)
	if f := logBar(v, col); f > 0 {
		c.FillRect(rect(bar.X, bar.Y, bar.W*f, bar.H), colProbBar)
	}
}

// logBar returns how much of its bar v fills, from 0 to 1: the bars of a
// column share a log scale from its largest figure down stepDecades
// powers of ten, so that figures of different sizes keep their ratios
// readable; zero, a figure not finite and one below the scale give 0.
func logBar(v float64, col []float64) float64 {
	top := 0.0
	for _, x := range col {
		if !math.IsInf(x, 0) && !math.IsNaN(x) {
			top = max(top, x)
		}
	}
	if !(v > 0) || math.IsInf(v, 0) || top == 0 {
		return 0
	}
	f := 1 + (math.Log10(v)-math.Log10(top))/stepDecades
	return max(0, min(1, f))
}
