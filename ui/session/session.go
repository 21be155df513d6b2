// Package session is one ConvLab training run as the dashboard and the
// page's JavaScript handle see it. The run itself trains wherever its
// runner.Backend puts it — a Web Worker, or time-sliced on the page's
// thread — and the session keeps what its events tell: the state, the
// per-epoch metrics, the weights of every epoch's end and the latest
// epoch's checkpoint (to revisit an epoch, and to keep or resume the run
// elsewhere), the live loss curve, throughput and time, a copy of the
// network loaded from weight snapshots (for the pad, the activation maps
// and the kernels), and the t-SNE maps of the bottleneck after the
// first and the last epoch, built here from the features the run sends
// (and, on demand, after any other finished epoch, from its weights). It
// draws nothing and never blocks for long, so the page's thread stays free
// for frames.
package session

import (
	"errors"
	"fmt"
	"time"

	"convlab/nn"
	"convlab/ui/curve"
	"convlab/ui/runner"
	"convlab/ui/settings"
)

// lossCurvePoints bounds the memory of the live loss curve.
const lossCurvePoints = 2048

// Session is one training run and everything measured along the way.
type Session struct {
	lib       *runner.Library
	backend   runner.Backend
	run       runner.RunID // events of other runs are stale
	config    settings.Settings
	test      *nn.Data
	net       *nn.Network      // the page's copy, loaded from weight snapshots
	revision  int              // weight snapshots loaded into net
	weightsAt int              // training images processed when net's weights were taken
	life      runner.Lifecycle // follows the run's; see runner.Lifecycle
	err       error
	stall     *nn.StallWarning      // the latest epoch's, nil while the run learns
	lastStep  *runner.StepExplained // the last mini-batch trained, if a step explained it
	lastBatch [][]float64           // the conv layers' gradient of the last mini-batch (runner.LastBatchParams), nil before one arrives
	batchAt   int                   // the images trained after that mini-batch
	adopted   bool                  // it shows a network trained elsewhere (Adopt)

	history         []nn.EpochMetrics
	epochWeights    [][][]float64 // epochWeights[i]: the weights epoch i+1 ended with
	resume          runner.Resume // the rest of the latest epoch end's trainer state
	epoch, batch    int           // completed epochs, completed mini-batches of the current one
	batchesPerEpoch int

	losses        *curve.Series // smoothed mini-batch loss against epochs
	smoothed      *curve.EMA
	imagesTrained int
	trainingTime  time.Duration // in the training code, as the run measured it
	computeRate   float64       // the training code's recent images/s
	wall          wallRate      // images per second as the user sees them
	clock         runClock      // wall-clock time of the run, pauses excluded

	pending             []pendingMap    // features received, maps to be built next tick
	awaiting            []*epochWeights // maps' weights still to arrive
	tsneFirst, tsneLast *Map
	epochMaps           epochMaps // maps of other epochs, built on demand
}

// New sets up a session whose run trains through backend, with the given
// settings, in the Idle state. The session owns the backend from then on.
//
// The settings are not checked here: their limits are checked once, where
// they come in (settings.Apply reads the URL and the page's script; the
// panel offers only values within them), and what training needs is
// checked by nn when the run is set up, which fails the run with nn's
// message (a runner.Failure of kind BadSettings).
func New(lib *runner.Library, backend runner.Backend, s settings.Settings) (*Session, error) {
	if lib == nil {
		return nil, errors.New("session: no data library")
	}
	if backend == nil {
		return nil, errors.New("session: no training backend")
	}
	sess := &Session{lib: lib, backend: backend}
	if err := sess.Reset(s); err != nil {
		return nil, err
	}
	return sess, nil
}

// Reset discards the run and sets up a new one with settings s, Idle (see
// New about checking them). On error (a test set the data cannot give)
// the session keeps its previous run.
func (s *Session) Reset(config settings.Settings) error {
	if err := s.fresh(config); err != nil {
		return err
	}
	s.backend.Send(runner.Configure{Run: s.run, Settings: config})
	return nil
}

