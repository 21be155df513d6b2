package repaint

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"
	"strings"
	"testing"

	"convlab/ui"
	"convlab/ui/geom"
)

// fake is a Canvas that writes down the calls drawn on it, one string
// each, and measures text as 6 units a character at size 10.
type fake struct {
	calls []string
}

func (f *fake) log(format string, args ...any) {
	f.calls = append(f.calls, fmt.Sprintf(format, args...))
}

func (f *fake) FillRect(r geom.Rect, c color.Color) { f.log("FillRect %v %v", r, rgba(c)) }
func (f *fake) StrokeRect(r geom.Rect, w float64, c color.Color) {
	f.log("StrokeRect %v %g %v", r, w, rgba(c))
}
func (f *fake) Line(x0, y0, x1, y1, w float64, c color.Color) {
	f.log("Line %g %g %g %g %g %v", x0, y0, x1, y1, w, rgba(c))
}
func (f *fake) Circle(x, y, r float64, c color.Color) { f.log("Circle %g %g %g %v", x, y, r, rgba(c)) }
func (f *fake) Polyline(xs, ys []float64, w float64, c color.Color) {
	f.log("Polyline %v %v %g %v", xs, ys, w, rgba(c))
}
func (f *fake) Text(s string, x, y, size float64, c color.Color, a ui.Align) {
	f.log("Text %q %g %g %g %v %d", s, x, y, size, rgba(c), a)
}
func (f *fake) TextWidth(s string, size float64) float64 { return 0.6 * size * float64(len(s)) }
func (f *fake) Image(b *ui.Bitmap, src image.Rectangle, dst geom.Rect) {
	f.log("Image %p v%d %v %v", b, b.Version, src, dst)
}
func (f *fake) Digits(pts [][2]float64, ds []int, size float64, palette [10]color.RGBA) {
	f.log("Digits %v %v %g %v", pts, ds, size, palette)
}

func rgba(c color.Color) [4]uint32 {
	r, g, b, a := c.RGBA()
	return [4]uint32{r, g, b, a}
}

// Colours, boxed once so that drawing with them allocates nothing.
var (
	grey  color.Color = color.RGBA{0xf0, 0xf0, 0xf0, 0xff}
	white color.Color = color.RGBA{0xff, 0xff, 0xff, 0xff}
	black color.Color = color.RGBA{0, 0, 0, 0xff}
	red   color.Color = color.RGBA{0xff, 0, 0, 0xff}
)

// screen is the tests' screen: 400×200 logical units at scale 1.
var screen = image.Rect(0, 0, 400, 200)

// scene is a dashboard of a background and two cards, left and right,
// and a banner that shows over both while it has a message. Its fields
// are what the tests change between frames.
type scene struct {
	leftText  string
	rightX    float64 // where the right card's dot is
	banner    string
	xs, curve []float64 // the left card's polyline
	points    [][2]float64
	labels    []int
	bitmap    *ui.Bitmap
	separated bool // call NextPanel; false for a plain Canvas
}

func newScene() *scene {
	return &scene{leftText: "epoch 1", rightX: 250, xs: []float64{20, 40, 60}, curve: []float64{50, 60, 70},
		points: [][2]float64{{20, 150}, {math.NaN(), 0}, {60, 160}}, labels: []int{1, 2, 3}, bitmap: &ui.Bitmap{}, separated: true}
}

