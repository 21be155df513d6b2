package runner

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	"convlab/nn"
	"convlab/ui/settings"
)

// Wire format. A command is one message; the events a worker has ready are
// batched into one message. Every message starts with WireVersion, one
// byte, so a page and a worker from different builds (a cached worker
// script, say) refuse each other's messages with a VersionError instead of
// misreading them. Then:
//
//   - a command: a tag byte naming its type, then its fields;
//   - a batch of events: their count, then each event as a tag byte, its
//     run, and its fields.
//
// Fields are written in their declaration order: every float64 as its 8
// IEEE-754 bytes, little-endian, so values arrive bit for bit (NaN
// payloads and −0 included); an int or a time.Duration as a zigzag
// varint and an unsigned count, RunID or seed as a uvarint, exact for
// every value and one byte for small ones (a predicted class, a length
// under 128); a uint8 type (State, FailureKind, nn.OptimizerKind) and a
// bool as one byte; a slice or a string as its length then its elements
// or UTF-8 bytes; an array as its elements; a pointer as a presence byte
// then, if present, what it points to. Settings are written field by
// field like the rest (settings.Settings), so there is one format, not
// JSON inside a binary frame. TestEveryFieldRoundTrips fills every field
// of every command and event, so a field added later and left out here
// fails it.
//
// A weight snapshot of the homework network is 10,661 float64 values:
// 85,308 bytes, 20 of them framing (TestWeightSnapshotSize), and 4,069
// more for the last mini-batch's gradient of the conv layers
// (LastBatchParams, 508 values) once the run has trained one; as JSON the
// values alone take 217,608 bytes, 2.5 times as many, and must be parsed.
// The default run's Configure takes 34 bytes (153 when its settings were
// JSON), an epoch's metrics 1,612 (2,221 with fixed-width integers), 91
// of them the per-layer gradient and update figures (nn.LayerStats). An
// EpochEnded carries besides its metrics the epoch's weights (a snapshot's
// size), the optimizer's state (as much again for Momentum and RMSProp,
// nothing for SGD) and the training order (a varint per training image).
//
// Version 3 added the per-layer figures, the weights, the resume state
// and the last mini-batch's gradient to EpochEnded, that gradient to
// Weights, StepExplained, and the Restore command, which carries an
// nn.Checkpoint (its weights, optimizer state, shuffling state, order and
// the metrics of every epoch so far) in the order of its fields.
const WireVersion = 3

// VersionError is the error of a message written in another version of
// the wire format than this program reads.
type VersionError struct{ Got, Want byte }

// Error says which versions met and what to do.
func (e *VersionError) Error() string {
	return fmt.Sprintf("a message in wire format version %d, but this program reads version %d: "+
		"the page and its training worker come from different builds; reload the page", e.Got, e.Want)
}

const (
	tagConfigure = 1 + iota
	tagStart
	tagPause
	tagStep
	tagCancel
	tagRestore
)

const (
	tagStateChanged = 1 + iota
	tagProgress
	tagEpochEnded
	tagWeights
	tagFeatures
	tagFailure
	tagStepExplained
)

// EncodeCommand returns c's wire form.
func EncodeCommand(c Command) ([]byte, error) {
	e := encoder{b: []byte{WireVersion}}
	switch c := c.(type) {
	case Configure:
		e.u8(tagConfigure)
		e.uint(uint64(c.Run))
		e.settings(c.Settings)
	case Restore:
		e.u8(tagRestore)
		e.uint(uint64(c.Run))
		e.settings(c.Settings)
		e.int64(int64(c.TrainingTime))
		e.checkpoint(c.Checkpoint)
	case Start:
		e.u8(tagStart)
	case Pause:
		e.u8(tagPause)
	case Step:
		e.u8(tagStep)
	case Cancel:
		e.u8(tagCancel)
	default:
		return nil, fmt.Errorf("runner: cannot encode command %T", c)
	}
	return e.b, nil
}

