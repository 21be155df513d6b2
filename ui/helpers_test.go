package ui

import (
	"fmt"
	"image"
	"image/color"
	"net/url"
	"strings"
	"sync"
	"testing"

	"convlab/ui/geom"
	"convlab/ui/layout"
	"convlab/ui/runner"
	"convlab/ui/session"
	"convlab/ui/settings"
	"convlab/ui/widget"
)

// library loads the bundled MNIST sets once for all tests.
var library = sync.OnceValues(runner.LoadLibrary)

// newTestApp returns an App with the settings of a URL query.
func newTestApp(t *testing.T, query string) *App {
	t.Helper()
	lib, err := library()
	if err != nil {
		t.Fatal(err)
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	s, problems := settings.FromQuery(q)
	a, err := New(lib, func() runner.Backend { return runner.NewLocal(lib) }, []settings.Settings{s}, 1, problems)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// click is a press and a release at (x, y) by the mouse.
func click(x, y float64) []widget.Event {
	return []widget.Event{{Kind: widget.Press, X: x, Y: y, ID: -1}, {Kind: widget.Release, X: x, Y: y, ID: -1}}
}

// centre returns the middle of r.
func centre(r geom.Rect) (x, y float64) { return r.Center() }

// sess returns the App's selected session.
func (a *App) sess() *session.Session { return a.selectedSession() }

// runUntil updates a until done reports true, at most n times, and fails
// the test if it never does.
func runUntil(t *testing.T, a interface{ Update(Input) }, n int, what string, done func() bool) {
	t.Helper()
	for range n {
		if done() {
			return
		}
		a.Update(Input{})
	}
	if !done() {
		t.Fatalf("%s did not happen within %d updates", what, n)
	}
}

// recorder is a Canvas that keeps the texts, lines and images drawn on
// it.
type recorder struct {
	texts  []string
	placed []placedText // the texts with where and how large
	lines  [][4]float64 // x0, y0, x1, y1
	images []drawnImage
}

// drawnImage is one Image call.
type drawnImage struct {
	bitmap *Bitmap
	src    image.Rectangle
	dst    geom.Rect
}

func (r *recorder) FillRect(geom.Rect, color.Color)            {}
func (r *recorder) StrokeRect(geom.Rect, float64, color.Color) {}
func (r *recorder) Line(x0, y0, x1, y1, _ float64, _ color.Color) {
	r.lines = append(r.lines, [4]float64{x0, y0, x1, y1})
}
func (r *recorder) Circle(_, _, _ float64, _ color.Color)             {}
func (r *recorder) Polyline(_, _ []float64, _ float64, _ color.Color) {}
func (r *recorder) Image(b *Bitmap, src image.Rectangle, dst geom.Rect) {
	r.images = append(r.images, drawnImage{b, src, dst})
}
func (r *recorder) Digits([][2]float64, []int, float64, [10]color.RGBA) {}
func (r *recorder) TextWidth(s string, size float64) float64            { return 0.6 * size * float64(len(s)) }
func (r *recorder) Text(s string, x, y, size float64, _ color.Color, _ Align) {
	r.texts = append(r.texts, s)
	r.placed = append(r.placed, placedText{s, x, y, size})
}

// placedText is one Text call.
type placedText struct {
	s          string
	x, y, size float64
}

// drew reports whether a text containing s was drawn.
func (r *recorder) drew(s string) bool {
	for _, t := range r.texts {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

// testDashboards returns layouts to test the panels in, by window: the
// desktop arrangement on logical canvases of the design size and larger
// (a wide and a tall window, a large screen), and the flow arrangement on
// phones and tablets, upright and on their side, in CSS pixels.
func testDashboards() map[string]layout.Dashboard {
	out := make(map[string]layout.Dashboard)
	for _, sz := range [][2]float64{{1280, 720}, {1600, 720}, {1280, 1000}, {2560, 1080}} {
		out[fmt.Sprintf("desktop %.0f×%.0f", sz[0], sz[1])] = layout.Compute(sz[0], sz[1])
	}
	for _, sz := range [][2]float64{{390, 844}, {844, 390}, {768, 1024}, {360, 740}, {320, 568}, {1024, 1366}} {
		out[fmt.Sprintf("flow %.0f×%.0f", sz[0], sz[1])] = layout.Fit(sz[0], sz[1])
	}
	return out
}