// fresh discards what the session holds and sets it up for a new run with
// settings config, numbered after the last, telling the backend nothing.
// On error (a test set the data cannot give) the session is unchanged.
func (s *Session) fresh(config settings.Settings) error {
	test, err := s.lib.TestSet(config)
	if err != nil {
		return fmt.Errorf("session: %w", err)
	}
	losses := curve.NewSeries(lossCurvePoints)
	smoothed := curve.NewEMA(0.95)
	*s = Session{lib: s.lib, backend: s.backend, run: s.run + 1, config: config, test: test,
		net:    nn.NewHomework(config.Seed), // as the run starts, bit for bit
		losses: losses, smoothed: smoothed,
		batchesPerEpoch: (config.TrainSize() + config.BatchSize - 1) / max(config.BatchSize, 1),
	}
	return nil
}

// Start begins or resumes training. It does nothing once the run has
// finished or failed.
func (s *Session) Start() {
	if s.command(runner.Start{}) {
		s.wall = wallRate{} // a pause is not part of the training rate
	}
}

// Pause stops training within one mini-batch.
func (s *Session) Pause() { s.command(runner.Pause{}) }

// Step trains one mini-batch (finishing a pending end-of-epoch evaluation
// first) and leaves the session paused; Stepping reports when it is done.
func (s *Session) Step() { s.command(runner.Step{}) }

// command sends c to the run if it moves the run from its state (see
// runner.Lifecycle), showing the move at once, and reports whether it did.
func (s *Session) command(c runner.Command) bool {
	if !s.life.Apply(c) {
		return false
	}
	s.backend.Send(c)
	s.clockFollows()
	return true
}

// clockFollows runs the wall clock while the run is running, and only
// then.
func (s *Session) clockFollows() {
	if now := time.Now(); s.life.State() == runner.Running {
		s.clock.start(now)
	} else {
		s.clock.stop(now)
	}
}

// Stepping reports whether a Step is still under way.
func (s *Session) Stepping() bool { return s.life.Stepping() }

// Tick takes in what the run reported since the last tick — training for
// up to budget first when the run trains on this thread — then works on
// the t-SNE maps for a moment. Call it once per frame.
func (s *Session) Tick(budget time.Duration) {
	for _, ev := range s.backend.Poll(budget) {
		if ev.Run() == s.run {
			s.apply(ev)
		}
	}
	if s.life.State() == runner.Running {
		s.wall.add(time.Now(), s.imagesTrained)
	}
	s.tickMaps()
}

// apply folds one event of the current run into the session.
func (s *Session) apply(ev runner.Event) {
	switch ev := ev.(type) {
	case runner.StateChanged:
		s.life.Follow(ev)
		s.clockFollows()
	case runner.Progress:
		s.progress(ev)
	case runner.EpochEnded:
		s.epochEnded(ev)
	case runner.Weights:
		s.loadWeights(ev)
		s.keepLastBatch(ev.LastBatch, ev.ImagesTrained)
	case runner.Features:
		s.featuresArrived(ev)
	case runner.StepExplained:
		s.lastStep = &ev
	case runner.Failure:
		s.fail(ev.Err())
	}
}

// epochEnded keeps an epoch's metrics, weights and resume state, and
// loads the weights as the snapshot of the moment (the run sends no other
// at an epoch's end).
func (s *Session) epochEnded(ev runner.EpochEnded) {
	s.history = append(s.history, ev.Metrics)
	s.stall = ev.Stall
	s.epochWeights = append(s.epochWeights, ev.Weights)
	s.resume = ev.Resume
	s.loadWeights(runner.Weights{RunID: ev.RunID, ImagesTrained: s.imagesTrained, Values: ev.Weights})
	s.keepLastBatch(ev.LastBatch, s.imagesTrained)
}

// keepLastBatch keeps the conv layers' gradient of the last mini-batch
// trained that a snapshot carried, if it carried one, and the images
// trained after that batch.
func (s *Session) keepLastBatch(g [][]float64, images int) {
	if g != nil {
		s.lastBatch, s.batchAt = g, images
	}
}