// DecodeCommand reads a command from its wire form.
func DecodeCommand(b []byte) (Command, error) {
	d := decoder{b: b}
	d.version()
	var c Command
	switch tag := d.u8(); tag {
	case tagConfigure:
		c = Configure{Run: d.runID(), Settings: d.settings()}
	case tagRestore:
		c = Restore{Run: d.runID(), Settings: d.settings(), TrainingTime: time.Duration(d.int64()), Checkpoint: d.checkpoint()}
	case tagStart:
		c = Start{}
	case tagPause:
		c = Pause{}
	case tagStep:
		c = Step{}
	case tagCancel:
		c = Cancel{}
	default:
		d.fail(fmt.Errorf("unknown command tag %d", tag))
	}
	if err := d.finish(); err != nil {
		return nil, fmt.Errorf("runner: decoding a command: %w", err)
	}
	return c, nil
}

// EncodeEvents returns the wire form of a batch of events.
func EncodeEvents(events []Event) ([]byte, error) {
	e := encoder{b: []byte{WireVersion}}
	e.uint(uint64(len(events)))
	for _, ev := range events {
		if err := e.event(ev); err != nil {
			return nil, err
		}
	}
	return e.b, nil
}

// DecodeEvents reads a batch of events from its wire form.
func DecodeEvents(b []byte) ([]Event, error) {
	d := decoder{b: b}
	d.version()
	n := d.count(2) // a tag and a run at least
	events := make([]Event, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		events = append(events, d.event())
	}
	if err := d.finish(); err != nil {
		return nil, fmt.Errorf("runner: decoding events: %w", err)
	}
	return events, nil
}

func (e *encoder) event(ev Event) error {
	switch ev := ev.(type) {
	case StateChanged:
		e.header(tagStateChanged, ev.RunID)
		e.u8(uint8(ev.State))
		e.boolean(ev.Stepping)
	case Progress:
		e.header(tagProgress, ev.RunID)
		e.uint(uint64(len(ev.Batches)))
		for _, b := range ev.Batches {
			e.int(b.Size)
			e.f64(b.Loss)
		}
		e.int(ev.ImagesTrained)
		e.int(ev.Epoch)
		e.int(ev.Batch)
		e.int(ev.BatchesPerEpoch)
		e.int64(int64(ev.TrainingTime))
		e.f64(ev.ComputeRate)
	case EpochEnded:
		e.header(tagEpochEnded, ev.RunID)
		e.metrics(ev.Metrics)
		e.stall(ev.Stall)
		e.f64Slices(ev.Weights)
		e.f64Slices(ev.Resume.OptimizerState)
		e.bytes(ev.Resume.Shuffle)
		e.ints(ev.Resume.Order)
		e.f64Slices(ev.LastBatch)
	case Weights:
		e.header(tagWeights, ev.RunID)
		e.int(ev.ImagesTrained)
		e.f64Slices(ev.Values)
		e.f64Slices(ev.LastBatch)
	case Features:
		e.header(tagFeatures, ev.RunID)
		e.int(ev.Epoch)
		e.ints(ev.Indices)
		e.f64Slices(ev.Values)
	case Failure:
		e.header(tagFailure, ev.RunID)
		e.u8(uint8(ev.Kind))
		e.string(ev.Message)
		e.int(ev.Divergence.Epoch)
		e.int(ev.Divergence.Step)
		e.string(ev.Divergence.What)
		e.f64(ev.Divergence.LearningRate)
	case StepExplained:
		e.header(tagStepExplained, ev.RunID)
		e.stepExplained(ev)
	default:
		return fmt.Errorf("runner: cannot encode event %T", ev)
	}
	return nil
}

