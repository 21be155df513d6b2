package runner

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
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
		EpochEnded{RunID: 3, Metrics: nn.EpochMetrics{Epoch: 17, Train: sampleEvaluation(5), Test: sampleEvaluation(6)},
			Weights: [][]float64{oddFloats, {1, 2}}, Resume: Resume{OptimizerState: [][]float64{{3}, oddFloats},
				Shuffle: []byte{0, 1, 255, 7}, Order: []int{2, 0, 1, 1 << 40}}, LastBatch: [][]float64{{5, 6}, oddFloats}},
		Weights{RunID: 4, ImagesTrained: 1 << 40, Values: [][]float64{oddFloats, {}, {1, 2, 3}}},
		Weights{RunID: 4, ImagesTrained: 20, Values: [][]float64{{1}}, LastBatch: [][]float64{oddFloats, {-1e-9}}},
		Features{RunID: 5, Epoch: 1, Indices: []int{0, 7, 99}, Values: [][]float64{oddFloats[:3], oddFloats[3:6], oddFloats[6:9]}},
		Failure{RunID: 6, Kind: Diverged, Message: "training diverged…",
			Divergence: nn.DivergedError{Epoch: 2, Step: 31, What: "parameter hidden.weight", LearningRate: 0.5}},
		Failure{RunID: 7, Kind: BadSettings, Message: "batch size 0 is not accepted"},
		StepExplained{RunID: 8, Epoch: 1, Batch: 3, Images: 10, LossBefore: 2.3, LossAfter: math.NaN(), StateName: "velocity",
			Tensors: []TensorStep{{"conv1.weight", 0.2, 1e-3, -0, math.Inf(1)}}, FirstIndex: 41, FirstLabel: 7,
			FirstGradient: []StageRMS{{"input", 0.01}, {"output", 0.3}}},
		StepExplained{RunID: 8}, // SGD's, empty
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
	if out[9].(Failure).Err().Error() != in[9].(Failure).Err().Error() {
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
	for _, bad := range [][]byte{{WireVersion, 99}, {WireVersion, tagConfigure, 1, 0x80}} {
		if _, err := DecodeCommand(bad); err == nil {
			t.Errorf("DecodeCommand(%v) gave no error", bad)
		}
	}
	// A length that claims more than the message holds is refused before
	// anything is allocated for it.
	huge := []byte{WireVersion, 1, tagWeights, 1, 0, 1, 0xff, 0xff, 0xff, 0xff, 0x07}
	if _, err := DecodeEvents(huge); err == nil {
		t.Error("a weight list claiming 2^31 values decoded without error")
	}
}

