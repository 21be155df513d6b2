package runner

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"convlab/nn"
	"convlab/ui/settings"
)

// oddFloats are values a float64 encoding could get wrong.
var oddFloats = []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1),
	math.SmallestNonzeroFloat64, math.MaxFloat64, 0.1, 1.0 / 3, -2.5e-300}

func sampleEvaluation(seed uint64) nn.Evaluation {
	rng := rand.New(rand.NewPCG(seed, 1))
	v := nn.Evaluation{Loss: rng.Float64(), Error: 0.25, Accuracy: 0.75}
	for i := range v.Confusion {
		for j := range v.Confusion[i] {
			v.Confusion[i][j] = rng.IntN(1000)
		}
		v.ClassAccuracy[i] = rng.Float64()
	}
	v.ClassAccuracy[3] = math.NaN() // a class without images
	for range 37 {
		v.Predicted = append(v.Predicted, rng.IntN(nn.NumClasses))
	}
	return v
}

// sampleEvents holds one event of every type, with awkward values.
func sampleEvents() []Event {
	return []Event{
		StateChanged{RunID: 1, State: Paused, Stepping: true},
		Progress{RunID: 2, Batches: []Batch{{Size: 10, Loss: 2.302585092994046}, {Size: 3, Loss: math.NaN()}},
			ImagesTrained: 13, Epoch: 4, Batch: 2, BatchesPerEpoch: 100, TrainingTime: 1234567891 * time.Nanosecond, ComputeRate: 2048.5},
		Progress{RunID: 2}, // no batches: counters only
		EpochEnded{RunID: 3, Metrics: nn.EpochMetrics{Epoch: 15, Train: sampleEvaluation(1), Test: sampleEvaluation(2)}},
		EpochEnded{RunID: 3, Metrics: nn.EpochMetrics{Epoch: 16, Train: sampleEvaluation(3), Test: sampleEvaluation(4)},
			Stall: &nn.StallWarning{Epoch: 16, DeadLayer: "hidden", FlatEpochs: 14, FirstLoss: 2.302585092994046, Loss: math.NaN(), LearningRate: 1}},
		Weights{RunID: 4, ImagesTrained: 1 << 40, Values: [][]float64{oddFloats, {}, {1, 2, 3}}},
		Features{RunID: 5, Epoch: 1, Indices: []int{0, 7, 99}, Values: [][]float64{oddFloats[:3], oddFloats[3:6], oddFloats[6:9]}},
		Failure{RunID: 6, Kind: Diverged, Message: "training diverged…",
			Divergence: nn.DivergedError{Epoch: 2, Step: 31, What: "parameter hidden.weight", LearningRate: 0.5}},
		Failure{RunID: 7, Kind: BadSettings, Message: "batch size 0 is not accepted"},
	}
}

func sampleCommands() []Command {
	s := settings.Defaults()
	s.LearningRate, s.Seed = 0.1+0.2, math.MaxUint64 // a float that prints long, the largest seed
	return []Command{Configure{Run: 42, Settings: s}, Start{}, Pause{}, Step{}, Cancel{}}
}

func TestEventsRoundTrip(t *testing.T) {
	in := sampleEvents()
	wire, err := EncodeEvents(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := DecodeEvents(wire)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) {
		t.Fatalf("%d events decoded, %d sent", len(out), len(in))
	}
	for i := range in {
		want := in[i]
		if p, ok := want.(Progress); ok && p.Batches == nil {
			want = p // a nil and an empty batch list mean the same
			if got, ok := out[i].(Progress); ok && len(got.Batches) == 0 {
				got.Batches = nil
				out[i] = got
			}
		}
		if !sameBits(out[i], want) {
			t.Errorf("event %d (%T):\n got %+v\nwant %+v", i, in[i], out[i], want)
		}
	}
	if out[7].(Failure).Err().Error() != in[7].(Failure).Err().Error() {
		t.Error("a divergence's error message changed on the way")
	}
}

func TestCommandsRoundTrip(t *testing.T) {
	for _, c := range sampleCommands() {
		wire, err := EncodeCommand(c)
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeCommand(wire)
		if err != nil {
			t.Fatalf("%T: %v", c, err)
		}
		if !reflect.DeepEqual(got, c) {
			t.Errorf("got %+v, sent %+v", got, c)
		}
	}
}

// Every proper prefix of a message, and a message with a byte too many,
// is an error, never a panic or a silently shorter message.
func TestDecodingRejectsDamagedMessages(t *testing.T) {
	events, err := EncodeEvents(sampleEvents())
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < len(events); n++ {
		if _, err := DecodeEvents(events[:n]); err == nil {
			t.Fatalf("events cut to %d of %d bytes decoded without error", n, len(events))
		}
	}
	if _, err := DecodeEvents(append(events, 0)); err == nil {
		t.Error("events with a trailing byte decoded without error")
	}
	for _, c := range sampleCommands() {
		wire, _ := EncodeCommand(c)
		for n := 0; n < len(wire); n++ {
			if _, err := DecodeCommand(wire[:n]); err == nil {
				t.Fatalf("%T cut to %d of %d bytes decoded without error", c, n, len(wire))
			}
		}
	}
	for _, bad := range [][]byte{{99}, {tagConfigure, 1, 0, 0, 0, 1, 0, 0, 0, '{'}} {
		if _, err := DecodeCommand(bad); err == nil {
			t.Errorf("DecodeCommand(%v) gave no error", bad)
		}
	}
	// A length that claims more than the message holds is refused before
	// anything is allocated for it.
	huge := []byte{1, 0, 0, 0, tagWeights, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f}
	if _, err := DecodeEvents(huge); err == nil {
		t.Error("a weight list claiming 2^31 values decoded without error")
	}
}

func FuzzDecodeEvents(f *testing.F) {
	wire, _ := EncodeEvents(sampleEvents())
	f.Add(wire)
	f.Fuzz(func(t *testing.T, b []byte) {
		events, err := DecodeEvents(b)
		if err != nil {
			return
		}
		again, err := EncodeEvents(events)
		if err != nil {
			t.Fatalf("decoded events do not encode: %v", err)
		}
		if _, err := DecodeEvents(again); err != nil {
			t.Fatalf("re-encoded events do not decode: %v", err)
		}
	})
}

// A weight snapshot of the homework network in bytes, as the worker posts
// it, against the same snapshot as JSON.
func TestWeightSnapshotSize(t *testing.T) {
	net := nn.NewHomework(1)
	w := Weights{RunID: 1, ImagesTrained: 15000}
	values := 0
	for _, p := range net.Params() {
		w.Values = append(w.Values, p.Value)
		values += len(p.Value)
	}
	wire, err := EncodeEvents([]Event{w})
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(w.Values)
	if err != nil {
		t.Fatal(err)
	}
	framing := 4 + 1 + 4 + 8 + 4 + 4*len(w.Values) // count, tag, run, images, parameter count, lengths
	t.Logf("weight snapshot: %d values, %d bytes (JSON: %d bytes)", values, len(wire), len(js))
	if values != 10661 || len(wire) != 8*values+framing {
		t.Errorf("a snapshot of %d values takes %d bytes, want 8 per value plus %d", values, len(wire), framing)
	}
}