// draw draws the scene on c as App.Draw would: the background, then each
// panel after NextPanel.
func (s *scene) draw(c ui.Canvas) {
	next := func() {
		if sep, ok := c.(ui.PanelSeparator); ok && s.separated {
			sep.NextPanel()
		}
	}
	c.FillRect(geom.Rect{W: 400, H: 200}, grey)
	next() // the left card
	c.FillRect(geom.Rect{X: 10, Y: 10, W: 180, H: 180}, white)
	c.Text(s.leftText, 20, 20, 10, black, ui.AlignLeft)
	c.Polyline(s.xs, s.curve, 2, red)
	c.Digits(s.points, s.labels, 10, [10]color.RGBA{{R: 1, A: 255}})
	next() // the right card
	c.FillRect(geom.Rect{X: 210, Y: 10, W: 180, H: 180}, white)
	c.Circle(s.rightX, 100, 5, black)
	c.Image(s.bitmap, image.Rect(0, 0, 2, 2), geom.Rect{X: 300, Y: 150, W: 20, H: 20})
	c.StrokeRect(geom.Rect{X: 210, Y: 10, W: 180, H: 180}, 1, black)
	c.Line(210, 40, 390, 40, 1, black)
	next() // the banner
	if s.banner != "" {
		c.FillRect(geom.Rect{X: 100, Y: 30, W: 200, H: 20}, red)
		c.Text(s.banner, 110, 33, 10, white, ui.AlignLeft)
	}
}

// frame records a frame of s and plans it.
func frame(r *Recorder, s *scene) Plan {
	r.Begin()
	s.draw(r)
	return r.Finish(screen, 1)
}

// replayed returns what replaying the areas of p draws, area by area.
func replayed(r *Recorder, p Plan) [][]string {
	var out [][]string
	areas := p.Areas
	if p.Full {
		areas = []image.Rectangle{screen}
	}
	for _, a := range areas {
		f := &fake{}
		r.Replay(f, a)
		out = append(out, f.calls)
	}
	return out
}

func TestReplayDrawsWhatWasRecorded(t *testing.T) {
	s := newScene()
	s.banner = "a message"
	direct := &fake{}
	s.draw(direct)

	r := NewRecorder(&fake{})
	p := frame(r, s)
	s.curve[0], s.points[0][0] = -1, -1 // the caller's slices change afterwards
	if !p.Full {
		t.Fatalf("first frame: plan %+v, want a full repaint", p)
	}
	got := replayed(r, p)[0]
	if !slices.Equal(got, direct.calls) {
		t.Errorf("replayed\n  %s\nwant what was drawn\n  %s", strings.Join(got, "\n  "), strings.Join(direct.calls, "\n  "))
	}
}

func TestUnchangedFramePaintsNothing(t *testing.T) {
	s := newScene()
	r := NewRecorder(&fake{})
	frame(r, s)
	for i := range 3 {
		// Equal values in fresh slices, and a NaN point, are no change.
		s.curve = slices.Clone(s.curve)
		s.points = [][2]float64{{20, 150}, {math.NaN(), 0}, {60, 160}}
		if p := frame(r, s); !p.Nothing() {
			t.Fatalf("frame %d, unchanged: plan %+v, want nothing", i+2, p)
		}
	}
}

// TestChangedPanelIsRepainted changes one panel at a time and checks that
// the plan's areas cover its drawing, and that replaying them draws the
// panels reaching into them, in order, and no other.
func TestChangedPanelIsRepainted(t *testing.T) {
	left := image.Rect(8, 8, 192, 192) // the left card, 2 pixels around
	for _, c := range []struct {
		name   string
		change func(s *scene)
		areas  []image.Rectangle
		drawn  []string // the first word of each call replayed in the first area
	}{
		{"text", func(s *scene) { s.leftText = "epoch 2" }, []image.Rectangle{left},
			[]string{"FillRect", "FillRect", "Text", "Polyline", "Digits"}},
		{"polyline point", func(s *scene) { s.curve[1] = 61 }, []image.Rectangle{left}, nil},
		{"t-SNE point", func(s *scene) { s.points[2][1] = 161 }, []image.Rectangle{left}, nil},
		{"bitmap pixels", func(s *scene) { s.bitmap.Set(2, 2, make([]byte, 16)) }, []image.Rectangle{image.Rect(207, 7, 393, 193)},
			[]string{"FillRect", "FillRect", "Circle", "Image", "StrokeRect", "Line"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newScene()
			r := NewRecorder(&fake{})
			frame(r, s)
			c.change(s)
			p := frame(r, s)
			if p.Full || !slices.Equal(p.Areas, c.areas) {
				t.Fatalf("plan %+v, want the areas %v", p, c.areas)
			}
			if c.drawn != nil {
				if got := firstWords(replayed(r, p)[0]); !slices.Equal(got, c.drawn) {
					t.Errorf("replayed %v, want %v", got, c.drawn)
				}
			}
			if p := frame(r, s); !p.Nothing() {
				t.Errorf("the frame after, unchanged: plan %+v, want nothing", p)
			}
		})
	}
}

