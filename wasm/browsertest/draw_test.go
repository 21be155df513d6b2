//go:build !js

package browsertest

import (
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/chromedp/cdproto/input"

	"convlab/assets"
)

// inkThreshold is the MNIST grey level (of 255) from which a pixel counts
// as ink when the digit's pen path is traced.
const inkThreshold = 128

// simplifyTolerance is how far, in MNIST pixels, a traced pen path may
// stray from the skeleton when it is cut down to few vertices.
const simplifyTolerance = 0.6

// point is a position in MNIST pixel units: (0, 0) is the top-left corner
// of the 28×28 image and pixel (i, j) covers [i, i+1) × [j, j+1).
type point struct{ x, y float64 }

// readHeldout reads the MNIST test digits that are not bundled with the app.
func readHeldout(t testing.TB) *assets.Dataset {
	t.Helper()
	dir := filepath.Join(needEnv(t).root, "assets", "testdata")
	d, err := assets.ReadIDXFiles(filepath.Join(dir, "heldout-images-idx3-ubyte.gz"),
		filepath.Join(dir, "heldout-labels-idx1-ubyte.gz"))
	if err != nil {
		t.Fatalf("reading the held-out digits: %v", err)
	}
	return d
}

// penPaths returns the strokes a person would draw to write the w×h
// greyscale image (0 = background, 255 = ink): the centre lines of its
// strokes, found by thinning the inked pixels to a one-pixel skeleton,
// followed from end to end and simplified to few vertices. Each vertex
// costs the page one frame when drawn, so few vertices keep the test fast.
func penPaths(img []uint8, w, h int) [][]point {
	ink := make([]bool, len(img))
	for i, v := range img {
		ink[i] = v >= inkThreshold
	}
	var paths [][]point
	for _, pixels := range followSkeleton(thin(ink, w, h), w, h) {
		path := make([]point, len(pixels))
		for i, p := range pixels {
			path[i] = point{float64(p%w) + 0.5, float64(p/w) + 0.5}
		}
		paths = append(paths, simplify(path, simplifyTolerance))
	}
	return paths
}

// thin reduces the inked pixels of a w×h image to a skeleton one pixel
// wide with the Zhang–Suen algorithm. Pixels on the border are never inked
// in MNIST digits and are left as they are.
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

// removable is the Zhang–Suen test of one pass for the inked pixel (x, y).
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
	if count < 2 || count > 6 || rises != 1 {
		return false
	}
	north, east, south, west := n[0], n[2], n[4], n[6]
	if pass == 0 {
		return !(north && east && south) && !(east && south && west)
	}
	return !(north && east && west) && !(north && south && west)
}

// skeletonNeighbours returns the inked 8-neighbours of pixel p, the
// 4-neighbours first.
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
	// 4-neighbours come first, so that paths prefer straight steps.
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
						path = append(path, n) // join what is already drawn
						break
					}
				}
				break
			}
			visited[next] = true
			path = append(path, next)
			cur = next
		}
		paths = append(paths, path)
	}
	return paths
}

// simplify drops the vertices of a path that lie within tol of the line
// through their neighbours (Ramer–Douglas–Peucker), keeping both ends.
func simplify(path []point, tol float64) []point {
	if len(path) < 3 {
		return path
	}
	a, b := path[0], path[len(path)-1]
	far, farthest := 0.0, 0
	for i := 1; i < len(path)-1; i++ {
		if d := distToSegment(path[i], a, b); d > far {
			far, farthest = d, i
		}
	}
	if far <= tol {
		return []point{a, b}
	}
	left := simplify(path[:farthest+1], tol)
	right := simplify(path[farthest:], tol)
	return append(left[:len(left)-1:len(left)-1], right...)
}

// distToSegment returns the distance from p to the segment from a to b.
func distToSegment(p, a, b point) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = math.Max(0, math.Min(1, ((p.x-a.x)*dx+(p.y-a.y)*dy)/l2))
	}
	return math.Hypot(p.x-(a.x+t*dx), p.y-(a.y+t*dy))
}

