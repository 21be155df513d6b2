package digit

import "slices"

// The dashboard's pad: a PadSide×PadSide canvas painted with a round brush
// of BrushRadius pixels. A digit that fills the pad is scaled by
// FitSide/PadSide into MNIST's 20-pixel box, so the stroke becomes about
// 2.5 pixels wide, like MNIST's pen strokes.
const (
	PadSide     = 280
	BrushRadius = 12.0
)

// NewPadCanvas returns an empty canvas of the pad's size.
func NewPadCanvas() *Canvas {
	return &Canvas{w: PadSide, h: PadSide, ink: make([]float64, PadSide*PadSide)}
}

// Point is a position in an image's or a canvas's pixel units: (0, 0) is
// the top-left corner and pixel (i, j) covers [i, i+1) × [j, j+1).
type Point struct{ X, Y float64 }

// Tracing constants: the grey level (of 255) from which a pixel counts as
// ink, and how far, in pixels, a traced pen path may stray from the
// skeleton when it is cut down to few vertices.
const (
	traceInk          = 128
	simplifyTolerance = 0.6
)

// PenPaths returns the strokes a person would draw to write the w×h
// greyscale image img (0 = background, 255 = ink): the centre lines of its
// strokes, found by thinning the inked pixels to a skeleton (Zhang–Suen
// with Lü and Wang's correction), followed from end to end and simplified to few vertices
// (Ramer–Douglas–Peucker), in the image's pixel units. Tests use it to
// draw real digits on the pad; few vertices keep that quick in a browser,
// where each vertex costs a frame.
func PenPaths(img []uint8, w, h int) [][]Point {
	ink := make([]bool, len(img))
	for i, v := range img {
		ink[i] = v >= traceInk
	}
	var paths [][]Point
	for _, pixels := range followSkeleton(thin(ink, w, h), w, h) {
		path := make([]Point, len(pixels))
		for i, p := range pixels {
			path[i] = Point{float64(p%w) + 0.5, float64(p/w) + 0.5}
		}
		paths = append(paths, simplify(path, simplifyTolerance))
	}
	return paths
}

// DrawStroke paints one stroke on c as the dashboard's pad paints a
// pointer from press to release: a dot where it is pressed (path[0]), a
// segment to each point it moves to, and, when it is released where it
// last was, a segment from there to there (a dot). Replaying a stroke
// through DrawStroke gives exactly the ink the pad gets for the same
// points. An empty path paints nothing.
func DrawStroke(c *Canvas, path []Point, radius float64) error {
	if len(path) == 0 {
		return nil
	}
	last := path[0]
	if err := c.Stroke(last.X, last.Y, last.X, last.Y, radius); err != nil {
		return err
	}
	for _, p := range path[1:] {
		if err := c.Stroke(last.X, last.Y, p.X, p.Y, radius); err != nil {
			return err
		}
		last = p
	}
	return c.Stroke(last.X, last.Y, last.X, last.Y, radius)
}

// PadInput returns the network input the pad makes of strokes given in
// pad pixels: each drawn with DrawStroke and BrushRadius on an empty
// PadSide×PadSide canvas, then prepared by ToMNIST. No ink gives ErrEmpty.
func PadInput(strokes [][]Point) ([]float64, error) {
	c := NewPadCanvas()
	for _, s := range strokes {
		if err := DrawStroke(c, s, BrushRadius); err != nil {
			return nil, err
		}
	}
	return ToMNIST(c)
}

// thin reduces the inked pixels of a w×h image to a skeleton about one
// pixel wide with the Zhang–Suen algorithm (see removable). Pixels on the border are left as
// they are (MNIST digits never ink them).
func thin(ink []bool, w, h int) []bool {
	img := slices.Clone(ink)
	for changed := true; changed; {
		changed = false
		for pass := range 2 {
			var remove []int
			for y := 1; y < h-1; y++ {
				for x := 1; x < w-1; x++ {
					if img[y*w+x] && removable(img, w, x, y, pass) {
						remove = append(remove, y*w+x)
					}
				}
			}
			for _, i := range remove {
				img[i] = false
			}
			changed = changed || len(remove) > 0
		}
	}
	return img
}