// TestMovedDrawingRepaintsWhereItWas: a dot that moves is repainted where
// it is and cleared where it was.
func TestMovedDrawingRepaintsWhereItWas(t *testing.T) {
	s := newScene()
	r := NewRecorder(&fake{})
	frame(r, s)
	s.rightX = 380
	p := frame(r, s)
	// The right card reaches from 210−½ to 390+½ (its stroke): its area
	// now and before is the same, and holds both dots.
	want := []image.Rectangle{image.Rect(207, 7, 393, 193)}
	if !slices.Equal(p.Areas, want) {
		t.Fatalf("areas %v, want %v", p.Areas, want)
	}
	got := replayed(r, p)[0]
	if !slices.Contains(got, "Circle 380 100 5 [0 0 0 65535]") {
		t.Errorf("the dot's new place is not repainted: %v", got)
	}
}

// TestBannerOverPanels: a banner over two panels is repainted with the
// panels under it, after them; when it goes, they are repainted where it
// was.
func TestBannerOverPanels(t *testing.T) {
	s := newScene()
	r := NewRecorder(&fake{})
	frame(r, s)

	s.banner = "reset failed"
	p := frame(r, s)
	banner := image.Rect(98, 28, 302, 52)
	if !slices.Equal(p.Areas, []image.Rectangle{banner}) {
		t.Fatalf("banner shown: areas %v, want %v", p.Areas, banner)
	}
	want := []string{"FillRect", "FillRect", "Text", "Polyline", "Digits", "FillRect", "Circle", "Image", "StrokeRect", "Line", "FillRect", "Text"}
	if got := firstWords(replayed(r, p)[0]); !slices.Equal(got, want) {
		t.Errorf("banner shown: replayed %v, want %v (background, both cards, the banner)", got, want)
	}

	s.leftText = "epoch 2" // under the banner: the banner is drawn again over it
	p = frame(r, s)
	underBanner := append(want[:5:5], want[10:]...)
	if got := firstWords(replayed(r, p)[0]); !slices.Equal(got, underBanner) {
		t.Errorf("left card changed under the banner: replayed %v, want %v (background, left card, banner)", got, underBanner)
	}

	s.banner = ""
	p = frame(r, s)
	if !slices.Equal(p.Areas, []image.Rectangle{banner}) {
		t.Fatalf("banner gone: areas %v, want %v", p.Areas, banner)
	}
	if got := firstWords(replayed(r, p)[0]); !slices.Equal(got, want[:10]) {
		t.Errorf("banner gone: replayed %v, want %v (background and both cards)", got, want[:10])
	}
}

// TestAreasDoNotOverlap: changes in both cards and the banner over them
// make one area, so that no pixel is painted twice.
func TestAreasDoNotOverlap(t *testing.T) {
	s := newScene()
	r := NewRecorder(&fake{})
	frame(r, s)
	s.leftText, s.rightX = "epoch 2", 300
	p := frame(r, s)
	if len(p.Areas) != 2 || p.Areas[0].Overlaps(p.Areas[1]) {
		t.Fatalf("two separate cards changed: areas %v, want two apart", p.Areas)
	}
	s.leftText, s.rightX, s.banner = "epoch 3", 310, "joined"
	p = frame(r, s)
	if want := image.Rect(8, 7, 393, 193); !slices.Equal(p.Areas, []image.Rectangle{want}) {
		t.Fatalf("the banner joins them: areas %v, want %v", p.Areas, want)
	}
}

