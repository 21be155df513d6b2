package ui

import (
	"math"
	"strconv"

	"convlab/nn"
	"convlab/ui/geom"
	"convlab/ui/plot"
)

// The curves panel's second view, "per layer", shows why the optimizers
// differ: for each layer with weights (conv1, conv2, hidden, output, one
// small chart each, side by side) how far each epoch moved its weights,
// ‖Δw‖/‖w‖, and, below, the RMS of the gradients the optimizer was given
// (nn.LayerStats). Each run is a curve in its colour, as in the error
// chart. Both rows have a log scale shared by their four charts: the
// figures of SGD and RMSProp at η = 0.001 lie a decade apart, and the
// layers can be compared at a glance.

// layerMetric is one row of the view: a figure per layer and epoch.
type layerMetric struct {
	title string
	get   func(nn.LayerStats) float64
	label func(decade int) string // a tick's label at 10^decade
}

func layerMetrics() [2]layerMetric {
	return [2]layerMetric{
		{"update |Δw| / |w| per epoch (log scale)", func(s nn.LayerStats) float64 { return s.UpdateRatio }, percentDecade},
		{"gradient RMS per epoch (log scale)", func(s nn.LayerStats) float64 { return s.GradRMS }, plainDecade},
	}
}

// statsLayers are the layers the view draws, in the network's order.
var statsLayers = [...]string{nn.LayerConv1, nn.LayerConv2, nn.LayerHidden, nn.LayerOutput}

// Sizes of the small charts: room for the decade labels left of the first,
// a row's title and the layers' names above, the epochs below.
const (
	layerChartLeft  = 40.0
	layerChartGap   = 10.0
	layerRowTitle   = 30.0
	layerChartBelow = 16.0
	layerRowGap     = 6.0
)

// drawLayerCharts draws the view in r.
func drawLayerCharts(c *canvas, r geom.Rect, runs []run) {
	rowH := (r.H - layerRowGap) / 2
	for k, m := range layerMetrics() {
		drawLayerRow(c, rect(r.X, r.Y+float64(k)*(rowH+layerRowGap), r.W, rowH), m, runs)
	}
}

// drawLayerRow draws one metric's four charts.
func drawLayerRow(c *canvas, r geom.Rect, m layerMetric, runs []run) {
	c.Text(m.title, r.X, r.Y, 11, colMuted, AlignLeft)
	lo, hi, any := decadeRange(runs, m.get)
	plotW := (r.W - layerChartLeft - 3*layerChartGap) / 4
	top, bottom := r.Y+layerRowTitle, r.Y+r.H-layerChartBelow
	xmax := epochSpan(runs)
	y := plot.NewScale(float64(lo), float64(hi), bottom, top)
	step := max(1, (hi-lo+3)/4) // at most about 4 labelled decades
	for col, layer := range statsLayers {
		p := rect(r.X+layerChartLeft+float64(col)*(plotW+layerChartGap), top, plotW, bottom-top)
		x := plot.NewScale(0, xmax, p.X, p.X+p.W)
		c.Text(layer, p.X+p.W/2, top-15, 11, colText, AlignCenter)
		for d := lo; d <= hi; d++ {
			c.Line(p.X, y.Map(float64(d)), p.X+p.W, y.Map(float64(d)), 1, colGrid)
			if col == 0 && (d-lo)%step == 0 {
				c.Text(m.label(d), p.X-4, y.Map(float64(d))-7, 11, colMuted, AlignRight)
			}
		}
		c.Line(p.X, p.Y+p.H, p.X+p.W, p.Y+p.H, 1, colBorder)
		c.Line(p.X, p.Y, p.X, p.Y+p.H, 1, colBorder)
		for _, e := range []float64{1, xmax} {
			c.Text(plot.FormatTick(e, 1), x.Map(e), p.Y+p.H+2, 11, colMuted, AlignCenter)
		}
		for i, run := range runs {
			xs, ys := layerCurve(run.History(), layer, m.get, x, y)
			st, _ := errorStyles(i, len(runs))
			drawCurve(c, xs, ys, 2, st, len(xs) <= 20 && p.W/xmax >= 6)
		}
	}
	if !any {
		c.Text("appears after the first epoch", r.X+r.W/2, (top+bottom)/2-7, 12, colMuted, AlignCenter)
	}
}

// layerCurve returns the points of one run's figure for layer, on the
// log scale y; epochs whose figure is not positive and finite are left
// out.
func layerCurve(h []nn.EpochMetrics, layer string, get func(nn.LayerStats) float64, x, y plot.Scale) (xs, ys []float64) {
	for _, m := range h {
		for _, s := range m.Layers {
			if v := get(s); s.Layer == layer && v > 0 && !math.IsInf(v, 0) {
				xs, ys = append(xs, x.Map(float64(m.Epoch))), append(ys, y.Map(math.Log10(v)))
			}
		}
	}
	return xs, ys
}

// decadeRange returns the decades 10^lo ≤ v ≤ 10^hi that hold every
// run's positive, finite figures (lo < hi), and whether there were any;
// without any, 10^−3 to 10^0.
func decadeRange(runs []run, get func(nn.LayerStats) float64) (lo, hi int, any bool) {
	minV, maxV := math.Inf(1), 0.0
	for _, r := range runs {
		for _, m := range r.History() {
			for _, s := range m.Layers {
				if v := get(s); v > 0 && !math.IsInf(v, 0) {
					minV, maxV = min(minV, v), max(maxV, v)
				}
			}
		}
	}
	if maxV == 0 {
		return -3, 0, false
	}
	lo, hi = int(math.Floor(math.Log10(minV))), int(math.Ceil(math.Log10(maxV)))
	if hi <= lo {
		hi = lo + 1
	}
	return lo, hi, true
}

// percentDecade labels 10^d as a percentage: "10%", "0.1%".
func percentDecade(d int) string {
	return strconv.FormatFloat(100*math.Pow(10, float64(d)), 'f', max(0, -d-2), 64) + "%"
}

// plainDecade labels 10^d as a number: "1", "0.01", "1e-05".
func plainDecade(d int) string { return strconv.FormatFloat(math.Pow(10, float64(d)), 'g', -1, 64) }
