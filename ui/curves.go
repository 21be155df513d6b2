package ui

import (
	"fmt"
	"image/color"
	"math"

	"convlab/nn"
	"convlab/ui/geom"
	"convlab/ui/plot"
	"convlab/ui/widget"
)

// curves is the training-curves panel: the error rates per epoch (train
// and test) above the live, smoothed mini-batch loss, or, while the
// selected run is paused after a step it explained, that step (see
// drawStepTable) in the loss chart's place. With one run it
// draws train error in blue and test error in orange; with several, each
// run in its own colour (as in the runs table), train solid and test
// dashed, with a legend naming each run by what sets it apart.
// The CSV, PNG and Report buttons in its title bar save every run's
// per-epoch metrics, the chart as an image, and the homework report; the
// view selector beside the title switches to the per-layer charts
// (drawLayerCharts), and back. Under the charts, the epoch scrubber (see
// scrub) picks a finished epoch of the selected run for the insight
// panels, marked on the charts, and Live returns them to the latest
// weights; ← and → step it.
type curves struct {
	csv, png, report widget.Button
	view             *widget.Selector
	epochs           widget.Slider // over the charts' epoch axis, 0 to its end
	live             widget.Button
	step             geom.Rect // where the step explained is shown (see shownStep), empty when it is not
}

// The curves panel's views, in the selector's order.
const (
	viewErrors   = iota // error rates and the mini-batch loss
	viewPerLayer        // each layer's update ratio and gradient RMS
)

func newCurves() *curves {
	return &curves{csv: widget.Button{Label: "CSV", Enabled: true}, png: widget.Button{Label: "PNG", Enabled: true},
		report: widget.Button{Label: "Report", Enabled: true}, live: widget.Button{Label: "Live"},
		view: must(widget.NewSelector(geom.Rect{}, []string{"errors", "per layer"}, viewErrors))}
}

// curvesViewRect is where the view selector sits in a panel at r: in the
// title bar after the title, or, where the title bar is too narrow for
// it and the buttons (a phone's column), at the top of the panel's
// inside, which then starts below it (below is true).
func curvesViewRect(r geom.Rect) (sel geom.Rect, below bool) {
	if r.W >= 420 {
		return rect(r.X+130, r.Y+4, 130, 18), false
	}
	return rect(r.X+panelPadding, r.Y+panelTitleH, 130, 18), true
}

// curvesInside is the inside of the panel at r under the view selector
// when the selector sits there (see curvesViewRect).
func curvesInside(r geom.Rect) geom.Rect {
	in := panelInner(r)
	if _, below := curvesViewRect(r); below {
		in = rect(in.X, in.Y+24, in.W, in.H-24)
	}
	return in
}

func (p *curves) update(f *frame) []action {
	b := titleButtons(f.rect, 40, 40, 54)
	p.csv.Rect, p.png.Rect, p.report.Rect = b[0], b[1], b[2]
	p.view.Rect, _ = curvesViewRect(f.rect)
	var acts []action
	for _, e := range f.input.Events {
		switch {
		case p.view.Handle(e):
		case p.csv.Handle(e):
			acts = append(acts, do(saveCSV))
		case p.png.Handle(e):
			acts = append(acts, do(saveChart))
		case p.report.Handle(e):
			acts = append(acts, do(saveReport))
		}
	}
	p.step = geom.Rect{}
	if shownStep(f.run()) != nil && p.view.Selected == viewErrors {
		p.step = stepTableRect(curvesPanelLayout(curvesInside(f.rect)))
	}
	return append(acts, p.scrub(f)...)
}

// stepTableRect is where the step explained goes: the loss chart's place
// and the gap above it, down to the scrubber's row.
func stepTableRect(_, loss, scrubber geom.Rect) geom.Rect {
	top := loss.Y - 8
	return rect(loss.X, top, loss.W, scrubber.Y-top)
}

// scrubberH is the height of the scrubber's row under the charts.
const scrubberH = 24.0

// curvesPanelLayout splits the panel's inside: the charts (see
// curvesLayout), then the scrubber's row.
func curvesPanelLayout(in geom.Rect) (errors, loss, scrubber geom.Rect) {
	errors, loss = curvesLayout(rect(in.X, in.Y, in.W, in.H-scrubberH))
	return errors, loss, rect(in.X, in.Y+in.H-scrubberH, in.W, scrubberH)
}

