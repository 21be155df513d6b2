package ui

import (
	"image/color"
	"math"

	"convlab/ui/geom"
	"convlab/ui/plot"
)

// curves is the training-curves panel: the error rates per epoch (train
// and test) above the live, smoothed mini-batch loss, of the selected
// run.
type curves struct{}

func (curves) update(*frame) []action { return nil }

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

func (curves) draw(c *canvas, f *frame) {
	upper, lower := curvesLayout(c.card(f.rect, "Training curves"))
	r := f.run()
	drawErrorChart(c, upper, r)
	drawLossChart(c, lower, r)
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

// drawErrorChart draws the train and test error rates after each epoch.
func drawErrorChart(c *canvas, r geom.Rect, run run) {
	h := run.History()
	top := 0.0
	for _, m := range h {
		top = max(top, m.Train.Error, m.Test.Error)
	}
	ch := newChart(r, 0, float64(run.Settings().Epochs), 0, niceTop(top, 0.1))
	ch.drawAxes(c, "epoch", plot.FormatPercent)
	c.Text("error rate", ch.plotArea.X-34, ch.plotArea.Y-16, 11, colMuted, AlignLeft)
	for k, s := range []struct {
		name string
		clr  color.Color
		get  func(i int) float64
	}{
		{"train error", colTrain, func(i int) float64 { return h[i].Train.Error }},
		{"test error", colTest, func(i int) float64 { return h[i].Test.Error }},
	} {
		xs, ys := make([]float64, len(h)), make([]float64, len(h))
		for i := range h {
			xs[i], ys[i] = ch.x.Map(float64(h[i].Epoch)), ch.y.Map(s.get(i))
		}
		c.Polyline(xs, ys, 2, s.clr)
		for i := range xs {
			c.Circle(xs[i], ys[i], 3, s.clr)
		}
		drawLegendEntry(c, ch.plotArea.X+ch.plotArea.W-190+float64(k)*95, ch.plotArea.Y-16, s.name, s.clr)
	}
	if len(h) == 0 {
		c.Text("error per epoch appears here", ch.plotArea.X+ch.plotArea.W/2, ch.plotArea.Y+ch.plotArea.H/2-7, 12, colMuted, AlignCenter)
	}
}

// drawLossChart draws the smoothed mini-batch loss against epochs.
func drawLossChart(c *canvas, r geom.Rect, run run) {
	pts := run.LossCurve()
	top := 0.0
	for _, p := range pts {
		if !math.IsNaN(p.Y) {
			top = max(top, p.Y)
		}
	}
	ch := newChart(r, 0, float64(run.Settings().Epochs), 0, niceTop(top, 0.5))
	ch.drawAxes(c, "epoch", plot.FormatTick)
	c.Text("mini-batch loss (smoothed)", ch.plotArea.X-34, ch.plotArea.Y-16, 11, colMuted, AlignLeft)
	xs, ys := make([]float64, len(pts)), make([]float64, len(pts))
	for i, p := range pts {
		xs[i], ys[i] = ch.x.Map(p.X), ch.y.Map(p.Y)
	}
	c.Polyline(xs, ys, 1.5, colLoss)
}

// drawLegendEntry draws a short line in clr and its label.
func drawLegendEntry(c *canvas, x, y float64, label string, clr color.Color) {
	c.Line(x, y+7, x+16, y+7, 2.5, clr)
	c.Text(label, x+20, y, 11, colText, AlignLeft)
}