// TestFullRepaints: a new screen or scale (Invalidate) and another number
// of panels repaint everything.
func TestFullRepaints(t *testing.T) {
	s := newScene()
	r := NewRecorder(&fake{})
	frame(r, s)
	r.Invalidate()
	if p := frame(r, s); !p.Full {
		t.Errorf("after Invalidate: plan %+v, want full", p)
	}
	if p := frame(r, s); !p.Nothing() {
		t.Errorf("the frame after: plan %+v, want nothing", p)
	}
	s.separated = false // one panel instead of four
	if p := frame(r, s); !p.Full {
		t.Errorf("fewer panels: plan %+v, want full", p)
	}
}

// TestBoundsAtScale: areas are in device pixels, rounded out.
func TestBoundsAtScale(t *testing.T) {
	s := newScene()
	r := NewRecorder(&fake{})
	big := image.Rect(0, 0, 1000, 500)
	r.Begin()
	s.draw(r)
	r.Finish(big, 2.5)
	s.leftText = "epoch 2"
	r.Begin()
	s.draw(r)
	p := r.Finish(big, 2.5)
	if want := image.Rect(23, 23, 477, 477); !slices.Equal(p.Areas, []image.Rectangle{want}) {
		t.Errorf("areas %v, want %v (the left card from 10 to 190 units at 2.5 pixels each, and 2 pixels)", p.Areas, want)
	}
}

// TestTextBounds: a text's area follows its width and alignment.
func TestTextBounds(t *testing.T) {
	for _, c := range []struct {
		align ui.Align
		want  image.Rectangle
	}{
		// "abc" at size 10 is 18 wide; 3 more on each side, 3 above, 15 below, 2 pixels.
		{ui.AlignLeft, image.Rect(95, 45, 123, 67)},
		{ui.AlignCenter, image.Rect(86, 45, 114, 67)},
		{ui.AlignRight, image.Rect(77, 45, 105, 67)},
	} {
		r := NewRecorder(&fake{})
		r.Begin()
		r.Text("abc", 100, 50, 10, black, c.align)
		p := r.Finish(screen, 1)
		if got := r.cur.panels[0].bounds; got != c.want || !p.Full {
			t.Errorf("align %d: bounds %v, want %v", c.align, got, c.want)
		}
	}
}

// TestTextWidthIsMeasured: the recorder measures with its Measurer.
func TestTextWidthIsMeasured(t *testing.T) {
	r := NewRecorder(&fake{})
	if w := r.TextWidth("hello", 10); w != 30 {
		t.Errorf("TextWidth = %g, want the Measurer's 30", w)
	}
}

// TestEachBitmap lists the bitmaps of the frame, repainted or not.
func TestEachBitmap(t *testing.T) {
	s := newScene()
	r := NewRecorder(&fake{})
	frame(r, s)
	frame(r, s)
	var got []*ui.Bitmap
	r.EachBitmap(func(b *ui.Bitmap) { got = append(got, b) })
	if len(got) != 1 || got[0] != s.bitmap {
		t.Errorf("EachBitmap gave %v, want the scene's bitmap", got)
	}
}

// TestRecordingAllocatesNothing: recording and planning a frame like the
// last one allocates nothing.
func TestRecordingAllocatesNothing(t *testing.T) {
	s := newScene()
	r := NewRecorder(&fake{})
	frame(r, s)
	frame(r, s)
	if n := testing.AllocsPerRun(100, func() { frame(r, s) }); n != 0 {
		t.Errorf("a steady frame allocates %g times, want 0", n)
	}
}

// firstWords returns the first word of each call.
func firstWords(calls []string) []string {
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i], _, _ = strings.Cut(c, " ")
	}
	return out
}