// scrub places the scrubber under the error chart's plot, its values on
// the chart's epochs, and turns presses, drags and the arrow keys into the
// epoch to show. Epochs not finished yet cannot be picked: the scrubber
// stops at the latest finished.
func (p *curves) scrub(f *frame) []action {
	upper, _, row := curvesPanelLayout(curvesInside(f.rect))
	plotArea := newChart(upper, 0, epochSpan(f.runs), 0, 1).plotArea
	p.epochs.Rect = rect(plotArea.X, row.Y, plotArea.W, row.H)
	p.epochs.Min, p.epochs.Max = 0, int(epochSpan(f.runs))
	p.epochs.Value = f.view.at
	if f.view.at == 0 {
		p.epochs.Value = -1 // live: a press on any epoch picks it
	}
	// Live keeps clear of the widest epoch box at the track's end.
	p.live.Rect = rect(plotArea.X+plotArea.W+13, row.Y+3, chartRight-13, row.H-6)
	p.live.Enabled = f.view.at != 0
	finished := len(f.runs[f.selected].History())
	var acts []action
	for _, e := range f.input.Events {
		if p.epochs.Handle(e) && finished > 0 {
			acts = append(acts, action{kind: showEpoch, index: min(max(p.epochs.Value, 1), finished)})
		}
		if p.live.Handle(e) {
			acts = append(acts, action{kind: showEpoch, index: 0})
		}
	}
	for _, k := range []struct {
		key   Key
		delta int
	}{{KeyLeft, -1}, {KeyRight, 1}} {
		if f.input.pressed(k.key) {
			acts = append(acts, action{kind: stepEpochs, index: k.delta})
		}
	}
	return acts
}

// drawScrubber draws the scrubber: "show" left of a track along the epoch
// axis, darker
// over the finished epochs with a dot at each, the shown epoch's number
// in a box on it (filled while an epoch is shown, pale while live, where
// it sits at the latest finished epoch), and Live at its right.
func (p *curves) drawScrubber(c *canvas, f *frame) {
	s := &p.epochs
	cy := s.Y + s.H/2
	finished := len(f.runs[f.selected].History())
	c.Line(s.X, cy, s.X+s.W, cy, 3, colGrid)
	c.Text("show", s.X-8, cy-7, 11, colMuted, AlignRight)
	if finished == 0 {
		c.Text("each finished epoch can be revisited here", s.X+s.W/2, cy-7, 11, colMuted, AlignCenter)
		return
	}
	c.Line(s.ValueX(1), cy, s.ValueX(finished), cy, 3, colBorder)
	if s.W/float64(max(1, s.Max)) >= 6 {
		for e := 1; e <= finished; e++ {
			c.Circle(s.ValueX(e), cy, 2.5, colMuted)
		}
	}
	shown, bg, fg := f.view.at, colAccent, colPanel
	if shown == 0 {
		shown, bg, fg = finished, colAccentSoft, colAccent
	}
	label := fmt.Sprint(shown)
	w := c.TextWidth(label, 11) + 10
	box := rect(s.ValueX(shown)-w/2, cy-8, w, 16)
	if s.Dragging() {
		bg, fg = colText, colPanel
	}
	c.FillRect(box, bg)
	c.Text(label, box.X+box.W/2, box.Y+1, 11, fg, AlignCenter)
	liveBg, liveFg := colAccent, colPanel // live now
	switch {
	case p.live.Pressed():
		liveBg, liveFg = colText, colPanel
	case p.live.Enabled:
		liveBg, liveFg = colAccentSoft, colAccent
	}
	c.FillRect(p.live.Rect, liveBg)
	c.Text(p.live.Label, p.live.X+p.live.W/2, p.live.Y+p.live.H/2-7, 11, liveFg, AlignCenter)
}

// Sizes of a chart: room for the tick labels left of and below the plot,
// the axis title right of it, and the chart's title above.
const (
	chartLeft   = 38.0
	chartTop    = 16.0
	chartRight  = 40.0
	chartBottom = 20.0
	maxXTicks   = 8
	yTicks      = 5
)

// curvesLayout splits the panel's inside: the error chart on top, the
// loss chart below.
func curvesLayout(in geom.Rect) (errors, loss geom.Rect) {
	return rect(in.X, in.Y, in.W, in.H*0.58), rect(in.X, in.Y+in.H*0.62, in.W, in.H*0.38)
}

