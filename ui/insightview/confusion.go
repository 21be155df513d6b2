package insightview

import (
	"math"

	"convlab/nn"
	"convlab/ui/geom"
)

// Sizes of the confusion panel, in logical units.
const (
	rowLabelW   = 22.0 // the true digit left of each row
	accuracyW   = 44.0 // per-class accuracy right of each row
	minExamples = 140.0
	ExampleW    = 100.0 // one listed image: thumbnail and two lines of text
	ExampleH    = Thumb + 4
	MinCell     = 20.0 // a cell's least side: room for a two-digit count
	StackedCell = 32.0 // a cell's largest side with the images below the matrix
	// StackedExamplesH is the height of the images' area below the matrix:
	// a title line, a note, and two rows of images.
	StackedExamplesH = 4*LineHeight + 2 + 2*ExampleH + 4
)

// ConfusionLayout places the confusion panel's parts.
type ConfusionLayout struct {
	Header   geom.Rect // the accuracy line
	Matrix   geom.Rect // the 10×10 cells: row = true class, column = predicted
	Cell     float64   // side of one cell
	Accuracy geom.Rect // per-class accuracy, right of the matrix, its rows aligned with the matrix's
	Examples geom.Rect // the selected cell's images
}

// LayoutConfusion lays out the confusion panel's inside r: the accuracy
// line on top, then a line for the "predicted" title and one for the
// column digits, the matrix with the row digits on its left and the
// per-class accuracy on its right, and the selected cell's images in the
// room that is left on the right. Cells are square and as large as fit
// while leaving the images at least minExamples wide. Where that would
// leave cells smaller than MinCell (a phone's column), the images go
// below the matrix instead, StackedExamplesH tall, and the cells are as
// large as the width allows, up to StackedCell.
func LayoutConfusion(r geom.Rect) ConfusionLayout {
	var l ConfusionLayout
	l.Header = geom.Rect{X: r.X, Y: r.Y, W: r.W, H: LineHeight + 3}
	top := r.Y + l.Header.H + 2*LineHeight
	cell := min((r.Y+r.H-top)/nn.NumClasses, (r.W-rowLabelW-accuracyW-minExamples-stageGap)/nn.NumClasses)
	stacked := cell < MinCell
	if stacked {
		cell = min(StackedCell, (r.Y+r.H-top-stageGap-StackedExamplesH)/nn.NumClasses, (r.W-rowLabelW-accuracyW)/nn.NumClasses)
	}
	l.Cell = math.Floor(max(0, cell))
	side := l.Cell * nn.NumClasses
	l.Matrix = geom.Rect{X: r.X + rowLabelW, Y: top, W: side, H: side}
	l.Accuracy = geom.Rect{X: l.Matrix.X + side, Y: top, W: accuracyW, H: side}
	if stacked {
		ey := top + side + stageGap
		l.Examples = geom.Rect{X: r.X, Y: ey, W: r.W, H: r.Y + r.H - ey}
		return l
	}
	ex := l.Accuracy.X + accuracyW + stageGap
	l.Examples = geom.Rect{X: ex, Y: l.Header.Y + l.Header.H, W: r.X + r.W - ex, H: r.Y + r.H - l.Header.Y - l.Header.H}
	return l
}

// CellRect returns the cell of true class t and predicted class p.
func (l ConfusionLayout) CellRect(t, p int) geom.Rect {
	return geom.Rect{X: l.Matrix.X + float64(p)*l.Cell, Y: l.Matrix.Y + float64(t)*l.Cell, W: l.Cell, H: l.Cell}
}

// CellAt returns the true and predicted class of the cell under (x, y);
// ok is false outside the matrix.
func (l ConfusionLayout) CellAt(x, y float64) (t, p int, ok bool) {
	if !l.Matrix.Contains(x, y) || l.Cell <= 0 {
		return 0, 0, false
	}
	return index(y, l.Matrix.Y, l.Cell), index(x, l.Matrix.X, l.Cell), true
}

// index returns which of ten cells of size cell from start holds v,
// agreeing with CellRect's edges despite rounding.
func index(v, start, cell float64) int {
	i := max(0, min(int((v-start)/cell), nn.NumClasses-1))
	switch {
	case i+1 < nn.NumClasses && v >= start+float64(i+1)*cell:
		i++
	case i > 0 && v < start+float64(i)*cell:
		i--
	}
	return i
}

// ConfusionTile returns the matrix as a 10×10 tile, shaded by count on
// the diverging map: the fraction of the largest class's images in the
// cell, blue on the diagonal (correct) and red off it (mistakes), near
// white for an empty cell. full is that largest class size, the count
// of the darkest shade.
func ConfusionTile(conf *[nn.NumClasses][nn.NumClasses]int) (tile Tile, full int) {
	for _, row := range conf {
		n := 0
		for _, v := range row {
			n += v
		}
		full = max(full, n)
	}
	values := make([]float64, 0, nn.NumClasses*nn.NumClasses)
	for t, row := range conf {
		for p, v := range row {
			f := 0.0
			if full > 0 {
				f = float64(v) / float64(full)
			}
			if t == p {
				f = -f
			}
			values = append(values, f)
		}
	}
	return Tile{W: nn.NumClasses, H: nn.NumClasses, Values: values, Palette: Weight(1)}, full
}

// Members returns the indices i, in order, of the images of true class t
// predicted as p.
func Members(labels, predicted []int, t, p int) []int {
	var out []int
	for i := range min(len(labels), len(predicted)) {
		if labels[i] == t && predicted[i] == p {
			out = append(out, i)
		}
	}
	return out
}
