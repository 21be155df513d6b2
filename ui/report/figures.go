package report

import (
	"image/color"
	"math"
	"strconv"

	"convlab/nn"
	"convlab/ui/geom"
	"convlab/ui/insightview"
	"convlab/ui/plot"
)

// Geometry of the confusion matrix, in its SVG's user units.
const (
	confCell = 30.0
	confLeft = 60.0 // the "true digit" title and the row labels
	confTop  = 52.0 // the "predicted digit" title and the column labels
	confFont = 14.0
)

// confusionMatrix draws a confusion matrix (rows: true digit, columns:
// predicted) as the dashboard shades it: blue on the diagonal, red off
// it, darker for more images, with each non-zero count written in its
// cell.
func confusionMatrix(m *[nn.NumClasses][nn.NumClasses]int, label string) markup {
	const n = nn.NumClasses
	side := n * confCell
	s := newSVG("confusion", confLeft+side+4, confTop+side+4, "Confusion matrix of "+label)
	tile, _ := insightview.ConfusionTile(m)
	s.text("predicted digit", "x", num(confLeft+side/2), "y", num(confFont+2), "text-anchor", "middle", "font-size", num(confFont), "fill", hex(colText))
	s.text("true digit", "x", "0", "y", "0", "transform", "translate(16 "+num(confTop+side/2)+") rotate(-90)",
		"text-anchor", "middle", "font-size", num(confFont), "fill", hex(colText))
	for d := range n {
		s.text(itoa(d), "x", num(confLeft+float64(d)*confCell+confCell/2), "y", num(confTop-10), "text-anchor", "middle",
			"font-size", num(confFont), "fill", hex(colAxis))
		s.text(itoa(d), "x", num(confLeft-10), "y", num(confTop+float64(d)*confCell+confCell/2), "text-anchor", "end",
			"dominant-baseline", "central", "font-size", num(confFont), "fill", hex(colAxis))
	}
	for t := range n {
		for p := range n {
			bg := tile.Palette(tile.Values[t*n+p])
			x, y := confLeft+float64(p)*confCell, confTop+float64(t)*confCell
			s.el("rect", "x", num(x), "y", num(y), "width", num(confCell), "height", num(confCell), "fill", hex(bg))
			if v := m[t][p]; v > 0 {
				s.text(itoa(v), "x", num(x+confCell/2), "y", num(y+confCell/2), "text-anchor", "middle", "dominant-baseline", "central",
					"font-size", num(confFont-1), "fill", hex(insightview.Ink(bg, colText, colWhite)))
			}
		}
	}
	s.el("rect", "x", num(confLeft), "y", num(confTop), "width", num(side), "height", num(side), "fill", "none",
		"stroke", hex(colAxis), "stroke-width", "1")
	return s.html()
}

// Geometry of the kernels' figure.
const (
	kernelCell = 16.0
	kernelGap  = 24.0
	kernelTop  = 24.0
	kernelFont = 14.0
)

// kernels draws the first conv layer's kernels, 5×5 weights each (w is
// laid out [kernel][5][5]), on the diverging map symmetric about 0 with
// its scale below.
func kernels(w []float64, label string) markup {
	const k = insightview.KernelSide
	size := k * kernelCell
	n := len(w) / (k * k)
	width := float64(n)*size + float64(n-1)*kernelGap
	barY := kernelTop + size + 22
	s := newSVG("kernels", width+2, barY+34, "The first conv layer's kernels of "+label)
	top := plot.AbsMax(w)
	pal := insightview.Weight(top)
	for i := range n {
		x0 := float64(i) * (size + kernelGap)
		s.text("kernel "+itoa(i+1), "x", num(x0+size/2), "y", num(kernelFont), "text-anchor", "middle", "font-size", num(kernelFont), "fill", hex(colText))
		for r := range k {
			for c := range k {
				s.el("rect", "x", num(x0+float64(c)*kernelCell), "y", num(kernelTop+float64(r)*kernelCell),
					"width", num(kernelCell), "height", num(kernelCell), "fill", hex(pal(w[i*k*k+r*k+c])))
			}
		}
		s.el("rect", "x", num(x0), "y", num(kernelTop), "width", num(size), "height", num(size), "fill", "none", "stroke", hex(colAxis), "stroke-width", "0.8")
	}
	colourBar(s, 0, barY, width, 10, func(t float64) color.RGBA { return plot.Diverging(2*t - 1) },
		[]string{"−" + strconv.FormatFloat(top, 'f', 2, 64), "0", "+" + strconv.FormatFloat(top, 'f', 2, 64)})
	return s.html()
}

// colourBar draws a colour scale of w×h at (x, y), palette taking [0, 1],
// with labels spread evenly beneath it.
func colourBar(s *svg, x, y, w, h float64, palette func(float64) color.RGBA, labels []string) {
	const steps = 32
	for i := range steps {
		s.el("rect", "x", num(x+w*float64(i)/steps), "y", num(y), "width", num(w/steps+0.4), "height", num(h),
			"fill", hex(palette((float64(i)+0.5)/steps)))
	}
	for i, l := range labels {
		anchor := "middle"
		switch i {
		case 0:
			anchor = "start"
		case len(labels) - 1:
			anchor = "end"
		}
		s.text(l, "x", num(x+w*float64(i)/float64(len(labels)-1)), "y", num(y+h+4), "text-anchor", anchor,
			"dominant-baseline", "hanging", "font-size", "13", "fill", hex(colAxis)) // hanging: any font size fits below
	}
}

// Size of a t-SNE map's SVG.
const (
	tsneSide   = 320.0
	tsneMargin = 12.0
)

// tsneMap draws a t-SNE map: each test image as its digit in its class's
// colour at its place, circled when the network got it wrong after that
// epoch.
func tsneMap(m *Map, colours [nn.NumClasses]color.RGBA, label string) markup {
	s := newSVG("tsne", tsneSide, tsneSide, "t-SNE map of the bottleneck of "+label+" after epoch "+itoa(m.Epoch))
	s.el("rect", "x", "0.5", "y", "0.5", "width", num(tsneSide-1), "height", num(tsneSide-1), "fill", "none", "stroke", hex(colGrid))
	pts := insightview.FitPoints(m.Points, geom.Rect{W: tsneSide, H: tsneSide}, tsneMargin)
	for i, p := range pts {
		if i >= len(m.Labels) || math.IsNaN(p[0]) || m.Labels[i] < 0 || m.Labels[i] >= nn.NumClasses {
			continue
		}
		d := m.Labels[i]
		s.text(itoa(d), "x", num(p[0]), "y", num(p[1]), "fill", hex(colours[d]))
		if i < len(m.Predicted) && m.Predicted[i] != d {
			s.el("circle", "cx", num(p[0]), "cy", num(p[1]), "r", "7", "fill", "none", "stroke", hex(colAxis), "stroke-width", "0.8")
		}
	}
	return s.html()
}