func (p *curves) draw(c *canvas, f *frame) {
	c.card(f.rect, "Training curves")
	c.smallButton(&p.csv)
	c.smallButton(&p.png)
	c.smallButton(&p.report)
	c.selector(p.view)
	upper, lower, row := curvesPanelLayout(curvesInside(f.rect))
	if p.view.Selected == viewPerLayer {
		drawLayerCharts(c, rect(upper.X, upper.Y, upper.W, row.Y-upper.Y), f.runs)
	} else {
		drawErrorChart(c, upper, f.runs, f.view.at)
		if st := shownStep(f.run()); st != nil && !p.step.Empty() {
			drawStepTable(c, p.step, st, stepRows(st, f.run().Network()))
		} else {
			drawLossChart(c, lower, f.runs, f.view.at)
		}
	}
	p.drawScrubber(c, f)
}

// chart is a plotting area with its scales and axes.
type chart struct {
	plotArea geom.Rect
	x, y     plot.Scale
	xTicks   []float64
	yTicks   []float64
}

// newChart reserves room for axis labels inside r and sets the scales
// for x in [x0, x1] and y in [y0, y1].
func newChart(r geom.Rect, x0, x1, y0, y1 float64) chart {
	p := rect(r.X+chartLeft, r.Y+chartTop, r.W-chartLeft-chartRight, r.H-chartTop-chartBottom)
	return chart{
		plotArea: p,
		x:        plot.NewScale(x0, x1, p.X, p.X+p.W),
		y:        plot.NewScale(y0, y1, p.Y+p.H, p.Y),
		xTicks:   epochTicks(x0, x1),
		yTicks:   plot.NiceTicks(y0, y1, yTicks),
	}
}

// epochTicks chooses the ticks of an axis that counts epochs from x0 to
// x1 (whole numbers): every epoch while that makes at most maxXTicks,
// otherwise plot.NiceTicks's, whose steps are whole for such spans. Only
// ticks within [x0, x1] are returned: those are the ones drawn.
func epochTicks(x0, x1 float64) []float64 {
	var ticks []float64
	if x1-x0 < maxXTicks {
		for x := x0; x <= x1; x++ {
			ticks = append(ticks, x)
		}
		return ticks
	}
	for _, x := range plot.NiceTicks(x0, x1, maxXTicks) {
		if x >= x0 && x <= x1 {
			ticks = append(ticks, x)
		}
	}
	return ticks
}

// niceTop rounds a maximum up to the next tick so the chart has headroom;
// it is at least floor.
func niceTop(v, floor float64) float64 {
	v = max(v, floor)
	ticks := plot.NiceTicks(0, v, yTicks)
	if len(ticks) == 0 {
		return v
	}
	return max(ticks[len(ticks)-1], v)
}

// tickStep is the distance between neighbouring ticks, 1 for fewer than
// two.
func tickStep(ticks []float64) float64 {
	if len(ticks) < 2 {
		return 1
	}
	return ticks[1] - ticks[0]
}

// drawAxes draws grid lines, tick labels and the x axis's title.
func (ch chart) drawAxes(c *canvas, xTitle string, yLabel func(v, step float64) string) {
	p := ch.plotArea
	ystep := tickStep(ch.yTicks)
	for _, v := range ch.yTicks {
		y := ch.y.Map(v)
		if y < p.Y-0.5 || y > p.Y+p.H+0.5 {
			continue
		}
		c.Line(p.X, y, p.X+p.W, y, 1, colGrid)
		c.Text(yLabel(v, ystep), p.X-5, y-7, 11, colMuted, AlignRight)
	}
	xstep := tickStep(ch.xTicks)
	for _, v := range ch.xTicks {
		x := ch.x.Map(v)
		if x < p.X-0.5 || x > p.X+p.W+0.5 {
			continue
		}
		c.Line(x, p.Y+p.H, x, p.Y+p.H+4, 1, colBorder)
		c.Text(plot.FormatTick(v, xstep), x, p.Y+p.H+5, 11, colMuted, AlignCenter)
	}
	c.Line(p.X, p.Y+p.H, p.X+p.W, p.Y+p.H, 1, colBorder)
	c.Line(p.X, p.Y, p.X, p.Y+p.H, 1, colBorder)
	c.Text(xTitle, p.X+p.W+8, p.Y+p.H-6, 11, colMuted, AlignLeft)
}

// markEpoch draws a line across the chart at the end of epoch, the one
// the scrubber shows; 0 draws nothing.
func (ch chart) markEpoch(c *canvas, epoch int) {
	if epoch == 0 {
		return
	}
	x := ch.x.Map(float64(epoch))
	c.Line(x, ch.plotArea.Y, x, ch.plotArea.Y+ch.plotArea.H, 1.5, colText)
}

