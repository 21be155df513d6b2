package nn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Config is everything that determines a training run besides the data.
type Config struct {
	Optimizer OptimizerConfig `json:"optimizer"`
	BatchSize int             `json:"batchSize"`
	Epochs    int             `json:"epochs"`
	Seed      uint64          `json:"seed"`
}

// DefaultConfig returns the homework's settings: Momentum (η = 0.001,
// α = 0.9), mini-batches of 10, 15 epochs, seed 1.
func DefaultConfig() Config {
	return Config{Optimizer: DefaultOptimizer(OptimizerMomentum), BatchSize: 10, Epochs: 15, Seed: 1}
}

// Validate checks the settings against a training set of trainSize
// images: the optimizer's preconditions (OptimizerConfig.Validate), and a
// mini-batch of 1 to trainSize images, at least one epoch. Like those, it
// checks only what training needs to make sense; how far a user may go is
// the settings table's business (convlab/ui/settings).
func (c Config) Validate(trainSize int) error {
	if err := c.Optimizer.Validate(); err != nil {
		return err
	}
	if c.BatchSize < 1 || c.BatchSize > trainSize {
		return fmt.Errorf("batch size must be between 1 and the training-set size %d, got %d", trainSize, c.BatchSize)
	}
	if c.Epochs < 1 {
		return fmt.Errorf("epochs must be at least 1, got %d", c.Epochs)
	}
	return nil
}

// EpochMetrics are measured after each epoch, with the weights as they
// are at the end of that epoch: on the whole test set, and on the whole
// training set or, for a set of more than TrainEvalLimit images, on a
// fixed class-balanced part of it (TrainEvalIndices).
type EpochMetrics struct {
	Epoch int // 1-based
	Train Evaluation
	Test  Evaluation
	// Layers holds, per parameterised layer in the network's order, the
	// epoch's gradient size and how far it moved the weights
	// (LayerStats).
	Layers []LayerStats
}

// BestEpoch returns the first epoch of history with the lowest test
// error, or 0 for an empty history: the epoch a results table and a
// report call best.
func BestEpoch(history []EpochMetrics) int {
	best := 0
	for i, m := range history {
		if best == 0 || m.Test.Error < history[best-1].Test.Error {
			best = i + 1
		}
	}
	return best
}

// DivergedError reports that training produced a NaN or infinite loss or
// parameter. Training stops for good after it.
type DivergedError struct {
	Epoch, Step  int    // 1-based epoch and mini-batch within it
	What         string // what became non-finite
	LearningRate float64
}

// Error describes the divergence and suggests a smaller learning rate.
func (e *DivergedError) Error() string {
	return fmt.Sprintf("training diverged in epoch %d, mini-batch %d: %s is not finite; try a smaller learning rate than %g",
		e.Epoch, e.Step, e.What, e.LearningRate)
}

// Phase is what a trainer will do next.
type Phase int

// The phases of a run.
const (
	PhaseTraining   Phase = iota // next unit is a mini-batch
	PhaseEvaluating              // next unit is a chunk of the end-of-epoch evaluation
	PhaseFinished                // all epochs done
	PhaseFailed                  // training diverged
)

// String names the phase.
func (p Phase) String() string {
	switch p {
	case PhaseTraining:
		return "training"
	case PhaseEvaluating:
		return "evaluating"
	case PhaseFinished:
		return "finished"
	case PhaseFailed:
		return "failed"
	}
	return fmt.Sprintf("Phase(%d)", int(p))
}

// Work per unit, bounded so that training on the page's thread (where Web
// Workers are missing) fits in a frame, and so that a command reaches a
// run within one unit. The slowest path, the Go loops without the SIMD
// kernels, trains about 1,800 images/s and evaluates about 4,200 images/s
// in Chromium (make bench-browser): a chunk of 10 training images takes
// about 6 ms, one of 25 evaluated images about the same, both within the
// 8 ms of each frame that the dashboard gives training; with the kernels,
// under 1 ms.
const (
	maxChunk  = 10
	evalChunk = 25
)

