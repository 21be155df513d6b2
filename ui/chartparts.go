package ui

import (
	"fmt"
	"image/color"

	"convlab/ui/plot"
)

// The pieces both of the curves panel's views draw with: the epoch axis's
// extent, each run's curve style, and figures written short.

// epochSpan is the x axis's extent: the most epochs of any run.
func epochSpan(runs []run) float64 {
	n := 1
	for _, r := range runs {
		n = max(n, r.Settings().Epochs)
	}
	return float64(n)
}

// curveStyle is how one curve is drawn.
type curveStyle struct {
	clr    color.Color
	dashed bool
}

// errorStyles returns run i's train and test curve styles among n runs.
func errorStyles(i, n int) (train, test curveStyle) {
	if n == 1 {
		return curveStyle{colTrain, false}, curveStyle{colTest, false}
	}
	return curveStyle{runColour(i), false}, curveStyle{runColour(i), true}
}

// drawCurve draws a polyline in style st, with a dot at each point if dots.
func drawCurve(c *canvas, xs, ys []float64, width float64, st curveStyle, dots bool) {
	if st.dashed {
		dx, dy := plot.Dashes(xs, ys, 6, 4)
		for k := range dx {
			c.Polyline(dx[k], dy[k], width, st.clr)
		}
	} else {
		c.Polyline(xs, ys, width, st.clr)
	}
	if dots {
		for i := range xs {
			c.Circle(xs[i], ys[i], 2.5, st.clr)
		}
	}
}

// short formats a figure in at most about 7 characters: 0, 0.25, 3.1e-04.
func short(v float64) string {
	switch a := max(v, -v); {
	case a == 0:
		return "0"
	case a >= 0.01 && a < 1000:
		return fmt.Sprintf("%.2g", v)
	}
	return fmt.Sprintf("%.1e", v)
}
