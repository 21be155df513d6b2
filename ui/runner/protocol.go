package runner

import (
	"errors"
	"fmt"
	"time"

	"convlab/nn"
	"convlab/ui/settings"
)

// State is where a run is.
type State uint8

// The states of a run.
const (
	Idle     State = iota // configured, not started (or cancelled)
	Running               // training
	Paused                // started, then paused or stepped
	Finished              // all epochs done
	Failed                // diverged, or could not be set up
)

// String names the state as the page's status() reports it.
func (s State) String() string {
	switch s {
	case Idle:
		return "idle"
	case Running:
		return "running"
	case Paused:
		return "paused"
	case Finished:
		return "finished"
	case Failed:
		return "failed"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// Command is an instruction from the page to a run: Configure, Restore,
// Start, Pause, Step or Cancel.
type Command interface{ command() }

// Configure discards the current run, if any, and sets up run Run with
// Settings, Idle. Every event of the new run carries Run, so a page can
// tell them from events of an older run still in flight.
type Configure struct {
	Run      RunID
	Settings settings.Settings
}

// Restore discards the current run, if any, and sets up run Run with
// Settings as it stood at Checkpoint's epoch end (a run kept in a file or
// in the browser, come back): Paused there, ready to go on bit for bit as
// if never interrupted, or Finished when all its epochs are done. It
// trains nothing until Start or Step. TrainingTime is the time the run
// had spent in the training code, from which its Progress counts on. A
// checkpoint that does not fit the settings fails the run as BadSettings.
type Restore struct {
	Run          RunID
	Settings     settings.Settings
	Checkpoint   nn.Checkpoint
	TrainingTime time.Duration
}

// NewRun reports whether c sets up a new run, a Configure or a Restore,
// and returns that run's number and settings as a Configure: what a
// backend that starts workers or fetches images for a run looks at.
func NewRun(c Command) (Configure, bool) {
	switch c := c.(type) {
	case Configure:
		return c, true
	case Restore:
		return Configure{Run: c.Run, Settings: c.Settings}, true
	}
	return Configure{}, false
}

// Start begins or resumes training; it does nothing unless the run is Idle
// or Paused.
type Start struct{}

// Pause stops training after the current unit of work (at most 10 images
// of a mini-batch, or a chunk of an evaluation), with a weight snapshot.
type Pause struct{}

// Step trains one mini-batch (finishing a pending end-of-epoch evaluation
// first) and leaves the run Paused; it does nothing unless the run is Idle
// or Paused.
type Step struct{}

// Cancel discards the run; the engine then waits for the next Configure.
type Cancel struct{}

func (Configure) command() {}
func (Restore) command()   {}
func (Start) command()     {}
func (Pause) command()     {}
func (Step) command()      {}
func (Cancel) command()    {}

// RunID numbers the runs of one page; the page chooses it in Configure.
type RunID uint32

// Run returns the run an event belongs to.
func (r RunID) Run() RunID { return r }

// Event is news from a run: StateChanged, Progress, EpochEnded, Weights,
// Features, StepExplained or Failure. Each embeds the RunID of its run.
type Event interface {
	Run() RunID
	event()
}

// StateChanged reports the run's new state. Stepping is set while a Step
// is under way (the state is then Paused).
type StateChanged struct {
	RunID
	State    State
	Stepping bool
}

// Progress reports the mini-batches completed since the previous Progress
// and the counters after them.
type Progress struct {
	RunID
	Batches         []Batch // each completed mini-batch, in order
	ImagesTrained   int     // since the run began
	Epoch           int     // completed epochs
	Batch           int     // completed mini-batches of the current epoch
	BatchesPerEpoch int
	// TrainingTime is the time spent in the training code since the run
	// began (training and evaluation, not waiting or messaging).
	TrainingTime time.Duration
	// ComputeRate is the recent training rate of the training code alone,
	// in images per second: images over the time of their mini-batches.
	ComputeRate float64
}

// Batch is one completed mini-batch.
type Batch struct {
	Size int     // images in it (the last of an epoch may be smaller)
	Loss float64 // its mean loss
}

// EpochEnded carries the metrics measured after an epoch, as nn.Trainer
// computed them, the trainer's judgement of whether the run is still
// learning, and the trainer's state as the epoch left it: its weights,
// which the page keeps for every epoch (and loads as the epoch's weight
// snapshot), and what else resuming from there needs.
type EpochEnded struct {
	RunID
	Metrics nn.EpochMetrics
	// Stall is nn.Trainer.Stalled after this epoch: nil while the run
	// learns, otherwise why it does not (dead ReLUs, a flat loss).
	Stall *nn.StallWarning
	// Weights holds every parameter as the epoch left them, in the order
	// of nn.Network.Params.
	Weights [][]float64
	// Resume is the rest of the trainer's state at this epoch's end.
	Resume Resume
	// LastBatch is the gradient of the epoch's last mini-batch, as in
	// Weights: the run's last one when the run ends with this epoch.
	LastBatch [][]float64
}

// Resume is what a trainer needs besides its weights, its metrics and its
// stall warning to go on from an epoch's end and compute the same bits as
// a run never interrupted: the fields of nn.Checkpoint the page does not
// already hold.
type Resume struct {
	// OptimizerState is nn.Checkpoint.OptimizerState: Momentum's
	// velocities or RMSProp's mean squares, one slice per parameter; nil
	// for SGD.
	OptimizerState [][]float64
	// Shuffle is nn.Checkpoint.Shuffle, the shuffling source's state.
	Shuffle []byte
	// Order is nn.Checkpoint.Order, the training set's order as the epoch
	// shuffled it.
	Order []int
}

// Weights is a copy of every parameter of the network, in the order of
// nn.Network.Params, after ImagesTrained images. The page loads it into its
// own copy of the network to draw activation maps and kernels and to
// classify the pad's drawing.
type Weights struct {
	RunID
	ImagesTrained int
	Values        [][]float64 // one slice per parameter
	// LastBatch is the gradient of the mean loss of the last mini-batch
	// trained before the snapshot, as the optimizer was given it, for
	// the tensors LastBatchParams names (the conv layers' kernels and
	// biases: 104 + 404 values), in that order; nil when the run has
	// trained no mini-batch since it was set up (or restored).
	LastBatch [][]float64
}

// LastBatchParams names the tensors whose last mini-batch gradient
// Weights and EpochEnded carry: the conv layers', whose kernels the page
// draws.
var LastBatchParams = []string{
	nn.LayerConv1 + ".weight", nn.LayerConv1 + ".bias",
	nn.LayerConv2 + ".weight", nn.LayerConv2 + ".bias",
}

// Features are the 49 bottleneck values (after ReLU) of some test images
// with the weights as an epoch left them: taken after the first and the
// last epoch, for the t-SNE maps.
type Features struct {
	RunID
	Epoch   int
	Indices []int       // test-set index of each image (see MapSubset)
	Values  [][]float64 // Values[i] belongs to test image Indices[i]
}

// FailureKind says what went wrong.
type FailureKind uint8

// The kinds of failure.
const (
	Diverged    FailureKind = iota + 1 // a loss or weight stopped being finite
	BadSettings                        // Configure's settings cannot make a run
	Crashed                            // the worker itself failed
)

// Failure reports an error that stops the run; its state becomes Failed.
type Failure struct {
	RunID
	Kind    FailureKind
	Message string
	// Divergence holds the details when Kind is Diverged.
	Divergence nn.DivergedError
}

// Err returns the failure as an error: a *nn.DivergedError for a
// divergence, so errors.As finds it.
func (f Failure) Err() error {
	if f.Kind == Diverged {
		d := f.Divergence
		return &d
	}
	return errors.New(f.Message)
}

func (StateChanged) event() {}
func (Progress) event()     {}
func (EpochEnded) event()   {}
func (Weights) event()      {}
func (Features) event()     {}
func (Failure) event()      {}

// StepExplained explains a Step that trained a whole mini-batch from its
// start (nn.Trainer.ExplainStep), in figures: the batch's loss before and
// after the update, and for each parameter tensor the root mean square of
// its weights (after), the gradient, the update and the optimizer's state.
// It follows the step's Progress.
type StepExplained struct {
	RunID
	Epoch, Batch, Images  int // 1-based epoch and mini-batch, images in it
	LossBefore, LossAfter float64
	StateName             string // "velocity", "mean square", or empty (SGD)
	Tensors               []TensorStep
	// FirstIndex and FirstLabel name the batch's first image; FirstGradient
	// is the RMS of ∂L/∂A at each stage for it (its label the target), with
	// the weights before the step.
	FirstIndex, FirstLabel int
	FirstGradient          []StageRMS
}

// TensorStep is one parameter tensor's share of an explained step: the
// root mean square of each of its values.
type TensorStep struct {
	Name                            string
	Weight, Gradient, Update, State float64
}

// StageRMS is the RMS of a gradient at one stage of the network.
type StageRMS struct {
	Stage string
	RMS   float64
}

func (StepExplained) event() {}