// Trainer trains a network a little at a time. Each call to Work does one
// bounded unit — a chunk of at most 10 images of a mini-batch (the update
// follows its last chunk), or a chunk of the evaluation that follows each
// epoch — so a caller with a single thread (the browser) can interleave
// training with drawing, whatever the batch size. The training set is reshuffled at the
// start of every epoch from a source seeded with Config.Seed.
type Trainer struct {
	net   *Network
	opt   Optimizer
	train *Data
	test  *Data
	cfg   Config
	// shuffle is the source rng draws from, kept for Checkpoint.
	shuffle *rand.PCG
	rng     *rand.Rand

	phase   Phase
	epoch   int // completed epochs
	pos     int // images of the current epoch in completed mini-batches
	inBatch int // images of the current mini-batch already run
	order   []int
	history []EpochMetrics
	err     error
	stall   *stallDetector
	stalled *StallWarning // the judgement of the latest epoch
	stats   *layerStatsMeter

	evalTrain, evalTest *evaluator
	trainEval           []int // the training images measured (TrainEvalIndices)

	batchImages []float64
	batchLabels []int
	batchLoss   float64 // mean loss of the current mini-batch so far
	gradLogits  []float64
}

// NewTrainer validates cfg and prepares to train net on train, measuring on
// test after each epoch.
func NewTrainer(net *Network, train, test *Data, cfg Config) (*Trainer, error) {
	if train == nil || train.Len() == 0 || test == nil || test.Len() == 0 {
		return nil, errors.New("trainer: need non-empty training and test sets")
	}
	if err := cfg.Validate(train.Len()); err != nil {
		return nil, fmt.Errorf("trainer: %w", err)
	}
	shuffle := newShuffle(cfg.Seed)
	t := &Trainer{
		net: net, opt: buildOptimizer(cfg.Optimizer), train: train, test: test, cfg: cfg,
		shuffle: shuffle, rng: rand.New(shuffle),
		order:     make([]int, train.Len()),
		trainEval: TrainEvalIndices(train.Labels),
	}
	for i := range t.order {
		t.order[i] = i
	}
	t.stall = newStallDetector(net)
	t.stats = newLayerStatsMeter(net)
	return t, nil
}

// Network returns the network being trained.
func (t *Trainer) Network() *Network { return t.net }

// Phase returns what the trainer will do next.
func (t *Trainer) Phase() Phase { return t.phase }

// Err returns the error that stopped training, if any.
func (t *Trainer) Err() error { return t.err }

// Stalled returns a warning if the run has stopped learning as of the
// latest completed epoch (a layer of dead ReLUs, or a training loss that
// stays above its first value), or nil. Training goes on either way.
func (t *Trainer) Stalled() *StallWarning { return t.stalled }

// Epoch returns the number of completed epochs.
func (t *Trainer) Epoch() int { return t.epoch }

// BatchInEpoch returns how many mini-batches of the current epoch are done,
// and how many the epoch has.
func (t *Trainer) BatchInEpoch() (done, total int) {
	b := t.cfg.BatchSize
	return (t.pos + b - 1) / b, (t.train.Len() + b - 1) / b
}

// Order returns the order in which the current epoch, or the last one
// between epochs, visits the training images (shared; do not modify).
func (t *Trainer) Order() []int { return t.order }

// History returns the metrics of every completed epoch, oldest first. The
// slice is shared; do not modify it.
func (t *Trainer) History() []EpochMetrics { return t.history }

// Unit describes what one call to Work did.
type Unit struct {
	Trained   int     // images trained on (0 for an evaluation chunk)
	BatchLoss float64 // mean loss of the mini-batch, if Trained > 0
	// EpochDone is set when this unit completed an epoch's evaluation.
	EpochDone *EpochMetrics
}

// Work does one bounded unit of training and returns what it did. It
// returns an error once training has diverged, and does nothing once the
// run is finished.
func (t *Trainer) Work() (Unit, error) {
	switch t.phase {
	case PhaseTraining:
		return t.trainChunk()
	case PhaseEvaluating:
		return t.evaluateChunk(), nil
	case PhaseFailed:
		return Unit{}, t.err
	}
	return Unit{}, nil
}