// fail records that the run stopped with err.
func (s *Session) fail(err error) {
	s.err = err
	s.life.Fail()
	s.clockFollows()
}

func (s *Session) progress(p runner.Progress) {
	if len(p.Batches) > 0 {
		s.lastStep = nil // its explanation, if any, follows this Progress
	}
	trainSize := float64(s.config.TrainSize())
	for _, b := range p.Batches {
		s.imagesTrained += b.Size
		s.smoothed.Add(b.Loss)
		v, _ := s.smoothed.Value()
		_ = s.losses.Add(float64(s.imagesTrained)/trainSize, v)
	}
	s.imagesTrained = p.ImagesTrained
	s.epoch, s.batch, s.batchesPerEpoch = p.Epoch, p.Batch, p.BatchesPerEpoch
	s.trainingTime, s.computeRate = p.TrainingTime, p.ComputeRate
}

// loadWeights copies a snapshot into the page's network.
func (s *Session) loadWeights(w runner.Weights) {
	params := s.net.Params()
	if len(w.Values) != len(params) {
		s.fail(fmt.Errorf("session: a weight snapshot has %d tensors, the network %d", len(w.Values), len(params)))
		return
	}
	for i, p := range params {
		if len(w.Values[i]) != len(p.Value) {
			s.fail(fmt.Errorf("session: a weight snapshot's %s has %d values, want %d", p.Name, len(w.Values[i]), len(p.Value)))
			return
		}
	}
	for i, p := range params {
		copy(p.Value, w.Values[i])
	}
	s.revision++
	s.weightsAt = w.ImagesTrained
	s.weightsArrived(w.ImagesTrained)
}

// Adopt makes the session show a network trained elsewhere (a model file)
// instead of training its own: the weights replace the run's and the run
// ends, finished with no epochs, so the pad and the insight panels use
// them. net must be the homework network.
func (s *Session) Adopt(net *nn.Network) error {
	src := net.Params()
	w := runner.Weights{Values: make([][]float64, len(src))}
	for i, p := range src {
		w.Values[i] = p.Value
	}
	s.loadWeights(w)
	if s.life.State() == runner.Failed {
		return s.err
	}
	s.life.Finish()
	s.clockFollows()
	s.adopted = true
	return nil
}

// Classify returns the network's class probabilities for one 28×28 image,
// with the weights of the latest snapshot.
func (s *Session) Classify(image []float64) ([]float64, error) { return s.net.Predict(image) }

// Backprop returns one image's forward pass and the gradients of its loss
// for the target class (nn.Network.Backprop), with the weights shown.
func (s *Session) Backprop(image []float64, target int) (*nn.Backprop, error) {
	return s.net.Backprop(image, target)
}

// Activations returns every layer's output for one image.
func (s *Session) Activations(image []float64) (*nn.Activations, error) {
	return s.net.Activations(image)
}

// Settings returns the run's settings.
func (s *Session) Settings() settings.Settings { return s.config }

// State returns where the run is.
func (s *Session) State() runner.State { return s.life.State() }

// Allows reports whether command c (Start, Pause or Step) would move the
// run from where it is (runner.Lifecycle.Allows).
func (s *Session) Allows(c runner.Command) bool { return s.life.Allows(c) }

// Ended reports whether the run is over for good: finished or failed.
func (s *Session) Ended() bool { return s.life.Ended() }

// Err returns the error that stopped training, if any.
func (s *Session) Err() error { return s.err }

// Stalled returns why the run has stopped learning as of its latest epoch
// (nn.Trainer.Stalled), or nil while it learns. Unlike Err it does not
// stop training.
func (s *Session) Stalled() *nn.StallWarning { return s.stall }

// LastStep returns the Step that the run explained (one that trained a
// whole mini-batch from its start) if it is the last training the run
// did, or nil.
func (s *Session) LastStep() *runner.StepExplained { return s.lastStep }

