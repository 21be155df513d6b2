package record

import (
	"encoding/base64"
	"fmt"
	"math"
	"net/url"
	"time"

	"convlab/nn"
	"convlab/ui/curve"
	"convlab/ui/runner"
	"convlab/ui/settings"
)

// The keys of a run, a map, the resume state, a stall warning and the
// file, in the order they are written.
var (
	runKeys = []string{"settings", "model", "state", "error", "elapsedNs", "trainingNs",
		"imagesPerSecond", "computeImagesPerSecond", "modelWeights", "stall", "epochs", "resume", "maps",
		"lossCurve", "lossSamples"}
	epochKeys  = []string{"metrics", "weights"}
	resumeKeys = []string{"optimizerState", "shuffle", "order"}
	mapKeys    = []string{"epoch", "indices", "features"}
	stallKeys  = []string{"epoch", "deadLayer", "flatEpochs", "firstLoss", "loss", "learningRate"}
	fileKeys   = []string{"format", "version", "selected", "runs"}
)

// bottleneckSize is the number of bottleneck values of an image.
const bottleneckSize = 49

// EncodeExperiment writes the experiment file.
func EncodeExperiment(x Experiment) []byte {
	w := &writer{}
	w.open('{')
	w.key("format")
	w.str(Format)
	w.key("version")
	w.int(Version)
	w.key("selected")
	w.int(int64(x.Selected))
	w.key("runs")
	w.open('[')
	for i := range x.Runs {
		w.sep()
		putRun(w, &x.Runs[i], nil)
	}
	w.close(']')
	w.close('}')
	return w.b
}

// EncodeRun writes one run, as the page keeps it in IndexedDB.
func EncodeRun(r Run) []byte {
	w := &writer{}
	putRun(w, &r, nil)
	return w.b
}

// RunEncoder writes runs as EncodeRun does, keeping each epoch's text, so
// that a run written again after another epoch costs that epoch's text
// and a copy of the others': the page writes a run at each epoch's end,
// and the whole of a 50-epoch run (12 MB) each time would take the page's
// thread for a second. A finished epoch never changes (its metrics and
// weights are the session's, written once), so an epoch is known by its
// weights' backing array, which nothing else shares and which the kept
// text holds alive, so that no other epoch can come to have it. The zero
// RunEncoder is ready to use; use one per run.
type RunEncoder struct {
	epochs map[*float64][]byte
}

// Encode writes r, exactly as EncodeRun(r).
func (e *RunEncoder) Encode(r Run) []byte {
	w := &writer{}
	putRun(w, &r, e)
	return w.b
}

// epoch writes epoch ep of a run, from the text kept for it if there is
// one, and keeps what it writes in next.
func (e *RunEncoder) epoch(w *writer, ep *Epoch, next map[*float64][]byte) {
	var id *float64
	if len(ep.Weights) > 0 && len(ep.Weights[0]) > 0 {
		id = &ep.Weights[0][0]
	}
	w.sep()
	if text, ok := e.epochs[id]; ok && id != nil {
		w.b = append(w.b, text...)
		w.first = false
		next[id] = text
		return
	}
	start := len(w.b)
	putEpoch(w, ep)
	if id != nil {
		next[id] = append([]byte(nil), w.b[start:]...)
	}
}

func putEpoch(w *writer, ep *Epoch) {
	w.open('{')
	w.key("metrics")
	putFields(w, &ep.Metrics, epochMetricsFields)
	w.key("weights")
	w.tensors(ep.Weights)
	w.close('}')
}