func (d *decoder) event() Event {
	tag, run := d.u8(), d.runID()
	switch tag {
	case tagStateChanged:
		return StateChanged{RunID: run, State: State(d.u8()), Stepping: d.boolean()}
	case tagProgress:
		p := Progress{RunID: run}
		n := d.count(9) // a size and a loss
		for i := 0; i < n; i++ {
			p.Batches = append(p.Batches, Batch{Size: d.int(), Loss: d.f64()})
		}
		p.ImagesTrained = d.int()
		p.Epoch, p.Batch, p.BatchesPerEpoch = d.int(), d.int(), d.int()
		p.TrainingTime = time.Duration(d.int64())
		p.ComputeRate = d.f64()
		return p
	case tagEpochEnded:
		ev := EpochEnded{RunID: run, Metrics: d.metrics(), Stall: d.stall(), Weights: d.f64Slices()}
		ev.Resume.OptimizerState = d.f64Slices()
		ev.Resume.Shuffle = d.bytes()
		ev.Resume.Order = d.ints()
		ev.LastBatch = d.f64Slices()
		return ev
	case tagWeights:
		return Weights{RunID: run, ImagesTrained: d.int(), Values: d.f64Slices(), LastBatch: d.f64Slices()}
	case tagFeatures:
		return Features{RunID: run, Epoch: d.int(), Indices: d.ints(), Values: d.f64Slices()}
	case tagFailure:
		f := Failure{RunID: run, Kind: FailureKind(d.u8()), Message: d.string()}
		f.Divergence.Epoch, f.Divergence.Step = d.int(), d.int()
		f.Divergence.What = d.string()
		f.Divergence.LearningRate = d.f64()
		return f
	case tagStepExplained:
		return d.stepExplained(run)
	}
	d.fail(fmt.Errorf("unknown event tag %d", tag))
	return nil
}

func (e *encoder) stepExplained(ev StepExplained) {
	e.int(ev.Epoch)
	e.int(ev.Batch)
	e.int(ev.Images)
	e.f64(ev.LossBefore)
	e.f64(ev.LossAfter)
	e.string(ev.StateName)
	e.uint(uint64(len(ev.Tensors)))
	for _, t := range ev.Tensors {
		e.string(t.Name)
		for _, v := range []float64{t.Weight, t.Gradient, t.Update, t.State} {
			e.f64(v)
		}
	}
	e.int(ev.FirstIndex)
	e.int(ev.FirstLabel)
	e.uint(uint64(len(ev.FirstGradient)))
	for _, s := range ev.FirstGradient {
		e.string(s.Stage)
		e.f64(s.RMS)
	}
}

func (d *decoder) stepExplained(run RunID) StepExplained {
	ev := StepExplained{RunID: run, Epoch: d.int(), Batch: d.int(), Images: d.int()}
	ev.LossBefore, ev.LossAfter = d.f64(), d.f64()
	ev.StateName = d.string()
	ev.Tensors = readSlice(d, 33, func() TensorStep { // a name's length and four values
		return TensorStep{Name: d.string(), Weight: d.f64(), Gradient: d.f64(), Update: d.f64(), State: d.f64()}
	})
	ev.FirstIndex, ev.FirstLabel = d.int(), d.int()
	ev.FirstGradient = readSlice(d, 9, func() StageRMS { return StageRMS{Stage: d.string(), RMS: d.f64()} })
	return ev
}

// settings writes a run's settings in the order of settings.Settings'
// fields.
func (e *encoder) settings(s settings.Settings) {
	e.u8(uint8(s.Optimizer))
	e.f64(s.LearningRate)
	e.f64(s.Momentum)
	e.f64(s.Rho)
	e.int(s.BatchSize)
	e.int(s.Epochs)
	e.int(s.TrainPerClass)
	e.int(s.TestPerClass)
	e.uint(s.Seed)
}

func (d *decoder) settings() settings.Settings {
	s := settings.Settings{Optimizer: nn.OptimizerKind(d.u8())}
	s.LearningRate, s.Momentum, s.Rho = d.f64(), d.f64(), d.f64()
	s.BatchSize, s.Epochs = d.int(), d.int()
	s.TrainPerClass, s.TestPerClass = d.int(), d.int()
	s.Seed = d.uint()
	return s
}

// metrics encodes an epoch's metrics.
func (e *encoder) metrics(m nn.EpochMetrics) {
	e.int(m.Epoch)
	e.evaluation(m.Train)
	e.evaluation(m.Test)
	e.layerStats(m.Layers)
}

func (d *decoder) metrics() nn.EpochMetrics {
	m := nn.EpochMetrics{Epoch: d.int()}
	m.Train = d.evaluation()
	m.Test = d.evaluation()
	m.Layers = d.layerStats()
	return m
}

