// Package session runs one ConvLab training session for the dashboard and
// the page's JavaScript handle: the data subsets, the network and its
// trainer, time-sliced progress, the live loss curve, throughput, and the
// t-SNE maps of the bottleneck after the first and the last epoch. It
// draws nothing and never blocks for long, so the browser's single thread
// stays free for frames.
package session

import (
	"errors"
	"fmt"
	"time"

	"convlab/assets"
	"convlab/nn"
	"convlab/ui/curve"
	"convlab/ui/settings"
)

// State is where a session is in its run.
type State int

// The states of a session.
const (
	Idle     State = iota // set up, not started
	Running               // training a little every tick
	Paused                // started, then paused (or stepped)
	Finished              // all epochs done
	Failed                // training diverged
)

// String names the state as status() reports it.
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

// Library holds the bundled MNIST sets, parsed once and shared by every
// session.
type Library struct {
	Train, Test *assets.Dataset
}

// LoadLibrary parses the bundled training and test sets.
func LoadLibrary() (*Library, error) {
	train, err := assets.Train()
	if err != nil {
		return nil, err
	}
	test, err := assets.Test()
	if err != nil {
		return nil, err
	}
	return &Library{Train: train, Test: test}, nil
}

// lossCurvePoints bounds the memory of the live loss curve.
const lossCurvePoints = 2048

// Session is one training run and everything measured along the way.
type Session struct {
	lib     *Library
	config  settings.Settings
	train   *nn.Data
	test    *nn.Data
	net     *nn.Network
	trainer *nn.Trainer
	state   State

	losses        *curve.Series // smoothed mini-batch loss against images seen
	smoothed      *curve.EMA
	imagesTrained int
	elapsed       time.Duration // time spent training
	throughput    rate          // training code only
	wall          wallRate      // as the user sees it, drawing included

	stepping            bool         // a Step is in progress, spread over ticks
	pending             []pendingMap // maps whose features are taken, to be built next tick
	tsneFirst, tsneLast *Map
}

// New sets up a session with the given settings, in the Idle state.
func New(lib *Library, s settings.Settings) (*Session, error) {
	if lib == nil {
		return nil, errors.New("session: no data library")
	}
	sess := &Session{lib: lib}
	if err := sess.Reset(s); err != nil {
		return nil, err
	}
	return sess, nil
}

// Reset discards the run and sets up a new one with settings s, Idle. On
// error the session keeps its previous run.
func (s *Session) Reset(config settings.Settings) error {
	if err := config.Validate(); err != nil {
		return fmt.Errorf("session: %w", err)
	}
	train, err := subset(s.lib.Train, config.TrainPerClass)
	if err != nil {
		return fmt.Errorf("session: training set: %w", err)
	}
	test, err := subset(s.lib.Test, config.TestPerClass)
	if err != nil {
		return fmt.Errorf("session: test set: %w", err)
	}
	net := nn.NewHomework(config.Seed)
	trainer, err := nn.NewTrainer(net, train, test, config.TrainerConfig())
	if err != nil {
		return fmt.Errorf("session: %w", err)
	}
	losses := curve.NewSeries(lossCurvePoints)
	smoothed := curve.NewEMA(0.95)
	*s = Session{lib: s.lib, config: config, train: train, test: test, net: net, trainer: trainer,
		losses: losses, smoothed: smoothed}
	return nil
}

func subset(d *assets.Dataset, perClass int) (*nn.Data, error) {
	sub, err := d.FirstPerClass(perClass)
	if err != nil {
		return nil, err
	}
	return nn.NewData(sub.Pixels, sub.Labels)
}

// Start begins or resumes training. It does nothing once the run has
// finished or failed.
func (s *Session) Start() {
	if s.state == Idle || s.state == Paused {
		s.state = Running
		s.wall = wallRate{} // a pause is not part of the training rate
	}
}

// Pause stops training after the current tick.
func (s *Session) Pause() {
	if s.state == Running {
		s.state = Paused
	}
}

