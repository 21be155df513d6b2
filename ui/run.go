package ui

import (
	"time"

	"convlab/nn"
	"convlab/ui/curve"
	"convlab/ui/runner"
	"convlab/ui/session"
	"convlab/ui/settings"
)

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
	label  string // what sets it apart from the other runs
	queued bool   // it waits for a place to train
	at     int    // the epoch whose end the view shows (see scrub), 0 for live
}

// sessionView is the part of *session.Session that panels may use.
type sessionView interface {
	State() runner.State
	Stepping() bool
	Ended() bool                  // finished or failed
	Allows(c runner.Command) bool // whether c would move the run
	Settings() settings.Settings
	Err() error
	Progress() (epoch, batch, batchesPerEpoch int)
	ImagesTrained() int
	ImagesPerSecond() float64
	Elapsed() time.Duration
	History() []nn.EpochMetrics
	LossCurve() []curve.Point
	Maps() (first, last *session.Map)
	MapAt(epoch int) *session.Map // after a finished epoch, once built
	MapPending(epoch int) bool    // MapAt(epoch) is being built
	TestSet() *nn.Data
	Classify(image []float64) ([]float64, error)
	Activations(image []float64) (*nn.Activations, error)
	Backprop(image []float64, target int) (*nn.Backprop, error)
	LastStep() *runner.StepExplained // the latest step explained, or nil
	LastBatch() ([][]float64, int)   // the conv layers' gradient of the last mini-batch (or nil), the images trained after it
	Network() *nn.Network            // for its kernels; panels do not change it
	TrainingIn() string              // "worker" or "page"
	WeightsRevision() int            // counts the weight snapshots Network has taken in
}

// selection is what the insight panels show: the pad's drawing, or test
// image index (kept while the drawing is shown, to go back to).
type selection struct {
	drawing bool
	index   int
}

// defaultTarget asks for the gradients' default target class: the test
// image's label, or the class the network predicts for a drawing.
const defaultTarget = -1

// gradView is whether the activation panel shows the backward pass, and
// the class whose loss it differentiates (defaultTarget or a digit).
type gradView struct {
	shown  bool
	target int
	batch  bool // the kernels show the last mini-batch's ∂L/∂W, not the image's
}

// drawing is what the pad publishes: the revision counts its changes,
// input is the 28×28 network input (nil while the pad is empty) and image
// shows that input.
type drawing struct {
	revision int
	input    []float64
	image    *Bitmap
}

// must returns v, and panics if err reports a programming mistake.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
