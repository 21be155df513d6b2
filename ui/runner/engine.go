package runner

import (
	"errors"
	"fmt"
	"time"

	"convlab/nn"
	"convlab/ui/settings"
)

// snapshotInterval spaces the weight snapshots sent while training: at
// most about three a second, besides those at epoch ends, after a step and
// on pause.
const snapshotInterval = time.Second / 3

// featureChunk is how many test images go through the network at once
// when the bottleneck features are taken.
const featureChunk = 25

// Engine owns one run's nn.Trainer. It takes commands, does bounded work
// when asked, and queues the events that tell what happened. It is not
// safe for concurrent use: one goroutine (a worker's, or the page's)
// drives it.
type Engine struct {
	lib *Library

	run        RunID
	config     settings.Settings
	trainer    *nn.Trainer // nil before the first Configure and after Cancel
	test       *nn.Data
	mapIndices []int     // test images whose features the t-SNE maps show
	life       Lifecycle // decides the run's state; see Lifecycle

	imagesTrained  int
	trainingTime   time.Duration
	batchTime      time.Duration // time of the current mini-batch's chunks so far
	rate           rate
	snapshotAt     time.Time // when the last weight snapshot was taken
	snapshotImages int       // images trained at the last snapshot
	// batchParams are the tensors of LastBatchParams, and lastBatch their
	// gradient as the last mini-batch left it, nil before the first.
	batchParams []*nn.Param
	lastBatch   [][]float64

	events []Event
}

// NewEngine returns an engine that takes its data from lib. It has no run
// until the first Configure.
func NewEngine(lib *Library) *Engine { return &Engine{lib: lib} }

// Handle applies a command at once. Commands that make no sense in the
// run's state (Start when finished, Step while running; see Lifecycle), or
// with no run set up, do nothing.
func (e *Engine) Handle(c Command) {
	switch c := c.(type) {
	case Configure:
		e.configure(c)
	case Restore:
		e.restore(c)
	case Start, Pause, Step:
		if e.trainer == nil || !e.life.Apply(c) {
			return
		}
		switch c.(type) {
		case Start:
			e.snapshotAt = time.Now()
		case Pause:
			e.snapshotIfChanged()
		}
		e.emitState()
	case Cancel:
		*e = Engine{lib: e.lib, run: e.run, events: e.events}
		e.emitState()
	}
}

// Run returns the number of the current (or last) run.
func (e *Engine) Run() RunID { return e.run }

// Busy reports whether the run has work to do: it is running, or a step
// is under way.
func (e *Engine) Busy() bool {
	return e.trainer != nil && e.life.Busy()
}

// Work trains for about budget while the run is busy: units of at most 10
// images of a mini-batch, or a chunk of an end-of-epoch evaluation, at
// least one. A step ends after its mini-batch. While running it sends a
// weight snapshot when the last is older than snapshotInterval.
func (e *Engine) Work(budget time.Duration) {
	start := time.Now()
	for e.Busy() {
		e.unit()
		if time.Since(start) >= budget {
			break
		}
	}
	if e.life.State() == Running && time.Since(e.snapshotAt) >= snapshotInterval {
		e.snapshotIfChanged()
	}
}

// TakeEvents returns the events queued since the last call, oldest first.
func (e *Engine) TakeEvents() []Event {
	ev := e.events
	e.events = nil
	return ev
}

// configure discards the run and sets up a new one, Idle.
func (e *Engine) configure(c Configure) {
	*e = Engine{lib: e.lib, run: c.Run, config: c.Settings, events: e.events}
	if err := e.setUp(); err != nil {
		e.life.Fail()
		e.emit(Failure{RunID: e.run, Kind: BadSettings, Message: err.Error()})
	}
	e.emitState()
}

// restore discards the run and sets up one from c's checkpoint (see
// Restore), Paused or Finished.
func (e *Engine) restore(c Restore) {
	*e = Engine{lib: e.lib, run: c.Run, config: c.Settings, events: e.events}
	cp := c.Checkpoint
	if err := e.setUpFrom(&cp); err != nil {
		e.life.Fail()
		e.emit(Failure{RunID: e.run, Kind: BadSettings, Message: err.Error()})
		e.emitState()
		return
	}
	e.imagesTrained = cp.Epoch * c.Settings.TrainSize()
	e.snapshotImages = e.imagesTrained // the page has these weights
	e.trainingTime = c.TrainingTime
	e.life.Restored(e.trainer.Phase() == nn.PhaseFinished)
	e.emitState() // no Progress: the page has the counters where it kept the run

}

