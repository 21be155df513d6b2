package record

import (
	"bytes"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"convlab/nn"
	"convlab/ui/curve"
	"convlab/ui/runner"
	"convlab/ui/settings"
)

// trainedRun trains a tiny run of two epochs natively and records it as
// the dashboard would.
func trainedRun(t testing.TB) Run {
	t.Helper()
	lib, err := runner.LoadLibrary()
	if err != nil {
		t.Fatal(err)
	}
	s := settings.Defaults()
	s.Optimizer, s.Epochs, s.TrainPerClass, s.TestPerClass = nn.OptimizerRMSProp, 2, 10, 1
	train, test, err := lib.Sets(s)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := nn.NewTrainer(nn.NewHomework(s.Seed), train, test, s.TrainerConfig())
	if err != nil {
		t.Fatal(err)
	}
	r := Run{Settings: s, State: runner.Paused, Elapsed: 1234567 * time.Microsecond, TrainingTime: time.Second,
		ImagesPerSecond: 123.25, ComputeRate: 1.0 / 3}
	for tr.Phase() != nn.PhaseFinished {
		u, err := tr.Work()
		if err != nil {
			t.Fatal(err)
		}
		if u.EpochDone == nil {
			continue
		}
		cp, err := tr.Checkpoint()
		if err != nil {
			t.Fatal(err)
		}
		r.Epochs = append(r.Epochs, Epoch{Metrics: *u.EpochDone, Weights: cp.Weights})
		r.Resume = runner.Resume{OptimizerState: cp.OptimizerState, Shuffle: cp.Shuffle, Order: cp.Order}
		feats, err := tr.Network().Bottleneck(append(test.Image(0), test.Image(3)...), 2)
		if err != nil {
			t.Fatal(err)
		}
		r.Maps = append(r.Maps, Map{Epoch: u.EpochDone.Epoch, Indices: []int{0, 3}, Features: feats})
	}
	r.LossCurve = []curve.Point{{X: 0.01, Y: 2.3, Lo: 2.25, Hi: 2.4, N: 2}, {X: 0.5, Y: 1.5, Lo: 1.5, Hi: 1.5, N: 1}}
	r.Stall = &nn.StallWarning{Epoch: 2, DeadLayer: "hidden", FlatEpochs: 0, FirstLoss: 2.3, Loss: math.Pi, LearningRate: 0.001}
	return r
}

func TestExperimentRoundTripsBitForBit(t *testing.T) {
	run := trainedRun(t)
	model := Run{Settings: settings.Defaults(), Model: "mine.json", State: runner.Finished, ModelWeights: run.Epochs[0].Weights}
	fresh := Run{Settings: settings.Defaults(), State: runner.Idle}
	x := Experiment{Runs: []Run{run, model, fresh}, Selected: 1}
	text := EncodeExperiment(x)
	got, err := DecodeExperiment(text)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, x) {
		t.Fatalf("the experiment changed on the way:\n got %+v\nwant %+v", got, x)
	}
	if again := EncodeExperiment(got); !bytes.Equal(again, text) {
		t.Error("encoding the decoded experiment gives other text")
	}
	one, err := DecodeRun(EncodeRun(run))
	if err != nil || !reflect.DeepEqual(one, run) {
		t.Errorf("a run alone does not round-trip: %v", err)
	}
	t.Logf("a 2-epoch run of %d images: %d bytes; the experiment file: %d bytes", run.Settings.TrainSize(), len(EncodeRun(run)), len(text))
}

// Every field of nn.EpochMetrics, filled by reflection, survives: a field
// added to the metrics and not to metrics.go's tables fails here.
func TestEveryMetricsFieldRoundTrips(t *testing.T) {
	var m nn.EpochMetrics
	fill(reflect.ValueOf(&m).Elem(), new(int))
	m.Epoch = 1
	// Fields with bounds get values within them; each stays distinct.
	for _, e := range []*nn.Evaluation{&m.Train, &m.Test} {
		e.Error, e.Accuracy = e.Error/1000, e.Accuracy/1000
		for i := range e.ClassAccuracy {
			e.ClassAccuracy[i] /= 1000
		}
		for i := range e.Predicted {
			e.Predicted[i] %= nn.NumClasses
		}
		e.Confusion = [nn.NumClasses][nn.NumClasses]int{} // counts as many images as predicted
		e.Confusion[1][2], e.Confusion[e.Predicted[0]][0] = 2, 1
	}
	for i, name := range []string{nn.LayerConv1, nn.LayerConv2, nn.LayerHidden, nn.LayerOutput}[:len(m.Layers)] {
		m.Layers[i].Layer = name
	}
	w := &writer{}
	putFields(w, &m, epochMetricsFields)
	var err error
	var got nn.EpochMetrics
	o := readObject(w.b, "metrics", &err, keysOf(epochMetricsFields)...)
	takeFields(o, &got, epochMetricsFields, sizes{train: 3, test: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, m) {
		t.Errorf("metrics changed:\n got %+v\nwant %+v", got, m)
	}
}

// fill sets every field of v to small distinct non-zero values; a slice
// gets as many elements as the predicted lists need.
func fill(v reflect.Value, n *int) {
	switch v.Kind() {
	case reflect.Int:
		*n++
		v.SetInt(int64(*n))
	case reflect.Float64:
		*n++
		v.SetFloat(float64(*n) + 1.0/3)
	case reflect.String:
		*n++
		v.SetString(strings.Repeat("x", *n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 3, 3))
		fallthrough
	case reflect.Array:
		for i := range v.Len() {
			fill(v.Index(i), n)
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), n)
		}
	default:
		panic("cannot fill a " + v.Kind().String())
	}
}
