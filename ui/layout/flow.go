package layout

import (
	"math"

	"convlab/ui/geom"
)

// Sizes of the flow arrangement, in logical units.
const (
	// FlowMargin is the margin between panels and around them: less
	// than the desktop's Margin, so that a phone's narrow column keeps
	// its room for the panels.
	FlowMargin = 6.0
	// FlowColumn is the narrowest column the panels are laid out for: a
	// 390-pixel-wide phone's one column. A window gets as many columns
	// as fit at least this wide, and at least one.
	FlowColumn = 340.0
)

// The flow header: the title and the credit on one row, and the status
// line below them, wrapped.
const (
	flowTitleRow   = 28.0
	flowStatusLine = 16.0
	flowHeaderPad  = 6.0 // below the last line
)

// The cards of ui's panels, which the flow arrangement sizes to their
// contents: a title line above the inside, padding on the sides and
// below.
const (
	cardTitle  = 26.0
	cardSide   = 10.0
	cardBottom = 8.0
)

// The pad panel's inside as ui lays it out (layoutPad): a square surface
// with the answer column beside it, below it a row of four square tiles
// (the preprocessing's steps) with captions, and below those the bars.
const (
	padAnswerW  = 92.0 + 10 // the answer column and the gap before it
	padRowGap   = 10.0      // between the surface and the tiles
	padTileGaps = 3 * 6.0   // between the four tiles
	padCaption  = 16.0
	padBars     = 80.0 // the probability bars with their digits
)

// Heights of the other panels in a column of the flow arrangement.
const (
	flowControlsH = 330.0 // the settings' eight rows at their full height, the buttons and the hint
	flowRunsH     = 250.0 // the toolbar's two rows and six of the table's (ui's layoutRuns for a narrow panel)
	flowCurvesMin = 320.0 // the curves are as tall as their column is wide, within these
	flowCurvesMax = 480.0
)

// Flow lays out the flow arrangement for a window of w×h logical units:
// the header across the top, then the panels in columns, each panel in
// turn placed at the foot of the shortest column (the leftmost of equal
// ones), so that one column reads in the order a phone is used.
func Flow(w, h float64) Dashboard {
	n := max(1, int(math.Floor((w-FlowMargin)/(FlowColumn+FlowMargin))))
	cw := (w - float64(n+1)*FlowMargin) / float64(n)
	d := Dashboard{Width: w, ViewHeight: h, Scale: 1, Flow: true}
	d.PadSide = padSide(cw, h)
	// The status line wraps once in two columns' width and twice in one
	// (with a run's label a third time, which leaves out the frame rate).
	lines := 2.0
	if n == 1 {
		lines = 3
	}
	d.Header = geom.Rect{W: w, H: flowTitleRow + lines*flowStatusLine + flowHeaderPad}

	bottoms := make([]float64, n) // the foot of each column
	for i := range bottoms {
		bottoms[i] = d.Header.H + FlowMargin
	}
	place := func(height float64) geom.Rect {
		c := 0
		for i, b := range bottoms {
			if b < bottoms[c] {
				c = i
			}
		}
		r := geom.Rect{X: FlowMargin + float64(c)*(cw+FlowMargin), Y: bottoms[c], W: cw, H: height}
		bottoms[c] += height + FlowMargin
		return r
	}
	d.Pad = place(padHeight(cw, d.PadSide))
	d.Controls = place(flowControlsH)
	d.Curves = place(max(flowCurvesMin, min(cw, flowCurvesMax)))
	d.Runs = place(flowRunsH)
	d.Activations = place(activationsHeight(cw))
	d.Confusion = place(confusionHeight(cw))
	d.TSNEFirst = place(tsneHeight(cw))
	d.TSNELast = place(tsneHeight(cw))

	d.Height = h
	for _, b := range bottoms {
		d.Height = max(d.Height, b)
	}
	return d
}

// padSide is the pad's surface in a column cw wide: as wide as the room
// beside the answer column, and short enough that the whole surface fits
// a window h tall below the card's title.
func padSide(cw, h float64) float64 {
	return max(0, min(cw-2*cardSide-padAnswerW, h-cardTitle-2*FlowMargin))
}

// padHeight is the height of the pad panel with a surface of side in a
// column cw wide.
func padHeight(cw, side float64) float64 {
	tile := (cw - 2*cardSide - padTileGaps) / 4
	return cardTitle + side + padRowGap + tile + padCaption + padBars + cardBottom
}

// The activation panel's inside as insightview lays it out
// (LayoutActivations): the strip of test images and a line about the one
// shown, then the six stages of maps, each a name line, the maps and a
// value line, with the conv kernels below, a label line and a grid as
// tall as the maps'. Its maps are squares of a side cell; a stage of four
// is a 2×2 grid of them. The backward view (insightview.LayoutGradients)
// adds a row of target classes and three lines under each row of stages;
// the panel keeps that room in both views, so switching does not move
// the panels below.
const (
	actTarget    = 26.0            // the backward view's row of target classes
	actFigures   = 3 * 15.0        // its layer strip under a row of stages
	actTop       = 36 + 4 + 15 + 4 // the strip and the line
	actLine      = 15.0
	actMapGap    = 3.0
	actStageGap  = 8.0
	actMinMap    = 40.0 // below this, one row of stages is split in two
	actStackedMx = 56.0 // the largest map in two rows
)

// activationsHeight is the height of the activation panel in a column
// cw wide: its six stages in one row if their maps are at least
// actMinMap, else in two rows of three with maps up to actStackedMx.
func activationsHeight(cw float64) float64 {
	w := cw - 2*cardSide
	cell := math.Floor((w - 4*actMapGap - 5*actStageGap) / 10) // ten map widths across
	rows := 1.0
	if cell < actMinMap {
		cell = math.Floor(min((w-2*actMapGap-2*actStageGap)/5, actStackedMx)) // five across
		rows = 2
	}
	grid := 2*cell + actMapGap
	row := 2*actLine + grid + 6 + actLine + grid // the stages, then their kernels
	return cardTitle + actTop + actTarget + rows*(row+actFigures) + (rows-1)*actStageGap + cardBottom
}

// The confusion panel's inside as insightview lays it out
// (LayoutConfusion): the accuracy line and two lines of titles, the 10×10
// matrix between the row digits and the per-class accuracy, and the
// selected cell's images beside it, or in a narrow column below it.
const (
	confTop       = 18 + 2*15 // the accuracy line, the titles
	confSides     = 22 + 44   // the row digits, the accuracy column
	confBeside    = 140 + 8   // the images beside the matrix, at least
	confMinCell   = 20.0      // below this, the images go below the matrix
	confMaxCell   = 32.0      // the largest cell then
	confGap       = 8.0
	confExamplesH = 4*15 + 2 + 2*32 + 4 // a title, a note and two rows of images
)

// confusionHeight is the height of the confusion panel in a column cw
// wide: the matrix as wide as the column allows, with the images beside
// it or below it.
func confusionHeight(cw float64) float64 {
	w := cw - 2*cardSide
	if cell := (w - confSides - confBeside) / 10; cell >= confMinCell {
		return cardTitle + max(confTop+10*cell, 18+confExamplesH) + cardBottom
	}
	cell := math.Floor(min(confMaxCell, (w-confSides)/10))
	return cardTitle + confTop + 10*cell + confGap + confExamplesH + cardBottom
}

// tsneHeight is the height of a t-SNE map in a column cw wide: a line of
// text above a square map.
func tsneHeight(cw float64) float64 { return cw + 10 }