// drawDigit clears the pad and writes the 28×28 image on it with the
// mouse, scaled to fill the pad, and returns status().pad afterwards.
func (p *page) drawDigit(img []uint8) padState {
	p.t.Helper()
	evaluate[map[string]any](p, `window.convlab.clearPad()`)
	p.waitFor(`window.convlab.status().pad.empty`, evalTimeout)

	pad := p.status().Layout.Pad
	ox, oy := p.canvasOrigin()
	scale := math.Min(pad.W, pad.H) / 28
	left := ox + pad.X + (pad.W-28*scale)/2
	top := oy + pad.Y + (pad.H-28*scale)/2
	at := func(q point) (x, y float64) { return left + q.x*scale, top + q.y*scale }

	// ebiten samples the mouse once per frame, so the page must see each
	// step of a stroke before the next one is sent.
	paths := penPaths(img, 28, 28)
	for _, path := range paths {
		x, y := at(path[0])
		p.mouse(input.DispatchMouseEventTypeMousePressed, x, y)
		p.settle()
		for _, q := range path[1:] {
			x, y = at(q)
			p.mouse(input.DispatchMouseEventTypeMouseMoved, x, y)
			p.settle()
		}
		p.mouse(input.DispatchMouseEventTypeMouseReleased, x, y)
		p.settle()
	}
	s := p.status()
	if s.Pad.Empty {
		p.t.Fatalf("the pad is still empty after %d strokes drawn inside status().layout.pad = %+v", len(paths), pad)
	}
	return s.Pad
}

// correlation returns Pearson's correlation of a drawn pad input with the
// original image: near 1 when the drawing reproduces the digit.
func correlation(drawn []float64, original []uint8) float64 {
	n := float64(len(original))
	var sa, sb, saa, sbb, sab float64
	for i, o := range original {
		a, b := drawn[i], float64(o)/255
		sa, sb = sa+a, sb+b
		saa, sbb, sab = saa+a*a, sbb+b*b, sab+a*b
	}
	cov := sab - sa*sb/n
	return cov / math.Sqrt((saa-sa*sa/n)*(sbb-sb*sb/n))
}

func TestPenPaths(t *testing.T) {
	// An "L": a vertical bar two pixels wide from row 4 to row 20 and a
	// horizontal bar two pixels high from column 4 to column 16.
	img := make([]uint8, 28*28)
	for y := 4; y <= 20; y++ {
		for x := 4; x <= 16; x++ {
			if x <= 5 || y >= 19 {
				img[y*28+x] = 255
			}
		}
	}
	paths := penPaths(img, 28, 28)
	if len(paths) != 1 {
		t.Fatalf("got %d paths %v, want one stroke", len(paths), paths)
	}
	path := paths[0]
	if len(path) != 3 {
		t.Fatalf("path %v has %d vertices, want 3 (two ends and the corner)", path, len(path))
	}
	near := func(q point, x, y float64) bool { return math.Abs(q.x-x) <= 1.5 && math.Abs(q.y-y) <= 1.5 }
	ends := [2]point{path[0], path[2]}
	if near(ends[1], 5, 4.5) {
		ends[0], ends[1] = ends[1], ends[0]
	}
	if !near(ends[0], 5, 4.5) || !near(path[1], 5, 20) || !near(ends[1], 16.5, 20) {
		t.Errorf("path %v does not run from the top of the bar through the corner to the end of the foot", path)
	}
}

func TestPenPathsLoop(t *testing.T) {
	// A ring of radius 8 around (14, 14), about two pixels thick.
	img := make([]uint8, 28*28)
	for y := range 28 {
		for x := range 28 {
			if r := math.Hypot(float64(x)+0.5-14, float64(y)+0.5-14); r >= 7 && r <= 9 {
				img[y*28+x] = 255
			}
		}
	}
	paths := penPaths(img, 28, 28)
	if len(paths) != 1 {
		t.Fatalf("got %d paths, want one closed stroke", len(paths))
	}
	path := paths[0]
	first, last := path[0], path[len(path)-1]
	if math.Hypot(first.x-last.x, first.y-last.y) > 1.5 {
		t.Errorf("the stroke around the ring is not closed: it runs from %v to %v", first, last)
	}
	for _, q := range path {
		if r := math.Hypot(q.x-14, q.y-14); r < 6.5 || r > 9.5 {
			t.Errorf("vertex %v is %.1f from the centre, off the ring", q, r)
		}
	}
}
