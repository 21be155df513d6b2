package insightview

import (
	"convlab/nn"
	"convlab/ui/geom"
)

// Sizes of the backward view's additions to the activation layout.
const (
	TargetRow = 26.0 // the row of target classes above the stages
	StatLines = 3    // lines of the layer strip under each stage: parameters, activation, gradient
	MinTarget = 22.0 // a target class's cell's least width: 24 CSS pixels on a phone, for a finger
	// SwitchHalf is the widest a half of the kernels' switch gets
	// ("image", "batch" at 11 units).
	SwitchHalf = 44.0
)

// GradientLayout is where everything of the activation panel's backward
// view goes: the activation layout's places (the gradient maps where the
// activation maps were, ∂L/∂W where the kernels were), moved down to make
// room for a row of target classes above the stages and the layer
// strip's lines under each of them.
type GradientLayout struct {
	ActivationLayout
	TargetLabel geom.Rect                // "target" before the classes
	Targets     [nn.NumClasses]geom.Rect // one clickable cell per class
	Loss        geom.Rect                // the loss, after the classes
	Figures     [NumStages]geom.Rect     // the layer strip's lines under each stage
	// KernelSource holds the two halves of the switch above the note,
	// between the kernels' blocks: their ∂L/∂W for the image shown (0)
	// or for the last mini-batch trained (1).
	KernelSource [2]geom.Rect
}

// GradientExtraHeight is how much taller than the activation view the
// backward view is with rows rows of stages (1, or 2 when stacked).
func GradientExtraHeight(rows int) float64 {
	return TargetRow + float64(rows*StatLines)*LineHeight
}

// LayoutGradients lays out the backward view inside r: LayoutActivations
// in r less GradientExtraHeight, then the target row above the first
// stages and StatLines lines under each row of stages.
func LayoutGradients(r geom.Rect) GradientLayout {
	rows := 1
	if oneRowCell(r.W) < MinMap {
		rows = 2
	}
	less := r
	less.H -= GradientExtraHeight(rows)
	l := GradientLayout{ActivationLayout: LayoutActivations(less)}
	top := l.Stages[StageInput].Y
	l.shiftBelow(top, TargetRow)
	l.placeTargets(r, top)
	firsts := []int{StageInput}
	if rows == 2 {
		firsts = append(firsts, StageConv2)
	}
	for _, first := range firsts {
		bottom := l.Stages[first].Y + l.Stages[first].H
		l.shiftBelow(bottom, StatLines*LineHeight)
		for s := first; s < first+NumStages/len(firsts); s++ {
			st := l.Stages[s]
			l.Figures[s] = geom.Rect{X: st.X, Y: bottom, W: st.W, H: StatLines * LineHeight}
		}
	}
	l.placeKernelSource()
	return l
}

// placeKernelSource puts the switch of the kernels' ∂L/∂W on the note's
// first line, level with the kernels' labels, and the note below it.
func (l *GradientLayout) placeKernelSource() {
	const h, gap = LineHeight + 1, 2.0
	n := l.Note
	w := min(n.W, 2*SwitchHalf+gap)
	half := (w - gap) / 2
	l.KernelSource[0] = geom.Rect{X: n.X, Y: n.Y, W: half, H: h}
	l.KernelSource[1] = geom.Rect{X: n.X + half + gap, Y: n.Y, W: half, H: h}
	l.Note.Y += h + 4
	l.Note.H -= h + 4
}

// placeTargets places the target row from y across r: a label, ten class
// cells and the loss, which a narrow panel (a phone's) leaves out (an
// empty Loss) to keep the cells at least MinTarget wide.
func (l *GradientLayout) placeTargets(r geom.Rect, y float64) {
	const labelW, lossW, gap = 44.0, 110.0, 3.0
	h := TargetRow - 4
	l.TargetLabel = geom.Rect{X: r.X, Y: y, W: labelW, H: h}
	cells := func(room float64) float64 { return (room - labelW - float64(nn.NumClasses)*gap) / nn.NumClasses }
	cell := min(36, cells(r.W-lossW))
	if cell < MinTarget {
		cell = min(36, cells(r.W))
	}
	x := r.X + labelW
	for i := range l.Targets {
		l.Targets[i] = geom.Rect{X: x, Y: y, W: cell, H: h}
		x += cell + gap
	}
	if r.X+r.W-x >= lossW-gap {
		l.Loss = geom.Rect{X: x + gap, Y: y, W: r.X + r.W - x - gap, H: h}
	}
}

// shiftBelow moves every place of the maps, kernels and legend that
// starts at or below y down by d.
func (l *GradientLayout) shiftBelow(y, d float64) {
	move := func(r *geom.Rect) {
		if r.Y >= y {
			r.Y += d
		}
	}
	for i := range l.Stages {
		move(&l.Stages[i])
	}
	for i := range l.Tiles {
		move(&l.Tiles[i])
	}
	for i := range l.Kernels {
		move(&l.Kernels[i])
	}
	move(&l.Note)
	move(&l.Legend)
}