// putRun writes r, its epochs through enc when there is one.
func putRun(w *writer, r *Run, enc *RunEncoder) {
	w.open('{')
	w.key("settings")
	w.str(r.Settings.Query().Encode())
	w.key("model")
	w.str(r.Model)
	w.key("state")
	w.str(r.State.String())
	w.key("error")
	w.str(r.Error)
	w.key("elapsedNs")
	w.int(int64(r.Elapsed))
	w.key("trainingNs")
	w.int(int64(r.TrainingTime))
	w.key("imagesPerSecond")
	w.float(r.ImagesPerSecond)
	w.key("computeImagesPerSecond")
	w.float(r.ComputeRate)
	w.key("modelWeights")
	w.tensors(r.ModelWeights)
	w.key("stall")
	putStall(w, r.Stall)
	w.key("epochs")
	w.open('[')
	next := map[*float64][]byte{}
	for i := range r.Epochs {
		if enc != nil {
			enc.epoch(w, &r.Epochs[i], next)
			continue
		}
		w.sep()
		putEpoch(w, &r.Epochs[i])
	}
	if enc != nil {
		enc.epochs = next // epochs gone (a reset run) are let go
	}
	w.close(']')
	w.key("resume")
	w.open('{')
	w.key("optimizerState")
	w.tensors(r.Resume.OptimizerState)
	w.key("shuffle")
	w.str(base64.StdEncoding.EncodeToString(r.Resume.Shuffle))
	w.key("order")
	w.ints(r.Resume.Order)
	w.close('}')
	w.key("maps")
	w.open('[')
	for _, m := range r.Maps {
		w.sep()
		w.open('{')
		w.key("epoch")
		w.int(int64(m.Epoch))
		w.key("indices")
		w.ints(m.Indices)
		w.key("features")
		flat := make([]float64, 0, len(m.Features)*bottleneckSize)
		for _, f := range m.Features {
			flat = append(flat, f...)
		}
		w.floats(flat)
		w.close('}')
	}
	w.close(']')
	putLossCurve(w, r.LossCurve)
	w.close('}')
}

// putLossCurve writes the loss curve's points as two lists: their x, y,
// lo and hi (four float64s a point) and the samples each merges.
func putLossCurve(w *writer, points []curve.Point) {
	flat := make([]float64, 0, 4*len(points))
	samples := make([]int, len(points))
	for i, p := range points {
		flat = append(flat, p.X, p.Y, p.Lo, p.Hi)
		samples[i] = p.N
	}
	w.key("lossCurve")
	w.floats(flat)
	w.key("lossSamples")
	w.ints(samples)
}

// takeLossCurve reads what putLossCurve wrote: at most MaxLossPoints
// points of finite values, each of 1 or more samples. Whether they are a
// curve's points the session checks as it shows them (curve.Restore).
func takeLossCurve(o *object) []curve.Point {
	flat := o.floats("lossCurve", -1)
	samples := o.ints("lossSamples", -1, MaxLossPoints, 1, math.MaxInt32)
	if *o.err != nil {
		return nil
	}
	if len(flat) != 4*len(samples) {
		o.fail("lossCurve", fmt.Errorf("%d values for %d points, want 4 a point", len(flat), len(samples)))
		return nil
	}
	if len(samples) == 0 {
		return nil
	}
	points := make([]curve.Point, len(samples))
	for i := range points {
		v := flat[4*i : 4*i+4]
		for _, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				o.fail("lossCurve", fmt.Errorf("point %d is not finite", i))
				return nil
			}
		}
		points[i] = curve.Point{X: v[0], Y: v[1], Lo: v[2], Hi: v[3], N: samples[i]}
	}
	return points
}

func putStall(w *writer, s *nn.StallWarning) {
	if s == nil {
		w.b = append(w.b, "null"...)
		w.first = false
		return
	}
	w.open('{')
	w.key("epoch")
	w.int(int64(s.Epoch))
	w.key("deadLayer")
	w.str(s.DeadLayer)
	w.key("flatEpochs")
	w.int(int64(s.FlatEpochs))
	w.key("firstLoss")
	w.float(s.FirstLoss)
	w.key("loss")
	w.float(s.Loss)
	w.key("learningRate")
	w.float(s.LearningRate)
	w.close('}')
}

// DecodeExperiment reads and checks an experiment file.
func DecodeExperiment(text []byte) (Experiment, error) {
	if len(text) > MaxBytes {
		return Experiment{}, fmt.Errorf("the file has %d bytes, more than the %d an experiment may have", len(text), MaxBytes)
	}
	var err error
	o := readObject(text, "experiment", &err, fileKeys...)
	format := o.str("format", 64)
	if err == nil && format != Format {
		return Experiment{}, fmt.Errorf("not a ConvLab experiment: its format is %q, want %q", format, Format)
	}
	if v := o.int("version", 0, math.MaxInt32); err == nil && v != Version {
		return Experiment{}, fmt.Errorf("experiment version %d is not supported (this build reads version %d)", v, Version)
	}
	selected := o.int("selected", 0, MaxRuns-1)
	list := o.list("runs", MaxRuns)
	if err == nil && len(list) == 0 {
		o.fail("runs", fmt.Errorf("an experiment has at least one run"))
	}
	if err == nil && int(selected) >= len(list) {
		o.fail("selected", fmt.Errorf("run %d is selected, but there are %d runs", selected, len(list)))
	}
	x := Experiment{Selected: int(selected)}
	for i, raw := range list {
		if err != nil {
			break
		}
		x.Runs = append(x.Runs, takeRun(raw, fmt.Sprintf("experiment.runs[%d]", i), &err))
	}
	if err != nil {
		return Experiment{}, err
	}
	return x, nil
}