// Step trains one mini-batch (finishing a pending end-of-epoch evaluation
// first) over the next ticks, and leaves the session paused.
func (s *Session) Step() {
	if s.state != Idle && s.state != Paused {
		return
	}
	s.state = Paused
	s.stepping = true
}

// Stepping reports whether a Step is still under way.
func (s *Session) Stepping() bool { return s.stepping }

// Tick does at most about budget of training if the session is running or
// stepping, then works on the t-SNE maps for a moment. Call it once per
// frame.
func (s *Session) Tick(budget time.Duration) {
	switch {
	case s.state == Running:
		start := time.Now()
		p, err := s.trainer.Advance(budget)
		s.record(p, err, time.Since(start))
		s.wall.add(time.Now(), s.imagesTrained)
	case s.stepping:
		start := time.Now()
		p, done, err := s.trainer.AdvanceToBatch(budget)
		s.record(p, err, time.Since(start))
		s.stepping = !done && err == nil && s.state == Paused
	}
	s.tickMaps()
}

// record folds the result of some training into the session.
func (s *Session) record(p nn.Progress, err error, took time.Duration) {
	s.elapsed += took
	s.throughput.add(p.Trained, took)
	for _, b := range p.Batches {
		s.imagesTrained += b.Size
		s.smoothed.Add(b.Loss)
		v, _ := s.smoothed.Value()
		_ = s.losses.Add(float64(s.imagesTrained)/float64(s.train.Len()), v)
	}
	for _, m := range p.Epochs {
		s.epochEnded(m)
	}
	switch {
	case err != nil:
		s.state, s.stepping = Failed, false
	case s.trainer.Phase() == nn.PhaseFinished:
		s.state, s.stepping = Finished, false
	}
}

// Classify returns the network's class probabilities for one 28×28 image.
func (s *Session) Classify(image []float64) ([]float64, error) { return s.net.Predict(image) }

// Activations returns every layer's output for one image.
func (s *Session) Activations(image []float64) (*nn.Activations, error) {
	return s.net.Activations(image)
}

// Settings returns the run's settings.
func (s *Session) Settings() settings.Settings { return s.config }

// State returns where the run is.
func (s *Session) State() State { return s.state }

// Err returns the error that stopped training, if any.
func (s *Session) Err() error { return s.trainer.Err() }

// Network returns the network being trained.
func (s *Session) Network() *nn.Network { return s.net }

// TestSet returns the test images the run measures on.
func (s *Session) TestSet() *nn.Data { return s.test }

// History returns the per-epoch metrics so far (shared; do not modify).
func (s *Session) History() []nn.EpochMetrics { return s.trainer.History() }

// LossCurve returns the smoothed mini-batch loss against epochs (as a
// fractional epoch count).
func (s *Session) LossCurve() []curve.Point { return s.losses.Points() }

// Maps returns the t-SNE maps after the first and the last epoch; either
// may be nil until that epoch has ended.
func (s *Session) Maps() (first, last *Map) { return s.tsneFirst, s.tsneLast }

// Progress reports the epoch and mini-batch counters.
func (s *Session) Progress() (epoch, batch, batchesPerEpoch int) {
	batch, batchesPerEpoch = s.trainer.BatchInEpoch()
	return s.trainer.Epoch(), batch, batchesPerEpoch
}

// Elapsed is the time spent training so far.
func (s *Session) Elapsed() time.Duration { return s.elapsed }

// ImagesTrained is the number of training images processed so far.
func (s *Session) ImagesTrained() int { return s.imagesTrained }

// ImagesPerSecond is the recent rate of training as the user sees it:
// images trained per second of wall-clock time while running, the time
// spent drawing frames included. After a pause or the end it keeps the
// rate of the last seconds of running.
func (s *Session) ImagesPerSecond() float64 { return s.wall.perSecond() }

// ComputeImagesPerSecond is the recent throughput of the training code
// alone (time inside the trainer), comparable with the native benchmark.
func (s *Session) ComputeImagesPerSecond() float64 { return s.throughput.perSecond() }