// LastBatch returns the gradient of the mean loss of the last mini-batch
// the run trained before its latest weight snapshot, as the optimizer was
// given it, for the tensors runner.LastBatchParams names (the conv
// layers' kernels and biases); nil before the run has sent one (a run
// that has not trained, or one restored or loaded that has trained no
// further), and the images the run had trained after that batch. The
// slices are shared; do not modify them.
func (s *Session) LastBatch() (grads [][]float64, imagesTrained int) { return s.lastBatch, s.batchAt }

// Network returns the page's copy of the network, as of the latest weight
// snapshot: at each epoch's end, after a step, on pause, and a few times a
// second while training.
func (s *Session) Network() *nn.Network { return s.net }

// WeightsRevision counts the weight snapshots the network has taken in
// since the run was set up: what is drawn from the network (the pad's
// prediction, activation maps, kernels) changes only when it does.
func (s *Session) WeightsRevision() int { return s.revision }

// TestSet returns the test images the run measures on.
func (s *Session) TestSet() *nn.Data { return s.test }

// History returns the per-epoch metrics so far (shared; do not modify).
func (s *Session) History() []nn.EpochMetrics { return s.history }

// EpochWeights returns the weights epoch (counted from 1) ended with, one
// slice per parameter in the order of nn.Network.Params (shared; do not
// modify), and false if that epoch has not ended.
func (s *Session) EpochWeights(epoch int) (values [][]float64, ok bool) {
	if epoch < 1 || epoch > len(s.epochWeights) {
		return nil, false
	}
	return s.epochWeights[epoch-1], true
}

// Checkpoint returns the trainer's state at the latest epoch's end, from
// which nn.ResumeTrainer goes on bit for bit, or nil before the first
// epoch has ended. Its slices are shared; do not modify them.
func (s *Session) Checkpoint() *nn.Checkpoint {
	n := len(s.history)
	if n == 0 || len(s.epochWeights) != n {
		return nil
	}
	return &nn.Checkpoint{
		Epoch:          n,
		Weights:        s.epochWeights[n-1],
		OptimizerState: s.resume.OptimizerState,
		Shuffle:        s.resume.Shuffle,
		Order:          s.resume.Order,
		History:        s.history[:n:n],
		Stalled:        s.stall,
	}
}

// LossCurve returns the smoothed mini-batch loss against epochs (as a
// fractional epoch count).
func (s *Session) LossCurve() []curve.Point { return s.losses.Points() }

// Maps returns the t-SNE maps after the first and the last epoch; either
// may be nil until that epoch has ended.
func (s *Session) Maps() (first, last *Map) { return s.tsneFirst, s.tsneLast }

// Progress reports the epoch and mini-batch counters: completed epochs,
// completed mini-batches of the current epoch, and mini-batches per epoch.
func (s *Session) Progress() (epoch, batch, batchesPerEpoch int) {
	return s.epoch, s.batch, s.batchesPerEpoch
}

// Elapsed is the run's wall-clock time: from Start until it finished or
// failed, what a clock on the wall shows, without the time it spent paused
// (or idle between single steps).
func (s *Session) Elapsed() time.Duration { return s.clock.elapsed(time.Now()) }

// TrainingTime is the time the run spent in the training code (training
// and end-of-epoch evaluation), without waiting, messaging or drawing.
func (s *Session) TrainingTime() time.Duration { return s.trainingTime }

// ImagesTrained is the number of training images processed so far.
func (s *Session) ImagesTrained() int { return s.imagesTrained }

// ImagesPerSecond is the recent rate of training as the user sees it:
// images trained per second of wall-clock time while running. After a
// pause or the end it keeps the rate of the last seconds of running.
func (s *Session) ImagesPerSecond() float64 { return s.wall.perSecond() }

// ComputeImagesPerSecond is the recent throughput of the training code
// alone (the time of its mini-batches), comparable with the native
// benchmark.
func (s *Session) ComputeImagesPerSecond() float64 { return s.computeRate }

// TrainingIn says where the run trains: runner.InWorker ("worker") or
// runner.InPage ("page", time-sliced on the page's thread).
func (s *Session) TrainingIn() string { return s.backend.Where() }

// Close discards the run and stops its backend (its worker, if any).
func (s *Session) Close() { s.backend.Close() }