// drawErrorChart draws every run's train and test error rates after each
// epoch, the legend, and the mark of epoch mark (0 for none).
func drawErrorChart(c *canvas, r geom.Rect, runs []run, mark int) {
	top, any := 0.0, false
	for _, run := range runs {
		for _, m := range run.History() {
			top, any = max(top, m.Train.Error, m.Test.Error), true
		}
	}
	ch := newChart(r, 0, epochSpan(runs), 0, niceTop(top, 0.1))
	ch.drawAxes(c, "epoch", plot.FormatPercent)
	ch.markEpoch(c, mark)
	c.Text("error rate", ch.plotArea.X-34, ch.plotArea.Y-16, 11, colMuted, AlignLeft)
	for i, run := range runs {
		h := run.History()
		train, test := errorStyles(i, len(runs))
		for _, s := range []struct {
			st  curveStyle
			get func(m nn.EpochMetrics) float64
		}{{train, func(m nn.EpochMetrics) float64 { return m.Train.Error }}, {test, func(m nn.EpochMetrics) float64 { return m.Test.Error }}} {
			xs, ys := make([]float64, len(h)), make([]float64, len(h))
			for k, m := range h {
				xs[k], ys[k] = ch.x.Map(float64(m.Epoch)), ch.y.Map(s.get(m))
			}
			drawCurve(c, xs, ys, 2, s.st, len(h) <= 20) // dots while there is room between them
		}
	}
	drawErrorLegend(c, ch, runs)
	if !any {
		c.Text("error per epoch appears here", ch.plotArea.X+ch.plotArea.W/2, ch.plotArea.Y+ch.plotArea.H/2-7, 12, colMuted, AlignCenter)
	}
}

// drawErrorLegend names the curves above the chart: train and test error
// for one run; for several, what solid and dashed mean, then each run's
// colour and name, as many as fit in the width.
func drawErrorLegend(c *canvas, ch chart, runs []run) {
	x, y := ch.plotArea.X+ch.plotArea.W, ch.plotArea.Y-16
	if len(runs) == 1 {
		train, test := errorStyles(0, 1)
		drawLegendEntry(c, x-190, y, "train error", train)
		drawLegendEntry(c, x-95, y, "test error", test)
		return
	}
	key := []struct {
		label string
		st    curveStyle
	}{{"train", curveStyle{colMuted, false}}, {"test", curveStyle{colMuted, true}}}
	right := x + chartRight
	for k := len(key) - 1; k >= 0; k-- {
		right -= 20 + c.TextWidth(key[k].label, 11) + 10
		drawLegendEntry(c, right, y, key[k].label, key[k].st)
	}
	left := ch.plotArea.X + 30
	for i, r := range runs {
		w := 20 + c.TextWidth(r.label, 11) + 10
		if left+w > right-8 {
			c.Text("…", left, y, 11, colMuted, AlignLeft)
			break
		}
		drawLegendEntry(c, left, y, r.label, curveStyle{runColour(i), false})
		left += w
	}
}

// drawLossChart draws every run's smoothed mini-batch loss against
// epochs, and the mark of epoch mark (0 for none).
func drawLossChart(c *canvas, r geom.Rect, runs []run, mark int) {
	top := 0.0
	for _, run := range runs {
		for _, p := range run.LossCurve() {
			if !math.IsNaN(p.Y) {
				top = max(top, p.Y)
			}
		}
	}
	ch := newChart(r, 0, epochSpan(runs), 0, niceTop(top, 0.5))
	ch.drawAxes(c, "epoch", plot.FormatTick)
	ch.markEpoch(c, mark)
	c.Text("mini-batch loss (smoothed)", ch.plotArea.X-34, ch.plotArea.Y-16, 11, colMuted, AlignLeft)
	for i, run := range runs {
		pts := run.LossCurve()
		xs, ys := make([]float64, len(pts)), make([]float64, len(pts))
		for k, p := range pts {
			xs[k], ys[k] = ch.x.Map(p.X), ch.y.Map(p.Y)
		}
		clr := color.Color(colLoss)
		if len(runs) > 1 {
			clr = runColour(i)
		}
		c.Polyline(xs, ys, 1.5, clr)
	}
}

// drawLegendEntry draws a short line in style st and its label.
func drawLegendEntry(c *canvas, x, y float64, label string, st curveStyle) {
	drawCurve(c, []float64{x, x + 16}, []float64{y + 7, y + 7}, 2.5, st, false)
	c.Text(label, x+20, y, 11, colText, AlignLeft)
}