// setUp makes the run's trainer. The settings' limits were checked where
// they came in (settings.Apply); nn.NewTrainer checks what training needs,
// and its error fails the run as BadSettings.
func (e *Engine) setUp() error { return e.setUpFrom(nil) }

// setUpFrom makes the run's trainer, fresh, or resumed from cp when it is
// not nil (nn.ResumeTrainer, whose error names what does not fit).
func (e *Engine) setUpFrom(cp *nn.Checkpoint) error {
	if e.lib == nil {
		return errors.New("no data library")
	}
	train, test, err := e.lib.Sets(e.config)
	if err != nil {
		return err
	}
	var trainer *nn.Trainer
	if cp == nil {
		trainer, err = nn.NewTrainer(nn.NewHomework(e.config.Seed), train, test, e.config.TrainerConfig())
	} else {
		trainer, err = nn.ResumeTrainer(nn.NewHomework(e.config.Seed), train, test, e.config.TrainerConfig(), cp)
	}
	if err != nil {
		return err
	}
	e.trainer, e.test = trainer, test
	e.batchParams = lastBatchParams(trainer.Network())
	e.mapIndices = MapSubset(test.Labels, MaxMapPoints)
	return nil
}

// unit does one unit of work and queues what it produced. A Step that
// starts a mini-batch trains the whole batch at once and explains it.
func (e *Engine) unit() {
	if e.life.Stepping() && e.trainer.AtBatchStart() {
		e.explainedStep()
		return
	}
	training := e.trainer.Phase() == nn.PhaseTraining
	start := time.Now()
	u, err := e.trainer.Work()
	took := time.Since(start)
	e.trainingTime += took
	if training {
		e.batchTime += took
	}
	if err != nil {
		e.fail(err)
		return
	}
	if u.Trained > 0 {
		e.imagesTrained += u.Trained
		e.rate.add(u.Trained, e.batchTime)
		e.batchTime = 0
		e.keepLastBatch()
		e.emitProgress(&Batch{Size: u.Trained, Loss: u.BatchLoss})
	}
	if u.EpochDone != nil {
		e.epochEnded(*u.EpochDone)
	}
	if u.Trained > 0 && e.life.StepDone() {
		e.snapshotIfChanged()
		e.emitState()
	}
}

// explainedStep trains a mini-batch with nn.Trainer.ExplainStep, which
// trains it as Work does, and queues its Progress, its StepExplained and,
// the step done, the weights and the state.
func (e *Engine) explainedStep() {
	start := time.Now()
	r, err := e.trainer.ExplainStep()
	took := time.Since(start)
	e.trainingTime += took
	if err != nil {
		e.fail(err)
		return
	}
	e.imagesTrained += r.Images
	e.rate.add(r.Images, took)
	e.batchTime = 0
	e.keepLastBatch()
	e.emitProgress(&Batch{Size: r.Images, Loss: r.LossBefore})
	e.emit(explained(e.run, r, e.trainer.Network().Params()))
	if e.life.StepDone() {
		e.snapshotIfChanged()
		e.emitState()
	}
}

// epochEnded queues an epoch's metrics with the trainer's state as the
// epoch left it (weights, optimizer state, shuffling position; the
// epoch's weight snapshot), then the bottleneck features after the first
// and the last epoch, taken with those weights.
func (e *Engine) epochEnded(m nn.EpochMetrics) {
	e.emitProgress(nil) // the counters moved to the next epoch
	cp, err := e.trainer.Checkpoint()
	if err != nil {
		e.fail(err)
		return
	}
	m.Train.Predicted = append([]int(nil), m.Train.Predicted...)
	m.Test.Predicted = append([]int(nil), m.Test.Predicted...)
	e.emit(EpochEnded{RunID: e.run, Metrics: m, Stall: copyStall(e.trainer.Stalled()),
		Weights:   cp.Weights, // the checkpoint's own copies
		Resume:    Resume{OptimizerState: cp.OptimizerState, Shuffle: cp.Shuffle, Order: cp.Order},
		LastBatch: e.lastBatchCopy()})
	e.snapshotAt, e.snapshotImages = time.Now(), e.imagesTrained
	if m.Epoch == 1 || m.Epoch == e.config.Epochs {
		if err := e.emitFeatures(m.Epoch); err != nil {
			e.fail(err)
			return
		}
	}
	if e.trainer.Phase() == nn.PhaseFinished {
		e.life.Finish()
		e.emitState()
	}
}

