package runner

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"convlab/nn"
)

// Wire format. A command is one message; the events a worker has ready are
// batched into one message. Numbers are little-endian: integers as uint8,
// uint32 or uint64, every float64 as its 8 IEEE-754 bytes, so values
// arrive bit for bit. A slice is its length (uint32) followed by its
// elements; a string is its length and its UTF-8 bytes. Each command or
// event starts with a tag byte naming its type. Settings travel as JSON,
// whose shortest round-trip number formatting is exact for float64 and
// which picks up new settings without a change here.
//
// A weight snapshot of the homework network is 10,661 float64 values:
// 85,341 bytes with its framing (TestWeightSnapshotSize); as JSON the
// values alone take 217,608 bytes, 2.5 times as many, and must be parsed.

const (
	tagConfigure = 1 + iota
	tagStart
	tagPause
	tagStep
	tagCancel
)

const (
	tagStateChanged = 1 + iota
	tagProgress
	tagEpochEnded
	tagWeights
	tagFeatures
	tagFailure
)

// EncodeCommand returns c's wire form.
func EncodeCommand(c Command) ([]byte, error) {
	var e encoder
	switch c := c.(type) {
	case Configure:
		js, err := json.Marshal(c.Settings)
		if err != nil {
			return nil, fmt.Errorf("encoding the settings: %w", err)
		}
		e.u8(tagConfigure)
		e.u32(uint32(c.Run))
		e.bytes(js)
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
	var c Command
	switch tag := d.u8(); tag {
	case tagConfigure:
		cfg := Configure{Run: RunID(d.u32())}
		js := d.bytes()
		if d.err == nil {
			if err := json.Unmarshal(js, &cfg.Settings); err != nil {
				return nil, fmt.Errorf("runner: decoding the settings of a command: %w", err)
			}
		}
		c = cfg
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
	var e encoder
	e.u32(uint32(len(events)))
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
	n := d.count(1)
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
		e.u32(uint32(len(ev.Batches)))
		for _, b := range ev.Batches {
			e.u32(uint32(b.Size))
			e.f64(b.Loss)
		}
		e.u64(uint64(ev.ImagesTrained))
		e.u32(uint32(ev.Epoch))
		e.u32(uint32(ev.Batch))
		e.u32(uint32(ev.BatchesPerEpoch))
		e.u64(uint64(ev.TrainingTime))
		e.f64(ev.ComputeRate)
	case EpochEnded:
		e.header(tagEpochEnded, ev.RunID)
		e.u32(uint32(ev.Metrics.Epoch))
		e.evaluation(ev.Metrics.Train)
		e.evaluation(ev.Metrics.Test)
		e.stall(ev.Stall)
	case Weights:
		e.header(tagWeights, ev.RunID)
		e.u64(uint64(ev.ImagesTrained))
		e.u32(uint32(len(ev.Values)))
		for _, v := range ev.Values {
			e.f64s(v)
		}
	case Features:
		e.header(tagFeatures, ev.RunID)
		e.u32(uint32(ev.Epoch))
		e.u32(uint32(len(ev.Indices)))
		for _, i := range ev.Indices {
			e.u32(uint32(i))
		}
		e.u32(uint32(len(ev.Values)))
		for _, v := range ev.Values {
			e.f64s(v)
		}
	case Failure:
		e.header(tagFailure, ev.RunID)
		e.u8(uint8(ev.Kind))
		e.bytes([]byte(ev.Message))
		e.u32(uint32(ev.Divergence.Epoch))
		e.u32(uint32(ev.Divergence.Step))
		e.bytes([]byte(ev.Divergence.What))
		e.f64(ev.Divergence.LearningRate)
	default:
		return fmt.Errorf("runner: cannot encode event %T", ev)
	}
	return nil
}

func (d *decoder) event() Event {
	tag, run := d.u8(), RunID(d.u32())
	switch tag {
	case tagStateChanged:
		return StateChanged{RunID: run, State: State(d.u8()), Stepping: d.boolean()}
	case tagProgress:
		p := Progress{RunID: run}
		n := d.count(12)
		for i := 0; i < n; i++ {
			p.Batches = append(p.Batches, Batch{Size: int(d.u32()), Loss: d.f64()})
		}
		p.ImagesTrained = int(d.u64())
		p.Epoch, p.Batch, p.BatchesPerEpoch = int(d.u32()), int(d.u32()), int(d.u32())
		p.TrainingTime = time.Duration(d.u64())
		p.ComputeRate = d.f64()
		return p
	case tagEpochEnded:
		m := nn.EpochMetrics{Epoch: int(d.u32())}
		m.Train = d.evaluation()
		m.Test = d.evaluation()
		return EpochEnded{RunID: run, Metrics: m, Stall: d.stall()}
	case tagWeights:
		w := Weights{RunID: run, ImagesTrained: int(d.u64())}
		n := d.count(4)
		for i := 0; i < n; i++ {
			w.Values = append(w.Values, d.f64s())
		}
		return w
	case tagFeatures:
		f := Features{RunID: run, Epoch: int(d.u32())}
		n := d.count(4)
		for i := 0; i < n; i++ {
			f.Indices = append(f.Indices, int(d.u32()))
		}
		n = d.count(4)
		for i := 0; i < n; i++ {
			f.Values = append(f.Values, d.f64s())
		}
		return f
	case tagFailure:
		f := Failure{RunID: run, Kind: FailureKind(d.u8()), Message: string(d.bytes())}
		f.Divergence.Epoch, f.Divergence.Step = int(d.u32()), int(d.u32())
		f.Divergence.What = string(d.bytes())
		f.Divergence.LearningRate = d.f64()
		return f
	}
	d.fail(fmt.Errorf("unknown event tag %d", tag))
	return nil
}

// evaluation encodes the figures, the 10×10 confusion counts, the
// per-class accuracies and one byte per predicted class.
func (e *encoder) evaluation(v nn.Evaluation) {
	e.f64(v.Loss)
	e.f64(v.Error)
	e.f64(v.Accuracy)
	for _, row := range v.Confusion {
		for _, n := range row {
			e.u32(uint32(n))
		}
	}
	for _, a := range v.ClassAccuracy {
		e.f64(a)
	}
	e.u32(uint32(len(v.Predicted)))
	for _, p := range v.Predicted {
		e.u8(uint8(p))
	}
}

func (d *decoder) evaluation() nn.Evaluation {
	v := nn.Evaluation{Loss: d.f64(), Error: d.f64(), Accuracy: d.f64()}
	for i := range v.Confusion {
		for j := range v.Confusion[i] {
			v.Confusion[i][j] = int(d.u32())
		}
	}
	for i := range v.ClassAccuracy {
		v.ClassAccuracy[i] = d.f64()
	}
	n := d.count(1)
	v.Predicted = make([]int, 0, n)
	for i := 0; i < n; i++ {
		v.Predicted = append(v.Predicted, int(d.u8()))
	}
	return v
}

// stall encodes a stall warning as a presence byte, then, if present, its
// epoch, dead layer, flat epochs, losses and learning rate.
func (e *encoder) stall(w *nn.StallWarning) {
	e.boolean(w != nil)
	if w == nil {
		return
	}
	e.u32(uint32(w.Epoch))
	e.bytes([]byte(w.DeadLayer))
	e.u32(uint32(w.FlatEpochs))
	e.f64(w.FirstLoss)
	e.f64(w.Loss)
	e.f64(w.LearningRate)
}

func (d *decoder) stall() *nn.StallWarning {
	if !d.boolean() {
		return nil
	}
	w := &nn.StallWarning{Epoch: int(d.u32()), DeadLayer: string(d.bytes()), FlatEpochs: int(d.u32())}
	w.FirstLoss, w.Loss, w.LearningRate = d.f64(), d.f64(), d.f64()
	return w
}

// encoder appends values in the wire format.
type encoder struct{ b []byte }

func (e *encoder) u8(v uint8)   { e.b = append(e.b, v) }
func (e *encoder) u32(v uint32) { e.b = binary.LittleEndian.AppendUint32(e.b, v) }
func (e *encoder) u64(v uint64) { e.b = binary.LittleEndian.AppendUint64(e.b, v) }
func (e *encoder) f64(v float64) {
	e.u64(math.Float64bits(v))
}

func (e *encoder) boolean(v bool) {
	if v {
		e.u8(1)
	} else {
		e.u8(0)
	}
}

func (e *encoder) bytes(v []byte) {
	e.u32(uint32(len(v)))
	e.b = append(e.b, v...)
}

func (e *encoder) f64s(v []float64) {
	e.u32(uint32(len(v)))
	for _, x := range v {
		e.f64(x)
	}
}

func (e *encoder) header(tag uint8, run RunID) {
	e.u8(tag)
	e.u32(uint32(run))
}

// decoder reads values in the wire format. After the first error every
// read returns zero, and finish reports the error.
type decoder struct {
	b   []byte
	err error
}

var errTruncated = errors.New("message ends early")

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

func (d *decoder) u32() uint32 {
	if v := d.take(4); v != nil {
		return binary.LittleEndian.Uint32(v)
	}
	return 0
}

func (d *decoder) u64() uint64 {
	if v := d.take(8); v != nil {
		return binary.LittleEndian.Uint64(v)
	}
	return 0
}

func (d *decoder) f64() float64 { return math.Float64frombits(d.u64()) }

func (d *decoder) boolean() bool { return d.u8() != 0 }

// count reads a length whose elements take at least size bytes each, and
// fails rather than trust a length longer than what is left.
func (d *decoder) count(size int) int {
	n := int(d.u32())
	if d.err == nil && n*size > len(d.b) {
		d.err = errTruncated
		return 0
	}
	return n
}

func (d *decoder) bytes() []byte {
	v := d.take(d.count(1))
	return append([]byte(nil), v...)
}

func (d *decoder) f64s() []float64 {
	n := d.count(8)
	v := make([]float64, n)
	for i := range v {
		v[i] = d.f64()
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