// trainChunk runs the next chunk of the current mini-batch forward and
// back, accumulating gradients; after the batch's last chunk it updates the
// weights. A large mini-batch thus takes several units, none longer than
// maxChunk images of work, and gives the same update as one pass would
// (up to the order of floating-point additions).
func (t *Trainer) trainChunk() (Unit, error) {
	if t.pos == 0 && t.inBatch == 0 {
		t.rng.Shuffle(len(t.order), func(i, j int) { t.order[i], t.order[j] = t.order[j], t.order[i] })
	}
	b := min(t.cfg.BatchSize, t.train.Len()-t.pos)
	if t.inBatch == 0 {
		t.net.ZeroGrad()
		t.batchLoss = 0
	}
	c := min(maxChunk, b-t.inBatch)
	start := t.pos + t.inBatch
	t.gatherBatch(t.order[start : start+c])
	t.batchLoss += t.accumulate(t.batchImages, t.batchLabels, b)
	t.inBatch += c
	if math.IsNaN(t.batchLoss) || math.IsInf(t.batchLoss, 0) {
		return Unit{}, t.fail("the loss")
	}
	if t.inBatch < b {
		return Unit{}, nil
	}
	t.opt.Step(t.net.Params())
	t.stats.observe() // the gradients as Step read them
	if name := firstNonFinite(t.net.Params()); name != "" {
		return Unit{}, t.fail("parameter " + name)
	}
	t.pos += b
	t.inBatch = 0
	if t.pos == t.train.Len() {
		t.phase = PhaseEvaluating
		t.evalTrain, t.evalTest = newEvaluator(t.train, t.trainEval), newEvaluator(t.test, nil)
	}
	return Unit{Trained: b, BatchLoss: t.batchLoss}, nil
}

// accumulate runs a chunk of a mini-batch of batchSize images forward and
// back, adding its share of the batch's mean-loss gradient to every
// parameter. It returns the chunk's share of the batch's mean loss
// (Σ loss / batchSize), or a non-finite value without propagating back.
func (t *Trainer) accumulate(images []float64, labels []int, batchSize int) float64 {
	c := len(labels)
	logits := t.net.Forward(images, c)
	t.stall.observe()
	t.gradLogits = grow(t.gradLogits, c*NumClasses)
	// CrossEntropy averages over the chunk; rescale loss and gradient to
	// the whole batch.
	share := float64(c) / float64(batchSize)
	loss := CrossEntropy(logits, labels, NumClasses, t.gradLogits) * share
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return loss
	}
	for i := range t.gradLogits {
		t.gradLogits[i] *= share
	}
	t.net.Backward(t.gradLogits)
	return loss
}

// gatherBatch converts the chunk's images to floats (Data.AppendImage)
// into a buffer reused from chunk to chunk: at most maxChunk images are
// ever held as floats.
func (t *Trainer) gatherBatch(indices []int) {
	t.batchImages = t.batchImages[:0]
	t.batchLabels = t.batchLabels[:0]
	for _, idx := range indices {
		t.batchImages = t.train.AppendImage(t.batchImages, idx)
		t.batchLabels = append(t.batchLabels, t.train.Labels[idx])
	}
}

func (t *Trainer) fail(what string) error {
	done, _ := t.BatchInEpoch()
	t.phase = PhaseFailed
	t.err = &DivergedError{Epoch: t.epoch + 1, Step: done + 1, What: what, LearningRate: t.cfg.Optimizer.LearningRate}
	return t.err
}

// evaluateChunk advances the end-of-epoch evaluation, training set first.
func (t *Trainer) evaluateChunk() Unit {
	if !t.evalTrain.done() {
		t.evalTrain.step(t.net, evalChunk)
		return Unit{}
	}
	t.evalTest.step(t.net, evalChunk)
	if !t.evalTest.done() {
		return Unit{}
	}
	t.epoch++
	m := EpochMetrics{Epoch: t.epoch, Train: t.evalTrain.finish(), Test: t.evalTest.finish(), Layers: t.stats.epochEnd()}
	t.history = append(t.history, m)
	t.stalled = t.stall.endEpoch(t.history, t.cfg.Optimizer.LearningRate)
	t.evalTrain, t.evalTest, t.pos = nil, nil, 0
	t.phase = PhaseTraining
	if t.epoch == t.cfg.Epochs {
		t.phase = PhaseFinished
	}
	return Unit{EpochDone: &t.history[len(t.history)-1]}
}

func firstNonFinite(params []*Param) string {
	for _, p := range params {
		for _, v := range p.Value {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return p.Name
			}
		}
	}
	return ""
}
