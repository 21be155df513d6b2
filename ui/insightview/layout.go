package insightview

import (
	"math"
	"strings"

	"convlab/ui/geom"
)

// Sizes shared by the panels' layouts, in logical units.
const (
	LineHeight = 15.0 // one line of 11–12 unit text
	Thumb      = 28.0 // a test image's thumbnail: one unit per pixel at the design size
	StripThumb = 36.0 // a thumbnail in the activation panel's strip
	stageGap   = 8.0  // between the activation panel's stages
	mapGap     = 3.0  // between maps in a stage's 2×2 grid
	kernelGap  = 2.0  // between conv2's kernels of one map
	thumbGap   = 3.0
	arrowW     = 20.0
)

// Stages of the activation panel, left to right.
const (
	StageInput = iota
	StageConv1
	StagePool1
	StageConv2
	StagePool2
	StageHidden
	NumStages
)

// ActivationLayout is where everything of the activation panel goes.
type ActivationLayout struct {
	Pad        geom.Rect   // the strip's slot for the pad's drawing
	Prev, Next geom.Rect   // page buttons either side of the thumbnails
	Thumbs     []geom.Rect // slots for test images
	Info       geom.Rect   // one line about the selected image
	Stages     [NumStages]geom.Rect
	Tiles      [NumTiles]geom.Rect
	Kernels    [2]geom.Rect // the label line above conv1's and conv2's kernels
	Note       geom.Rect    // room for a note on the kernels, between their two blocks
	Legend     geom.Rect    // the colour bars and their labels
}

// Sizes of the activation panel's maps.
const (
	MinMap     = 40.0 // a map's least side: a 28×28 map at more than a unit a pixel
	StackedMap = 56.0 // a map's largest side when the stages are stacked in two rows
)

// LayoutActivations lays out the activation panel's inside r: a strip of
// thumbnails and a line about the selection on top; below, one column
// per stage (a name line, the maps, a value line), the four maps of a
// layer in a 2×2 grid; below those, conv1's kernels in the places of the
// maps they make and, for each conv2 map in its place, its four kernels
// (one per input map, again 2×2); the colour bars at the bottom right.
// All maps get the same size, the largest that fits. Where one row of
// the six stages would leave maps smaller than MinMap (a phone's
// column), the stages take two rows of three, each with its kernels
// below it (see ActivationsStackedHeight). r is meant to be at least the
// panel's inside at the design size, or a phone's; in less, parts
// overlap.
func LayoutActivations(r geom.Rect) ActivationLayout {
	var l ActivationLayout
	l.Pad = geom.Rect{X: r.X, Y: r.Y, W: StripThumb, H: StripThumb}
	l.Prev = geom.Rect{X: r.X + StripThumb + stageGap, Y: r.Y, W: arrowW, H: StripThumb}
	l.Next = geom.Rect{X: r.X + r.W - arrowW, Y: r.Y, W: arrowW, H: StripThumb}
	strip := geom.Rect{X: l.Prev.X + arrowW + thumbGap, Y: r.Y, H: StripThumb}
	strip.W = l.Next.X - thumbGap - strip.X
	l.Thumbs = Grid(strip, StripThumb, StripThumb, thumbGap, int((strip.W+thumbGap)/(StripThumb+thumbGap)))
	y := r.Y + StripThumb + 4
	l.Info = geom.Rect{X: r.X, Y: y, W: r.W, H: LineHeight}
	y += LineHeight + 4
	if oneRowCell(r.W) < MinMap {
		l.placeStacked(r, y)
	} else {
		l.placeInRow(r, y)
	}
	barH := 10.0
	l.Tiles[TileActivationBar] = geom.Rect{X: l.Legend.X, Y: l.Legend.Y + LineHeight, W: l.Legend.W, H: barH}
	l.Tiles[TileWeightBar] = geom.Rect{X: l.Legend.X, Y: l.Legend.Y + 3*LineHeight + barH + 4, W: l.Legend.W, H: barH}
	return l
}