// checkpoint encodes a trainer's state at an epoch's end in the order of
// nn.Checkpoint's fields.
func (e *encoder) checkpoint(cp nn.Checkpoint) {
	e.int(cp.Epoch)
	e.f64Slices(cp.Weights)
	e.f64Slices(cp.OptimizerState)
	e.bytes(cp.Shuffle)
	e.ints(cp.Order)
	e.uint(uint64(len(cp.History)))
	for _, m := range cp.History {
		e.metrics(m)
	}
	e.stall(cp.Stalled)
}

func (d *decoder) checkpoint() nn.Checkpoint {
	cp := nn.Checkpoint{Epoch: d.int(), Weights: d.f64Slices(), OptimizerState: d.f64Slices(), Shuffle: d.bytes(), Order: d.ints()}
	cp.History = readSlice(d, 8, d.metrics) // an epoch and six figures at least
	cp.Stalled = d.stall()
	return cp
}

// evaluation encodes the figures, the 10×10 confusion counts, the
// per-class accuracies and the predicted classes.
func (e *encoder) evaluation(v nn.Evaluation) {
	e.f64(v.Loss)
	e.f64(v.Error)
	e.f64(v.Accuracy)
	for _, row := range v.Confusion {
		for _, n := range row {
			e.int(n)
		}
	}
	for _, a := range v.ClassAccuracy {
		e.f64(a)
	}
	e.ints(v.Predicted)
}

func (d *decoder) evaluation() nn.Evaluation {
	v := nn.Evaluation{Loss: d.f64(), Error: d.f64(), Accuracy: d.f64()}
	for i := range v.Confusion {
		for j := range v.Confusion[i] {
			v.Confusion[i][j] = d.int()
		}
	}
	for i := range v.ClassAccuracy {
		v.ClassAccuracy[i] = d.f64()
	}
	v.Predicted = d.ints()
	return v
}

// layerStats encodes each layer's figures: its name, gradient RMS and
// update ratio.
func (e *encoder) layerStats(v []nn.LayerStats) {
	e.uint(uint64(len(v)))
	for _, s := range v {
		e.string(s.Layer)
		e.f64(s.GradRMS)
		e.f64(s.UpdateRatio)
	}
}

func (d *decoder) layerStats() []nn.LayerStats {
	return readSlice(d, 17, func() nn.LayerStats { // a name's length and two float64s
		return nn.LayerStats{Layer: d.string(), GradRMS: d.f64(), UpdateRatio: d.f64()}
	})
}

// stall encodes a stall warning as a presence byte, then, if present, its
// fields.
func (e *encoder) stall(w *nn.StallWarning) {
	e.boolean(w != nil)
	if w == nil {
		return
	}
	e.int(w.Epoch)
	e.string(w.DeadLayer)
	e.int(w.FlatEpochs)
	e.f64(w.FirstLoss)
	e.f64(w.Loss)
	e.f64(w.LearningRate)
}

func (d *decoder) stall() *nn.StallWarning {
	if !d.boolean() {
		return nil
	}
	w := &nn.StallWarning{Epoch: d.int(), DeadLayer: d.string(), FlatEpochs: d.int()}
	w.FirstLoss, w.Loss, w.LearningRate = d.f64(), d.f64(), d.f64()
	return w
}

// encoder appends values in the wire format.
type encoder struct{ b []byte }

func (e *encoder) u8(v uint8)      { e.b = append(e.b, v) }
func (e *encoder) uint(v uint64)   { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int64(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) int(v int)       { e.int64(int64(v)) }
func (e *encoder) f64(v float64)   { e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(v)) }
func (e *encoder) string(v string) { e.uint(uint64(len(v))); e.b = append(e.b, v...) }

func (e *encoder) boolean(v bool) {
	if v {
		e.u8(1)
	} else {
		e.u8(0)
	}
}

func (e *encoder) ints(v []int) {
	e.uint(uint64(len(v)))
	for _, x := range v {
		e.int(x)
	}
}

func (e *encoder) f64s(v []float64) {
	e.uint(uint64(len(v)))
	for _, x := range v {
		e.f64(x)
	}
}