// A message of another version of the format is refused with a
// VersionError that says what happened and what to do, whatever follows
// the version byte.
func TestOtherVersionsAreRefused(t *testing.T) {
	command, err := EncodeCommand(Start{})
	if err != nil {
		t.Fatal(err)
	}
	events, err := EncodeEvents(sampleEvents())
	if err != nil {
		t.Fatal(err)
	}
	if command[0] != WireVersion || events[0] != WireVersion {
		t.Fatalf("messages start with %d and %d, want the version %d", command[0], events[0], WireVersion)
	}
	for _, v := range []byte{0, 1, WireVersion + 1, 255} {
		command[0], events[0] = v, v
		_, cerr := DecodeCommand(command)
		_, eerr := DecodeEvents(events)
		for _, err := range []error{cerr, eerr} {
			var ve *VersionError
			if !errors.As(err, &ve) || ve.Got != v || ve.Want != WireVersion ||
				!strings.Contains(err.Error(), "different builds") || !strings.Contains(err.Error(), "reload the page") {
				t.Errorf("version %d: %v; want a VersionError saying the builds differ and to reload", v, err)
			}
		}
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
	bare, err := EncodeEvents([]Event{w})
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(w.Values)
	if err != nil {
		t.Fatal(err)
	}
	framing := len(bare) - 8*values // version, count, tag, run, images, parameter count, lengths, no last batch
	t.Logf("weight snapshot: %d values, %d bytes (%d of framing; JSON: %d bytes)", values, len(bare), framing, len(js))
	if values != 10661 || framing < 0 || framing > 32 {
		t.Errorf("a snapshot of %d values takes %d bytes, want 8 per value plus at most 32", values, len(bare))
	}
	batch := 0
	for _, p := range lastBatchParams(net) {
		w.LastBatch = append(w.LastBatch, p.Grad)
		batch += len(p.Grad)
	}
	full, err := EncodeEvents([]Event{w})
	if err != nil {
		t.Fatal(err)
	}
	more := len(full) - len(bare)
	t.Logf("the last mini-batch's gradient: %d values, %d bytes more", batch, more)
	if batch != 508 || more-8*batch < 0 || more-8*batch > 8 {
		t.Errorf("the last batch's %d values add %d bytes, want 8 per value plus at most 8", batch, more)
	}
}

// Every field of every command and event, filled with distinct non-zero
// values, arrives as sent: reflect.DeepEqual holds, and every float64 is
// the same bits. The values are made by reflection, so a field added to a
// command or an event (or to what they hold: settings, metrics, a stall
// warning) and not encoded arrives zero and fails here.
func TestEveryFieldRoundTrips(t *testing.T) {
	for _, proto := range append(append([]any{}, commandTypes...), eventTypes...) {
		typ := reflect.TypeOf(proto)
		t.Run(typ.Name(), func(t *testing.T) {
			v := reflect.New(typ).Elem()
			f := filler{t: t}
			f.fill(v, typ.Name())
			sent := v.Interface()
			var got any
			var err error
			if c, ok := sent.(Command); ok {
				var wire []byte
				if wire, err = EncodeCommand(c); err == nil {
					got, err = DecodeCommand(wire)
				}
			} else {
				var wire []byte
				var events []Event
				if wire, err = EncodeEvents([]Event{sent.(Event), sent.(Event)}); err == nil {
					events, err = DecodeEvents(wire)
				}
				if err == nil && (len(events) != 2 || !reflect.DeepEqual(events[0], events[1])) {
					t.Fatalf("two copies of the event decoded as %+v", events)
				}
				if err == nil {
					got = events[0]
				}
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, sent) || !sameBits(got, sent) {
				t.Errorf("sent  %+v\ngot   %+v", sent, got)
			}
		})
	}
}

// commandTypes and eventTypes hold a value of every command and event
// type; TestTypeListsAreComplete keeps them complete.
var (
	commandTypes = []any{Configure{}, Restore{}, Start{}, Pause{}, Step{}, Cancel{}}
	eventTypes   = []any{StateChanged{}, Progress{}, EpochEnded{}, Weights{}, Features{}, Failure{}, StepExplained{}}
)

// The lists above name every type of this package that has a command()
// or an event() method, as its source declares them.
func TestTypeListsAreComplete(t *testing.T) {
	declared := map[string][]string{}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range file.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || (fn.Name.Name != "command" && fn.Name.Name != "event") {
				continue
			}
			if id, ok := fn.Recv.List[0].Type.(*ast.Ident); ok {
				declared[fn.Name.Name] = append(declared[fn.Name.Name], id.Name)
			}
		}
	}
	for method, list := range map[string][]any{"command": commandTypes, "event": eventTypes} {
		var listed []string
		for _, v := range list {
			listed = append(listed, reflect.TypeOf(v).Name())
		}
		slices.Sort(listed)
		slices.Sort(declared[method])
		if len(listed) == 0 || !slices.Equal(listed, declared[method]) {
			t.Errorf("the test lists %v as the %s types; the source declares %v", listed, method, declared[method])
		}
	}
}

// filler sets every field it reaches to a value no other field has.
type filler struct {
	t *testing.T
	n int64
}

// next returns the next distinct number, of alternating sign and growing
// size, so varints of one and several bytes both occur.
func (f *filler) next() int64 {
	f.n++
	v := f.n * f.n * f.n * 977
	if f.n%2 == 0 {
		v = -v
	}
	return v
}

// fill sets v, at path, to distinct non-zero values: every element of an
// array, three elements of a slice, the target of a pointer.
func (f *filler) fill(v reflect.Value, path string) {
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		x := f.next()
		for v.OverflowInt(x) {
			x /= 2
		}
		v.SetInt(x)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		x := uint64(f.next())
		if v.Kind() == reflect.Uint8 {
			x = uint64(f.n%255 + 1)
		}
		for v.OverflowUint(x) {
			x >>= 1
		}
		v.SetUint(x)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(f.next()) + 1.0/3) // a third sets every mantissa bit
	case reflect.String:
		v.SetString(fmt.Sprintf("%s · %d", path, f.next()))
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 3, 3))
		fallthrough
	case reflect.Array:
		for i := range v.Len() {
			f.fill(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		f.fill(v.Elem(), path)
	case reflect.Struct:
		for i := range v.NumField() {
			field := v.Type().Field(i)
			if !field.IsExported() {
				f.t.Fatalf("%s.%s is unexported: the wire format cannot carry it", path, field.Name)
			}
			f.fill(v.Field(i), path+"."+field.Name)
		}
	default:
		f.t.Fatalf("%s is a %v, which the test cannot fill", path, v.Kind())
	}
}
