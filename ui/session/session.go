package session

import (
	"errors"
	"fmt"
	"time"

	"convlab/assets"
	"convlab/nn"
	"convlab/ui/plot"
	"convlab/ui/tsne"
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

func (s State) String() string {
	return [...]string{"idle", "running", "paused", "finished", "failed"}[s]
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
	lib      *Library
	settings Settings
	train    *nn.Data
	test     *nn.Data
	net      *nn.Network
	trainer  *nn.Trainer
	state    State

	losses        *plot.Series // smoothed mini-batch loss against images seen
	smoothed      *plot.EMA
	imagesTrained int
	elapsed       time.Duration // time spent training
	throughput    rate          // training code only
	wall          wallRate      // as the user sees it, drawing included

	tsneFirst, tsneLast *Map
}

// New sets up a session with the given settings, in the Idle state.
func New(lib *Library, s Settings) (*Session, error) {
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
func (s *Session) Reset(settings Settings) error {
	train, err := subset(s.lib.Train, settings.TrainPerClass)
	if err != nil {
		return fmt.Errorf("session: training set: %w", err)
	}
	test, err := subset(s.lib.Test, settings.TestPerClass)
	if err != nil {
		return fmt.Errorf("session: test set: %w", err)
	}
	net := nn.NewHomework(settings.Seed)
	trainer, err := nn.NewTrainer(net, train, test, settings.TrainerConfig())
	if err != nil {
		return fmt.Errorf("session: %w", err)
	}
	losses, _ := plot.NewSeries(lossCurvePoints)
	smoothed, _ := plot.NewEMA(0.95)
	*s = Session{lib: s.lib, settings: settings, train: train, test: test, net: net, trainer: trainer,
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

// Step trains exactly one mini-batch (finishing a pending end-of-epoch
// evaluation first) and leaves the session paused.
func (s *Session) Step() {
	if s.state != Idle && s.state != Paused {
		return
	}
	s.state = Paused
	start := time.Now()
	p, err := s.trainer.TrainOneBatch()
	s.record(p, err, time.Since(start))
}

// Tick trains for about budget if the session is running, then advances
// the t-SNE maps by a few iterations. Call it once per frame.
func (s *Session) Tick(budget time.Duration) {
	if s.state == Running {
		start := time.Now()
		p, err := s.trainer.Advance(budget)
		s.record(p, err, time.Since(start))
		s.wall.add(time.Now(), s.imagesTrained)
	}
	for _, m := range []*Map{s.tsneFirst, s.tsneLast} {
		if m != nil {
			m.step(tsneItersPerTick)
		}
	}
}

// record folds the result of some training into the session.
func (s *Session) record(p nn.Progress, err error, took time.Duration) {
	s.elapsed += took
	s.throughput.add(p.Trained, took)
	for _, loss := range p.BatchLosses {
		s.imagesTrained += s.settings.BatchSize // exact except for a last partial batch
		s.smoothed.Add(loss)
		v, _ := s.smoothed.Value()
		_ = s.losses.Add(float64(s.trainer.Epoch())+s.epochFraction(), v)
	}
	for _, m := range p.Epochs {
		s.epochEnded(m)
	}
	switch {
	case err != nil:
		s.state = Failed
	case s.trainer.Phase() == nn.PhaseFinished:
		s.state = Finished
	}
}

func (s *Session) epochFraction() float64 {
	done, total := s.trainer.BatchInEpoch()
	return float64(done) / float64(total)
}

// epochEnded starts the t-SNE map of the first and of the last epoch.
func (s *Session) epochEnded(m nn.EpochMetrics) {
	if m.Epoch != 1 && m.Epoch != s.settings.Epochs {
		return
	}
	mp, err := newMap(s.net, s.test, m)
	if err != nil {
		return // a map that cannot be made is left out, not fatal
	}
	if m.Epoch == 1 {
		s.tsneFirst = mp
	}
	if m.Epoch == s.settings.Epochs {
		s.tsneLast = mp
	}
}

// Classify returns the network's class probabilities for one 28×28 image.
func (s *Session) Classify(image []float64) ([]float64, error) { return s.net.Predict(image) }

// Activations returns every layer's output for one image.
func (s *Session) Activations(image []float64) (*nn.Activations, error) {
	return s.net.Activations(image)
}

// Settings returns the run's settings.
func (s *Session) Settings() Settings { return s.settings }

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
func (s *Session) LossCurve() []plot.Point { return s.losses.Points() }

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

// wallRate measures images per wall-clock second over the last couple of
// seconds of ticks.
type wallRate struct {
	times  [128]time.Time
	counts [128]int
	next   int
	n      int
}

func (w *wallRate) add(t time.Time, images int) {
	w.times[w.next], w.counts[w.next] = t, images
	w.next = (w.next + 1) % len(w.times)
	w.n = min(w.n+1, len(w.times))
}

func (w *wallRate) perSecond() float64 {
	if w.n < 2 {
		return 0
	}
	newest := (w.next - 1 + len(w.times)) % len(w.times)
	oldest := (w.next - w.n + len(w.times)) % len(w.times)
	span := w.times[newest].Sub(w.times[oldest]).Seconds()
	if span <= 0 {
		return 0
	}
	return float64(w.counts[newest]-w.counts[oldest]) / span
}

// rate measures throughput over a sliding window of recent work.
type rate struct {
	images  [16]int
	times   [16]time.Duration
	next, n int
}

func (r *rate) add(images int, took time.Duration) {
	if images == 0 {
		return
	}
	r.images[r.next], r.times[r.next] = images, took
	r.next = (r.next + 1) % len(r.images)
	r.n = min(r.n+1, len(r.images))
}

func (r *rate) perSecond() float64 {
	var images int
	var took time.Duration
	for i := 0; i < r.n; i++ {
		images += r.images[i]
		took += r.times[i]
	}
	if took <= 0 {
		return 0
	}
	return float64(images) / took.Seconds()
}

// tsneItersPerTick keeps the maps' cost near a millisecond a frame under
// WebAssembly (about 70 µs an iteration for 100 points).
const tsneItersPerTick = 10

// Map is a t-SNE embedding of the bottleneck features of the test images
// after one epoch, settling a few iterations per tick.
type Map struct {
	Epoch     int
	Labels    []int // true class of each test image
	Predicted []int // class predicted after that epoch
	emb       *tsne.Embedding
}

func newMap(net *nn.Network, test *nn.Data, m nn.EpochMetrics) (*Map, error) {
	features, err := net.Bottleneck(test.Images, 100)
	if err != nil {
		return nil, err
	}
	opts := tsne.DefaultOptions()
	opts.Perplexity = min(opts.Perplexity, float64(test.Len()-1)/3)
	opts.Iterations = 500
	emb, err := tsne.New(features, opts)
	if err != nil {
		return nil, fmt.Errorf("t-SNE after epoch %d: %w", m.Epoch, err)
	}
	return &Map{Epoch: m.Epoch, Labels: test.Labels, Predicted: m.Test.Predicted, emb: emb}, nil
}

func (m *Map) step(n int) { m.emb.Step(n) }

// Points returns the current 2-D positions, one per test image.
func (m *Map) Points() [][2]float64 { return m.emb.Points() }

// Iteration is how many t-SNE iterations have run.
func (m *Map) Iteration() int { return m.emb.Iteration() }

// Done reports whether the map has settled (all iterations run).
func (m *Map) Done() bool { return m.emb.Done() }
