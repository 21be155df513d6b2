package ui

import (
	"time"

	"convlab/nn"
	"convlab/ui/curve"
	"convlab/ui/geom"
	"convlab/ui/session"
	"convlab/ui/settings"
)

// panel is one part of the dashboard. update reads the frame and returns
// what the panel wants done; draw paints the panel in the frame's
// rectangle. Neither changes anything but the panel's own state.
type panel interface {
	update(f *frame) []action
	draw(c *canvas, f *frame)
}

// frame is what a panel sees in one Update or Draw: the runs and which is
// selected, the image the insight panels show, the pad's drawing, the
// messages, this frame's input and the panel's rectangle. Panels only
// read it.
type frame struct {
	runs     []run
	selected int         // index in runs of the run the pad and the insight panels show
	image    selection   // what the activation maps show
	drawing  drawing     // the pad's drawing, as the pad published it
	thumbs   *thumbnails // the selected run's test images
	messages []string    // what the banner shows, the training error first
	input    *Input      // this frame's input; empty while drawing
	fps      float64
	rect     geom.Rect // the panel's rectangle
}

// run returns the selected run.
func (f *frame) run() run { return f.runs[f.selected] }

// at returns the frame for a panel in r.
func (f frame) at(r geom.Rect) *frame {
	f.rect = r
	return &f
}

// runID numbers the runs the dashboard has shown: the first is 1, and
// every reset makes a new one. What panels compute from a run is keyed by
// its runID, so a new run recomputes it even where its counts (epochs,
// iterations) match the previous run's. The zero runID matches no run.
type runID int

// run is one run as panels see it: its number and its session, through
// methods that only read.
type run struct {
	id runID
	sessionView
}

// sessionView is the part of *session.Session that panels may use.
type sessionView interface {
	State() session.State
	Stepping() bool
	Settings() settings.Settings
	Err() error
	Progress() (epoch, batch, batchesPerEpoch int)
	ImagesTrained() int
	ImagesPerSecond() float64
	Elapsed() time.Duration
	History() []nn.EpochMetrics
	LossCurve() []curve.Point
	Maps() (first, last *session.Map)
	TestSet() *nn.Data
	Classify(image []float64) ([]float64, error)
	Activations(image []float64) (*nn.Activations, error)
	Network() *nn.Network // for its kernels; panels do not change it
}

// selection is what the insight panels show: the pad's drawing, or test
// image index (kept while the drawing is shown, to go back to).
type selection struct {
	drawing bool
	index   int
}

// drawing is what the pad publishes: the revision counts its changes,
// input is the 28×28 network input (nil while the pad is empty) and image
// shows that input.
type drawing struct {
	revision int
	input    []float64
	image    *Bitmap
}

// action is something a panel (or a script) wants done.
type action struct {
	kind     actionKind
	settings settings.Settings // resetRun: the new run's settings
	index    int               // selectImage: the test image; selectRun: the run
}

// actionKind says what an action does.
type actionKind int

// The actions.
const (
	startRun        actionKind = iota + 1 // start or resume the selected run
	pauseRun                              // pause it
	stepRun                               // train it one mini-batch
	resetRun                              // start it over with .settings
	selectImage                           // show test image .index in the insight panels
	selectDrawing                         // show the pad's drawing there
	selectRun                             // point the pad and the insight panels at run .index
	clearPad                              // empty the pad
	dismissMessages                       // hide the banner's messages and the training error
)

// do returns an action of kind k.
func do(k actionKind) action { return action{kind: k} }