// copyStall returns a copy of w, so the event does not share the
// trainer's warning.
func copyStall(w *nn.StallWarning) *nn.StallWarning {
	if w == nil {
		return nil
	}
	c := *w
	return &c
}

func (e *Engine) emitFeatures(epoch int) error {
	images := make([]float64, 0, len(e.mapIndices)*nn.ImageSize)
	for _, i := range e.mapIndices {
		images = append(images, e.test.Image(i)...)
	}
	features, err := e.trainer.Network().Bottleneck(images, featureChunk)
	if err != nil {
		return fmt.Errorf("taking the bottleneck features after epoch %d: %w", epoch, err)
	}
	e.emit(Features{RunID: e.run, Epoch: epoch, Indices: append([]int(nil), e.mapIndices...), Values: features})
	return nil
}

// fail stops the run for good with err.
func (e *Engine) fail(err error) {
	e.life.Fail()
	f := Failure{RunID: e.run, Kind: Crashed, Message: err.Error()}
	var d *nn.DivergedError
	if errors.As(err, &d) {
		f.Kind, f.Divergence = Diverged, *d
	}
	e.emit(f)
	e.emitState()
}

// snapshotIfChanged queues a copy of the weights unless the last snapshot
// already shows them.
func (e *Engine) snapshotIfChanged() {
	if e.trainer == nil || e.imagesTrained == e.snapshotImages {
		return
	}
	params := e.trainer.Network().Params()
	values := make([][]float64, len(params))
	for i, p := range params {
		values[i] = append([]float64(nil), p.Value...)
	}
	e.emit(Weights{RunID: e.run, ImagesTrained: e.imagesTrained, Values: values, LastBatch: e.lastBatchCopy()})
	e.snapshotAt, e.snapshotImages = time.Now(), e.imagesTrained
}

// keepLastBatch copies the conv layers' gradients (LastBatchParams) just
// after a mini-batch's update, while they are the batch's mean-loss
// gradient that the optimizer was given: the next batch's first chunk
// zeroes them, and a snapshot may fall inside a batch. The 508 values
// cost far less than the update, which reads all 10,661 gradients.
func (e *Engine) keepLastBatch() {
	if e.lastBatch == nil {
		e.lastBatch = make([][]float64, len(e.batchParams))
	}
	for i, p := range e.batchParams {
		e.lastBatch[i] = append(e.lastBatch[i][:0], p.Grad...)
	}
}

// lastBatchCopy returns a copy of the last mini-batch's gradient for an
// event, or nil before the first mini-batch.
func (e *Engine) lastBatchCopy() [][]float64 {
	if e.lastBatch == nil {
		return nil
	}
	out := make([][]float64, len(e.lastBatch))
	for i, g := range e.lastBatch {
		out[i] = append([]float64(nil), g...)
	}
	return out
}

// lastBatchParams returns net's tensors that LastBatchParams names, in
// that order.
func lastBatchParams(net *nn.Network) []*nn.Param {
	byName := map[string]*nn.Param{}
	for _, p := range net.Params() {
		byName[p.Name] = p
	}
	out := make([]*nn.Param, len(LastBatchParams))
	for i, name := range LastBatchParams {
		out[i] = byName[name]
	}
	return out
}

// emitProgress queues the counters and batch, if any, merging them into
// the newest queued event when that is a Progress, so a batch of events
// holds one Progress per stretch of training.
func (e *Engine) emitProgress(batch *Batch) {
	p := Progress{RunID: e.run}
	if n := len(e.events); n > 0 {
		if last, ok := e.events[n-1].(Progress); ok && last.RunID == e.run {
			p = last
			e.events = e.events[:n-1]
		}
	}
	if batch != nil {
		p.Batches = append(p.Batches, *batch)
	}
	p.ImagesTrained, p.Epoch = e.imagesTrained, e.trainer.Epoch()
	p.Batch, p.BatchesPerEpoch = e.trainer.BatchInEpoch()
	p.TrainingTime, p.ComputeRate = e.trainingTime, e.rate.perSecond()
	e.emit(p)
}

func (e *Engine) emitState() {
	e.emit(StateChanged{RunID: e.run, State: e.life.State(), Stepping: e.life.Stepping()})
}

func (e *Engine) emit(ev Event) { e.events = append(e.events, ev) }