// removable is the Zhang–Suen test of one pass for the inked pixel (x, y):
// it has 3 to 6 inked neighbours, exactly one unbroken run of them around
// it, and is not needed to keep its neighbours connected on the side the
// pass thins from. Zhang and Suen ask for 2 to 6 neighbours, which erases
// lines two pixels thick that run diagonally (the long stroke of many a
// 7); Lü and Wang's 3 keeps them, as a staircase.
func removable(img []bool, w, x, y, pass int) bool {
	// The neighbours clockwise from north: P2 … P9 in the usual naming.
	n := [8]bool{img[(y-1)*w+x], img[(y-1)*w+x+1], img[y*w+x+1], img[(y+1)*w+x+1],
		img[(y+1)*w+x], img[(y+1)*w+x-1], img[y*w+x-1], img[(y-1)*w+x-1]}
	count, rises := 0, 0
	for i, v := range n {
		if v {
			count++
		}
		if !v && n[(i+1)%8] {
			rises++
		}
	}
	if count < 3 || count > 6 || rises != 1 {
		return false
	}
	north, east, south, west := n[0], n[2], n[4], n[6]
	if pass == 0 {
		return !(north && east && south) && !(east && south && west)
	}
	return !(north && east && west) && !(north && south && west)
}

// skeletonNeighbours returns the inked 8-neighbours of pixel p, the
// 4-neighbours first, so that paths prefer straight steps.
func skeletonNeighbours(skel []bool, w, h, p int) []int {
	var out []int
	x, y := p%w, p/w
	for _, d := range [8][2]int{{0, -1}, {1, 0}, {0, 1}, {-1, 0}, {1, -1}, {1, 1}, {-1, 1}, {-1, -1}} {
		nx, ny := x+d[0], y+d[1]
		if nx >= 0 && ny >= 0 && nx < w && ny < h && skel[ny*w+nx] {
			out = append(out, ny*w+nx)
		}
	}
	return out
}

// followSkeleton splits a one-pixel-wide skeleton into paths of adjacent
// pixels (pixel indices y*w+x) that together visit every pixel. Paths start
// at line ends where there are any, so a stroke is drawn from one end to
// the other; a path that stops next to an already drawn pixel (a branch
// reaching a junction, a closed loop) is joined to it.
func followSkeleton(skel []bool, w, h int) [][]int {
	neighbours := func(p int) []int { return skeletonNeighbours(skel, w, h, p) }
	visited := make([]bool, len(skel))
	nextStart := func() (int, bool) {
		fallback, found := 0, false
		for p, on := range skel {
			if !on || visited[p] {
				continue
			}
			if len(neighbours(p)) == 1 {
				return p, true // a line end
			}
			if !found {
				fallback, found = p, true
			}
		}
		return fallback, found
	}
	var paths [][]int
	for start, ok := nextStart(); ok; start, ok = nextStart() {
		paths = append(paths, followFrom(start, neighbours, visited))
	}
	return paths
}

// followFrom walks unvisited skeleton pixels from start until none is
// next, marking them visited, and joins the end to a drawn neighbour
// other than the pixel it came from, if there is one.
func followFrom(start int, neighbours func(int) []int, visited []bool) []int {
	path := []int{start}
	visited[start] = true
	for cur := start; ; {
		next := -1
		for _, n := range neighbours(cur) {
			if !visited[n] {
				next = n
				break
			}
		}
		if next < 0 {
			for _, n := range neighbours(cur) {
				if len(path) < 2 || n != path[len(path)-2] {
					return append(path, n) // join what is already drawn
				}
			}
			return path
		}
		visited[next] = true
		path = append(path, next)
		cur = next
	}
}

// simplify drops the vertices of a path that lie within tol of the line
// through their neighbours (Ramer–Douglas–Peucker), keeping both ends.
func simplify(path []Point, tol float64) []Point {
	if len(path) < 3 {
		return path
	}
	a, b := path[0], path[len(path)-1]
	far, farthest := 0.0, 0
	for i := 1; i < len(path)-1; i++ {
		if d := pointToSegment(path[i], a, b); d > far {
			far, farthest = d, i
		}
	}
	if far <= tol {
		return []Point{a, b}
	}
	left := simplify(path[:farthest+1], tol)
	right := simplify(path[farthest:], tol)
	return append(left[:len(left)-1:len(left)-1], right...)
}

// pointToSegment returns the distance from p to the segment from a to b.
func pointToSegment(p, a, b Point) float64 {
	return distToSegment(p.X, p.Y, a.X, a.Y, b.X, b.Y)
}