// oneRowCell is a map's side with the six stages in one row w wide: ten
// map widths across (input, four grids of two, hidden).
func oneRowCell(w float64) float64 { return (w - 4*mapGap - 5*stageGap) / 10 }

// stackedCell is a map's side with the stages in two rows of three in w:
// five map widths across (a single map and two grids of two).
func stackedCell(w float64) float64 {
	return math.Floor(max(0, min((w-2*mapGap-2*stageGap)/5, StackedMap)))
}

// ActivationsStackedHeight is the height of the activation panel's inside
// w wide with its stages in two rows: the strip and the line, then for
// each row its stages (a name line, the maps, a value line) and the
// kernels below them (a label line and a grid), a stage gap apart.
func ActivationsStackedHeight(w float64) float64 {
	grid := 2*stackedCell(w) + mapGap
	row := 2*LineHeight + grid + 6 + LineHeight + grid
	return StripThumb + 4 + LineHeight + 4 + 2*row + stageGap
}

// placeInRow places the six stages side by side from y down r, and the
// kernels, the note and the legend below them.
func (l *ActivationLayout) placeInRow(r geom.Rect, y float64) {
	// Four map heights down (maps and kernels, 2 each) plus three text
	// lines and a gap. Height to spare goes between the strip, the maps
	// and the kernels.
	text := 3*LineHeight + 6 + 2*mapGap
	cell := math.Floor(max(0, min(oneRowCell(r.W), (r.Y+r.H-y-text)/4)))
	spare := min(max(0, r.Y+r.H-y-text-4*cell)/2, 2*stageGap)
	y += spare
	grid := 2*cell + mapGap
	widths := [NumStages]float64{cell, grid, grid, grid, grid, cell}
	x := r.X
	for s, w := range widths {
		l.Stages[s] = geom.Rect{X: x, Y: y, W: w, H: 2*LineHeight + grid}
		x += w + stageGap
	}
	l.placeMaps(0, NumStages, cell)
	ky := y + l.Stages[0].H + 6 + spare
	l.placeKernels(0, StageConv1, ky, cell)
	l.placeKernels(1, StageConv2, ky, cell)
	l.Note = geom.Rect{X: l.Stages[StagePool1].X, Y: ky, W: grid, H: LineHeight + grid}
	lx := l.Stages[StagePool2].X
	l.Legend = geom.Rect{X: lx, Y: ky, W: r.X + r.W - lx, H: LineHeight + grid}
}

// placeStacked places the stages in two rows of three from y down r:
// input, conv1 and pool1 with conv1's kernels and the note below them,
// then conv2, pool2 and hidden with conv2's kernels and the legend.
func (l *ActivationLayout) placeStacked(r geom.Rect, y float64) {
	cell := stackedCell(r.W)
	grid := 2*cell + mapGap
	for row, first := range [2]int{StageInput, StageConv2} {
		x := r.X
		for s := first; s < first+3; s++ {
			w := grid
			if s == StageInput || s == StageHidden {
				w = cell
			}
			l.Stages[s] = geom.Rect{X: x, Y: y, W: w, H: 2*LineHeight + grid}
			x += w + stageGap
		}
		l.placeMaps(first, first+3, cell)
		ky := y + l.Stages[first].H + 6
		conv, beside := StageConv1, StagePool1
		if row == 1 {
			conv, beside = StageConv2, StagePool2
		}
		l.placeKernels(row, conv, ky, cell)
		next := geom.Rect{X: l.Stages[beside].X, Y: ky, W: r.X + r.W - l.Stages[beside].X, H: LineHeight + grid}
		if row == 0 {
			l.Note = next
		} else {
			l.Legend = next
		}
		y = ky + LineHeight + grid + stageGap
	}
}

