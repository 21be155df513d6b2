package ui

import (
	"image/color"
	"math"

	"convlab/ui/geom"
	"convlab/ui/plot"
)

// drawCurves draws the error-rate curves per epoch (train and test) above
// the live, smoothed mini-batch loss.
func (a *App) drawCurves(c *canvas, r geom.Rect) {
	in := c.panel(r, "Training curves")
	upper := rect(in.X, in.Y, in.W, in.H*0.58)
	lower := rect(in.X, in.Y+in.H*0.62, in.W, in.H*0.38)
	a.drawErrorChart(c, upper)
	a.drawLossChart(c, lower)
}

// chart is a plotting area with its scales and axes.
type chart struct {
	plotArea geom.Rect
	x, y     plot.Scale
	xTicks   []float64
	yTicks   []float64
}

// newChart reserves room for axis labels inside r and sets the scales.
// The x axis counts epochs, so its ticks are whole numbers.
func newChart(r geom.Rect, x0, x1, y0, y1 float64) chart {
	p := rect(r.X+38, r.Y+16, r.W-78, r.H-36)
	return chart{
		plotArea: p,
		x:        plot.NewScale(x0, x1, p.X, p.X+p.W),
		y:        plot.NewScale(y0, y1, p.Y+p.H, p.Y),
		xTicks:   plot.NiceTicks(x0, x1, min(8, int(x1-x0)+1)),
		yTicks:   plot.NiceTicks(y0, y1, 5),
	}
}

// drawAxes draws grid lines, tick labels and the x-axis title.
func (ch chart) drawAxes(c *canvas, xTitle string, yLabel func(v, step float64) string) {
	p := ch.plotArea
	ystep := tickStep(ch.yTicks)
	for _, v := range ch.yTicks {
		y := ch.y.Map(v)
		if y < p.Y-0.5 || y > p.Y+p.H+0.5 {
			continue
		}
		c.line(p.X, y, p.X+p.W, y, 1, colGrid)
		c.text(yLabel(v, ystep), p.X-5, y-7, 11, colMuted, alignRight)
	}
	xstep := tickStep(ch.xTicks)
	for _, v := range ch.xTicks {
		x := ch.x.Map(v)
		if x < p.X-0.5 || x > p.X+p.W+0.5 {
			continue
		}
		c.line(x, p.Y+p.H, x, p.Y+p.H+4, 1, colBorder)
		c.text(plot.FormatTick(v, xstep), x, p.Y+p.H+5, 11, colMuted, alignCenter)
	}
	c.line(p.X, p.Y+p.H, p.X+p.W, p.Y+p.H, 1, colBorder)
	c.line(p.X, p.Y, p.X, p.Y+p.H, 1, colBorder)
	c.text(xTitle, p.X+p.W+8, p.Y+p.H-6, 11, colMuted, alignLeft)
}

func tickStep(ticks []float64) float64 {
	if len(ticks) < 2 {
		return 1
	}
	return ticks[1] - ticks[0]
}

func (a *App) drawErrorChart(c *canvas, r geom.Rect) {
	h := a.sess.History()
	epochs := float64(a.sess.Settings().Epochs)
	top := 0.0
	for _, m := range h {
		top = max(top, m.Train.Error, m.Test.Error)
	}
	top = niceTop(top, 0.1)
	ch := newChart(r, 0, epochs, 0, top)
	ch.drawAxes(c, "epoch", plot.FormatPercent)
	c.text("error rate", ch.plotArea.X-34, ch.plotArea.Y-16, 11, colMuted, alignLeft)
	series := []struct {
		name string
		clr  color.Color
		get  func(i int) float64
	}{
		{"train error", colTrain, func(i int) float64 { return h[i].Train.Error }},
		{"test error", colTest, func(i int) float64 { return h[i].Test.Error }},
	}
	for k, s := range series {
		xs, ys := make([]float64, len(h)), make([]float64, len(h))
		for i := range h {
			xs[i], ys[i] = ch.x.Map(float64(h[i].Epoch)), ch.y.Map(s.get(i))
		}
		c.polyline(xs, ys, 2, s.clr)
		for i := range xs {
			c.circle(xs[i], ys[i], 3, s.clr)
		}
		a.drawLegendEntry(c, ch.plotArea.X+ch.plotArea.W-190+float64(k)*95, ch.plotArea.Y-16, s.name, s.clr)
	}
	if len(h) == 0 {
		c.text("error per epoch appears here", ch.plotArea.X+ch.plotArea.W/2, ch.plotArea.Y+ch.plotArea.H/2-7, 12, colMuted, alignCenter)
	}
}

func (a *App) drawLossChart(c *canvas, r geom.Rect) {
	pts := a.sess.LossCurve()
	epochs := float64(a.sess.Settings().Epochs)
	top := 0.0
	for _, p := range pts {
		if !math.IsNaN(p.Y) {
			top = max(top, p.Y)
		}
	}
	top = niceTop(top, 0.5)
	ch := newChart(r, 0, epochs, 0, top)
	ch.drawAxes(c, "epoch", plot.FormatTick)
	c.text("mini-batch loss (smoothed)", ch.plotArea.X-34, ch.plotArea.Y-16, 11, colMuted, alignLeft)
	xs, ys := make([]float64, len(pts)), make([]float64, len(pts))
	for i, p := range pts {
		xs[i], ys[i] = ch.x.Map(p.X), ch.y.Map(p.Y)
	}
	c.polyline(xs, ys, 1.5, colLoss)
}

func (a *App) drawLegendEntry(c *canvas, x, y float64, label string, clr color.Color) {
	c.line(x, y+7, x+16, y+7, 2.5, clr)
	c.text(label, x+20, y, 11, colText, alignLeft)
}

// niceTop rounds a maximum up to the next tick so the chart has headroom;
// it is at least floor.
func niceTop(v, floor float64) float64 {
	v = max(v, floor)
	ticks := plot.NiceTicks(0, v, 5)
	if len(ticks) == 0 {
		return v
	}
	return max(ticks[len(ticks)-1], v)
}