// DecodeRun reads and checks one run written by EncodeRun.
func DecodeRun(text []byte) (Run, error) {
	if len(text) > MaxBytes {
		return Run{}, fmt.Errorf("a run of %d bytes, more than %d", len(text), MaxBytes)
	}
	var err error
	r := takeRun(text, "run", &err)
	if err != nil {
		return Run{}, err
	}
	return r, nil
}

func takeRun(raw []byte, path string, errp *error) Run {
	o := readObject(raw, path, errp, runKeys...)
	r := Run{Settings: takeSettings(o), Model: o.str("model", 1024), Error: o.str("error", 64<<10)}
	r.State = takeState(o)
	r.Elapsed = time.Duration(o.int("elapsedNs", 0, math.MaxInt64))
	r.TrainingTime = time.Duration(o.int("trainingNs", 0, math.MaxInt64))
	r.ImagesPerSecond = nonNegative(o, "imagesPerSecond")
	r.ComputeRate = nonNegative(o, "computeImagesPerSecond")
	if !o.isNull("stall") {
		r.Stall = takeStall(o.child("stall", stallKeys...))
	}
	if *errp != nil {
		return Run{}
	}
	s := sizes{train: trainEvalSize(r.Settings.TrainSize()), test: r.Settings.TestSize()}
	if models := o.list("modelWeights", len(shapes())); len(models) > 0 {
		r.ModelWeights = takeWeights(o, "modelWeights")
	}
	for i, e := range o.list("epochs", r.Settings.Epochs) {
		r.Epochs = append(r.Epochs, takeEpoch(readObject(e, fmt.Sprintf("%s.epochs[%d]", path, i), errp, epochKeys...), i+1, s))
	}
	r.Resume = takeResume(o.child("resume", resumeKeys...), len(r.Epochs) > 0, r.Settings.TrainSize())
	for i, m := range o.list("maps", 2) {
		r.Maps = append(r.Maps, takeMap(readObject(m, fmt.Sprintf("%s.maps[%d]", path, i), errp, mapKeys...), len(r.Epochs), s.test))
	}
	r.LossCurve = takeLossCurve(o)
	if *errp == nil && r.Model != "" && (len(r.ModelWeights) == 0 || len(r.Epochs) > 0) {
		o.fail("model", fmt.Errorf("a run showing model %q has its weights and no epochs", r.Model))
	}
	return r
}

func takeSettings(o *object) settings.Settings {
	text := o.str("settings", 1024)
	if *o.err != nil {
		return settings.Settings{}
	}
	q, err := url.ParseQuery(text)
	if err != nil {
		o.fail("settings", err)
		return settings.Settings{}
	}
	s, problems := settings.FromQuery(q)
	if len(problems) > 0 {
		o.fail("settings", problems[0])
		return settings.Settings{}
	}
	if s.Query().Encode() != text {
		o.fail("settings", fmt.Errorf("%q does not give every setting once, in ConvLab's order (%q)", text, s.Query().Encode()))
	}
	return s
}

// states are those a record may name.
var states = []runner.State{runner.Idle, runner.Running, runner.Paused, runner.Finished, runner.Failed}

func takeState(o *object) runner.State {
	name := o.str("state", 16)
	for _, s := range states {
		if s.String() == name {
			return s
		}
	}
	o.fail("state", fmt.Errorf("%q is not a state (idle, running, paused, finished, failed)", name))
	return runner.Idle
}

func nonNegative(o *object, key string) float64 {
	v := o.float(key)
	if !(v >= 0) || math.IsInf(v, 0) {
		o.fail(key, fmt.Errorf("%v is not a finite rate ≥ 0", v))
		return 0
	}
	return v
}

func takeStall(o *object) *nn.StallWarning {
	w := &nn.StallWarning{Epoch: int(o.int("epoch", 1, maxEpochs)), DeadLayer: o.str("deadLayer", 64),
		FlatEpochs: int(o.int("flatEpochs", 0, maxEpochs))}
	w.FirstLoss, w.Loss, w.LearningRate = o.float("firstLoss"), o.float("loss"), o.float("learningRate")
	return w
}