// placeMaps places the maps of stages from to to−1 in their columns,
// cell a side: the single maps (input, hidden) in the middle, the others
// in 2×2 grids.
func (l *ActivationLayout) placeMaps(from, to int, cell float64) {
	grid := 2*cell + mapGap
	for s := from; s < to; s++ {
		st := l.Stages[s]
		mapsY := st.Y + LineHeight
		switch s {
		case StageInput:
			l.Tiles[TileInput] = geom.Rect{X: st.X, Y: mapsY + (grid-cell)/2, W: cell, H: cell}
		case StageHidden:
			l.Tiles[TileHidden] = geom.Rect{X: st.X, Y: mapsY + (grid-cell)/2, W: cell, H: cell}
		default:
			first := map[int]int{StageConv1: TileConv1, StagePool1: TilePool1, StageConv2: TileConv2, StagePool2: TilePool2}[s]
			for m := range Maps {
				l.Tiles[first+m] = quad(st.X, mapsY, cell, mapGap, m)
			}
		}
	}
}

// placeKernels places conv layer i's kernels (0: conv1, 1: conv2) from
// ky down, under the stage of its maps: a label line, then one kernel in
// the place of each map it makes (conv2: its four, one per input map,
// 2×2 in that place).
func (l *ActivationLayout) placeKernels(i, stage int, ky, cell float64) {
	grid := 2*cell + mapGap
	l.Kernels[i] = geom.Rect{X: l.Stages[stage].X, Y: ky, W: grid, H: LineHeight}
	ky += LineHeight
	sub := math.Floor((cell - kernelGap) / 2)
	for out := range Maps {
		place := quad(l.Kernels[i].X, ky, cell, mapGap, out)
		if i == 0 {
			l.Tiles[TileKernel1+out] = place
			continue
		}
		for in := range Maps {
			l.Tiles[TileKernel2+Maps*out+in] = quad(place.X, place.Y, sub, kernelGap, in)
		}
	}
}

// quad returns place i (0 top left, 1 top right, 2 bottom left, 3 bottom
// right) of a 2×2 grid of side×side squares, gap apart, from (x, y).
func quad(x, y, side, gap float64, i int) geom.Rect {
	return geom.Rect{X: x + float64(i%2)*(side+gap), Y: y + float64(i/2)*(side+gap), W: side, H: side}
}

// Grid returns up to n cells of w×h, row-major, gap apart, as many as fit
// in r.
func Grid(r geom.Rect, w, h, gap float64, n int) []geom.Rect {
	if w <= 0 || h <= 0 || n <= 0 {
		return nil
	}
	cols := int((r.W + gap) / (w + gap))
	rows := int((r.H + gap) / (h + gap))
	n = min(n, cols*rows)
	out := make([]geom.Rect, 0, max(n, 0))
	for i := range n {
		out = append(out, geom.Rect{X: r.X + float64(i%cols)*(w+gap), Y: r.Y + float64(i/cols)*(h+gap), W: w, H: h})
	}
	return out
}

// Hit returns the index of the first rectangle holding (x, y), or −1.
func Hit(rects []geom.Rect, x, y float64) int {
	for i, r := range rects {
		if r.Contains(x, y) {
			return i
		}
	}
	return -1
}

// PageStart returns the first index shown when slots items of total are
// shown a page at a time and selected must be visible: pages start at
// multiples of slots, except that the last page is filled from the end.
func PageStart(selected, total, slots int) int {
	if slots <= 0 || total <= slots {
		return 0
	}
	selected = max(0, min(selected, total-1))
	return min(selected/slots*slots, total-slots)
}

// Wrap breaks s at spaces into lines whose width by measure is at most
// width; a word wider than width gets a line of its own.
func Wrap(s string, width float64, measure func(string) float64) []string {
	var lines []string
	line := ""
	for _, w := range strings.Split(s, " ") {
		switch {
		case w == "":
		case line == "":
			line = w
		case measure(line+" "+w) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