// f64Slices writes a slice of float64 slices: its length, then each.
func (e *encoder) f64Slices(v [][]float64) {
	e.uint(uint64(len(v)))
	for _, x := range v {
		e.f64s(x)
	}
}

// bytes writes a byte slice as its length then its bytes.
func (e *encoder) bytes(v []byte) { e.uint(uint64(len(v))); e.b = append(e.b, v...) }

func (e *encoder) header(tag uint8, run RunID) {
	e.u8(tag)
	e.uint(uint64(run))
}

// decoder reads values in the wire format. After the first error every
// read returns zero, and finish reports the error.
type decoder struct {
	b   []byte
	err error
}

var (
	errTruncated = errors.New("message ends early")
	errVarint    = errors.New("a number does not fit its type")
)

// version reads the version byte and fails unless it is WireVersion.
func (d *decoder) version() {
	if v := d.u8(); d.err == nil && v != WireVersion {
		d.err = &VersionError{Got: v, Want: WireVersion}
	}
}

// take returns the next n bytes, or nil after an error.
func (d *decoder) take(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n > len(d.b) {
		d.err = errTruncated
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) u8() uint8 {
	if v := d.take(1); v != nil {
		return v[0]
	}
	return 0
}

func (d *decoder) uint() uint64 { return varint(d, binary.Uvarint) }

func (d *decoder) int64() int64 { return varint(d, binary.Varint) }

// varint reads one varint with read (binary.Uvarint or binary.Varint),
// recording a truncated or overlong one as d's error.
func varint[T uint64 | int64](d *decoder, read func([]byte) (T, int)) T {
	if d.err != nil {
		return 0
	}
	v, n := read(d.b)
	switch {
	case n == 0:
		d.err = errTruncated
		return 0
	case n < 0:
		d.err = errVarint
		return 0
	}
	d.b = d.b[n:]
	return v
}

// int reads an int, failing for a value outside int's range (on a 32-bit
// platform).
func (d *decoder) int() int {
	v := d.int64()
	if int64(int(v)) != v {
		d.fail(errVarint)
		return 0
	}
	return int(v)
}

func (d *decoder) runID() RunID {
	v := d.uint()
	if v > math.MaxUint32 {
		d.fail(errVarint)
		return 0
	}
	return RunID(v)
}

func (d *decoder) f64() float64 {
	if v := d.take(8); v != nil {
		return math.Float64frombits(binary.LittleEndian.Uint64(v))
	}
	return 0
}

func (d *decoder) boolean() bool { return d.u8() != 0 }

// count reads a length whose elements take at least size bytes each, and
// fails rather than trust a length longer than what is left.
func (d *decoder) count(size int) int {
	n := d.uint()
	if d.err == nil && n > uint64(len(d.b)/size) {
		d.err = errTruncated
		return 0
	}
	return int(n)
}

func (d *decoder) string() string { return string(d.take(d.count(1))) }

// ints reads a slice of ints; an empty one is nil.
func (d *decoder) ints() []int { return readSlice(d, 1, d.int) }

// f64s reads a slice of float64s; an empty one is nil.
func (d *decoder) f64s() []float64 { return readSlice(d, 8, d.f64) }

// f64Slices reads a slice of float64 slices; an empty one is nil.
func (d *decoder) f64Slices() [][]float64 { return readSlice(d, 1, d.f64s) }

// bytes reads a byte slice; an empty one is nil.
func (d *decoder) bytes() []byte {
	if n := d.count(1); n > 0 {
		return append([]byte(nil), d.take(n)...)
	}
	return nil
}

// readSlice reads a count, then that many values with read; each takes at
// least size bytes, which bounds the count by what is left. An empty
// slice is nil.
func readSlice[T any](d *decoder, size int, read func() T) []T {
	n := d.count(size)
	if n == 0 {
		return nil
	}
	v := make([]T, n)
	for i := range v {
		v[i] = read()
	}
	return v
}

func (d *decoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

// finish reports the first error, or bytes left over.
func (d *decoder) finish() error {
	if d.err == nil && len(d.b) > 0 {
		d.err = fmt.Errorf("%d unexpected bytes at the end", len(d.b))
	}
	return d.err
}