func takeEpoch(o *object, epoch int, s sizes) Epoch {
	var e Epoch
	takeFields(o.child("metrics", keysOf(epochMetricsFields)...), &e.Metrics, epochMetricsFields, s)
	if *o.err == nil && e.Metrics.Epoch != epoch {
		o.fail("metrics", fmt.Errorf("epoch %d where epoch %d comes", e.Metrics.Epoch, epoch))
	}
	e.Weights = takeWeights(o, "weights")
	return e
}

// trainEvalSize is how many training images an epoch's training figures
// cover in a set of n (nn.TrainEvalIndices): all of a set of at most
// nn.TrainEvalLimit, else nn.TrainEvalPerClass of each class, which every
// class of so large a set has (the fewest, fives, number 5,421 in MNIST).
func trainEvalSize(n int) int {
	if n <= nn.TrainEvalLimit {
		return n
	}
	return nn.NumClasses * nn.TrainEvalPerClass
}

// shapes returns the number of values of each parameter of the homework
// network.
func shapes() []int {
	params := nn.NewHomework(0).Params()
	n := make([]int, len(params))
	for i, p := range params {
		n[i] = len(p.Value)
	}
	return n
}

// takeWeights reads one slice per parameter of the homework network,
// each value finite and within ±nn.MaxModelValue, as in a model file.
func takeWeights(o *object, key string) [][]float64 {
	return takeTensors(o, key, func(v float64) bool { return math.Abs(v) <= nn.MaxModelValue })
}

// takeTensors reads one slice per parameter whose values pass ok.
func takeTensors(o *object, key string, ok func(float64) bool) [][]float64 {
	var list []string
	o.decode(key, &list)
	want := shapes()
	if *o.err != nil {
		return nil
	}
	if len(list) != len(want) {
		o.fail(key, fmt.Errorf("%d tensors, the network has %d", len(list), len(want)))
		return nil
	}
	out := make([][]float64, len(list))
	for i, s := range list {
		v, err := unfloats(s, want[i])
		if err != nil {
			o.fail(key, fmt.Errorf("tensor %d: %w", i, err))
			return nil
		}
		for j, x := range v {
			if !ok(x) {
				o.fail(key, fmt.Errorf("tensor %d, value %d: %v is out of bounds", i, j, x))
				return nil
			}
		}
		out[i] = v
	}
	return out
}

func takeResume(o *object, trained bool, trainSize int) runner.Resume {
	var r runner.Resume
	var states []string
	o.decode("optimizerState", &states)
	if len(states) > 0 {
		r.OptimizerState = takeTensors(o, "optimizerState", func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) })
	}
	shuffle, err := base64.StdEncoding.DecodeString(o.str("shuffle", 128))
	if err != nil {
		o.fail("shuffle", fmt.Errorf("not base64"))
	}
	if len(shuffle) > 0 {
		r.Shuffle = shuffle
	}
	n := 0
	if trained {
		n = trainSize
	}
	r.Order = o.ints("order", n, n, 0, trainSize-1)
	if len(r.Order) == 0 {
		r.Order = nil
	}
	seen := make([]bool, trainSize)
	for _, i := range r.Order {
		if seen[i] {
			o.fail("order", fmt.Errorf("image %d comes twice: not an order of the training set", i))
			break
		}
		seen[i] = true
	}
	if *o.err == nil && trained && len(r.Shuffle) == 0 {
		o.fail("shuffle", fmt.Errorf("a trained run's shuffling state is missing"))
	}
	return r
}

func takeMap(o *object, epochs, testSize int) Map {
	m := Map{Epoch: int(o.int("epoch", 1, int64(max(epochs, 1))))}
	if *o.err == nil && epochs == 0 {
		o.fail("epoch", fmt.Errorf("a map of a run with no epochs"))
	}
	m.Indices = o.ints("indices", -1, runner.MaxMapPoints, 0, testSize-1)
	flat := o.floats("features", len(m.Indices)*bottleneckSize)
	if *o.err != nil {
		return Map{}
	}
	for i := range m.Indices {
		f := flat[i*bottleneckSize : (i+1)*bottleneckSize]
		for _, x := range f {
			if !(x >= 0) || math.IsInf(x, 0) {
				o.fail("features", fmt.Errorf("point %d: %v is not a bottleneck value (finite, ≥ 0 after ReLU)", i, x))
				return Map{}
			}
		}
		m.Features = append(m.Features, f)
	}
	return m
}
