package report

import (
	"image/color"
	"math"
	"strings"

	"convlab/ui/plot"
)

// Geometry of the error chart, in its SVG's user units. The margins
// leave room for the labels at the larger size the stylesheet gives them
// on a phone's narrow screen (report.css), where the chart is drawn at
// about half its size.
const (
	chartW      = 640.0
	chartH      = 390.0
	chartLeft   = 86.0 // the y ticks' labels
	chartRight  = 16.0
	chartTop    = 44.0 // the y axis's title
	chartBottom = 66.0 // the x ticks' labels and the axis's title
	chartFont   = 15.0
	chartMarker = 3.4
)

// Colours shared by the figures: the dashboard's grid, axis and text.
var (
	colGrid  = color.RGBA{0xe6, 0xe8, 0xec, 0xff}
	colAxis  = color.RGBA{0x6a, 0x72, 0x7d, 0xff}
	colText  = color.RGBA{0x1f, 0x23, 0x29, 0xff}
	colWhite = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

// errorChart is the homework's plot: every run's training error (solid,
// filled dots) and test error (dashed, open dots) per epoch, in the run's
// colour, on one pair of axes.
func errorChart(runs []Run) markup {
	s := newSVG("chart error-chart", chartW, chartH, "Training and test error per epoch of every run")
	epochs, top := 1, 0.0
	for _, r := range runs {
		epochs = max(epochs, r.Settings.Epochs, len(r.History))
		for _, m := range r.History {
			for _, v := range []float64{m.Train.Error, m.Test.Error} {
				if finite(v) {
					top = max(top, v)
				}
			}
		}
	}
	yTicks := plot.NiceTicks(0, max(top, 0.01), 6)
	x := plot.NewScale(1, float64(epochs), chartLeft+12, chartW-chartRight-12)
	if epochs == 1 {
		x = plot.NewScale(0, 2, chartLeft, chartW-chartRight)
	}
	y := plot.NewScale(0, yTicks[len(yTicks)-1], chartH-chartBottom, chartTop)
	drawAxes(s, x, y, epochs, yTicks)
	any := false
	for _, r := range runs {
		if len(r.History) == 0 {
			continue
		}
		any = true
		var train, test [][2]float64
		for _, m := range r.History {
			if finite(m.Train.Error) {
				train = append(train, [2]float64{x.Map(float64(m.Epoch)), y.Map(m.Train.Error)})
			}
			if finite(m.Test.Error) {
				test = append(test, [2]float64{x.Map(float64(m.Epoch)), y.Map(m.Test.Error)})
			}
		}
		c := hex(r.Colour)
		s.el("polyline", "points", points(train), "fill", "none", "stroke", c, "stroke-width", "2.4", "stroke-linejoin", "round")
		s.el("polyline", "points", points(test), "fill", "none", "stroke", c, "stroke-width", "2.4", "stroke-dasharray", "8 5", "stroke-linejoin", "round")
		for _, p := range train {
			s.el("circle", "cx", num(p[0]), "cy", num(p[1]), "r", num(chartMarker), "fill", c)
		}
		for _, p := range test {
			s.el("circle", "cx", num(p[0]), "cy", num(p[1]), "r", num(chartMarker), "fill", hex(colWhite), "stroke", c, "stroke-width", "1.8")
		}
	}
	if !any {
		s.text("No epoch has finished yet.", "x", num((chartLeft+chartW-chartRight)/2), "y", num((chartTop+chartH-chartBottom)/2),
			"text-anchor", "middle", "font-size", num(chartFont+2), "fill", hex(colAxis))
	}
	return s.html()
}

// drawAxes draws the grid, the ticks and their labels, and the axes'
// titles.
func drawAxes(s *svg, x, y plot.Scale, epochs int, yTicks []float64) {
	left, right := chartLeft, chartW-chartRight
	bottom := chartH - chartBottom
	step := yTicks[1] - yTicks[0]
	for _, t := range yTicks {
		py := num(y.Map(t))
		s.el("line", "x1", num(left), "x2", num(right), "y1", py, "y2", py, "stroke", hex(colGrid), "stroke-width", "1")
		s.text(plot.FormatPercent(t, step), "x", num(left-8), "y", py, "text-anchor", "end", "dominant-baseline", "central",
			"font-size", num(chartFont), "fill", hex(colAxis))
	}
	for _, e := range epochTicks(epochs) {
		px := num(x.Map(float64(e)))
		s.el("line", "x1", px, "x2", px, "y1", num(bottom), "y2", num(bottom+5), "stroke", hex(colAxis), "stroke-width", "1")
		s.text(itoa(e), "x", px, "y", num(bottom+28), "text-anchor", "middle", "font-size", num(chartFont), "fill", hex(colAxis))
	}
	s.el("line", "x1", num(left), "x2", num(right), "y1", num(bottom), "y2", num(bottom), "stroke", hex(colAxis), "stroke-width", "1.2")
	s.text("epoch", "x", num((left+right)/2), "y", num(chartH-6), "text-anchor", "middle", "font-size", num(chartFont), "fill", hex(colText))
	s.text("error", "x", "4", "y", "24", "font-size", num(chartFont), "fill", hex(colText))
}

// epochTicks picks the epochs labelled on the x axis: whole numbers from
// 1 to epochs, at most about 10 of them.
func epochTicks(epochs int) []int {
	var out []int
	for _, t := range plot.NiceTicks(1, float64(epochs), 10) {
		if t >= 1 && t <= float64(epochs) && t == math.Trunc(t) {
			out = append(out, int(t))
		}
	}
	if len(out) == 0 || out[0] != 1 && epochs < 10 {
		out = append([]int{1}, out...)
	}
	return out
}

// points writes a polyline's points.
func points(pts [][2]float64) string {
	var b strings.Builder
	for i, p := range pts {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(num(p[0]) + "," + num(p[1]))
	}
	return b.String()
}

// finite reports whether v is a number: a diverged run's last epoch may
// have NaN errors, which the chart leaves out.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// swatch is a run's colour as a small square, for tables.
func swatch(c color.RGBA) markup {
	s := newSVG("swatch", 12, 12, "")
	s.el("rect", "width", "12", "height", "12", "rx", "2", "fill", hex(c))
	return s.html()
}

// lineSwatch is a run's entry in the chart's legend: a solid and a dashed
// stroke in its colour.
func lineSwatch(c color.RGBA) markup {
	s := newSVG("line-swatch", 44, 12, "")
	s.el("line", "x1", "1", "x2", "19", "y1", "6", "y2", "6", "stroke", hex(c), "stroke-width", "2.4")
	s.el("line", "x1", "25", "x2", "43", "y1", "6", "y2", "6", "stroke", hex(c), "stroke-width", "2.4", "stroke-dasharray", "5 3")
	return s.html()
}

// itoa is strconv.Itoa, short for the figures' code.
func itoa(n int) string { return num(float64(n)) }
