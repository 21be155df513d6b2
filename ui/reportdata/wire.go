package reportdata

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"time"

	"convlab/nn"
	"convlab/ui/settings"
)

// The encoding is JSON. JSON has no NaN or infinity, which a diverged
// run's metrics and weights may hold, so a single number is written as a
// string in Go's shortest exact form ("0.125", "NaN") and an array of
// numbers as the base64 of its float64 values, little-endian: both exact,
// bit for bit.

type wireReport struct {
	Runs         []wireRun                 `json:"runs"`
	Examples     []wireExample             `json:"examples"`
	Link         string                    `json:"link"`
	Version      string                    `json:"version"`
	Generated    string                    `json:"generated"` // RFC 3339 with nanoseconds and zone
	ClassColours [nn.NumClasses]color.RGBA `json:"classColours"`
}

type wireRun struct {
	Label        string            `json:"label"`
	Settings     settings.Settings `json:"settings"`
	State        string            `json:"state"`
	History      []wireEpoch       `json:"history"`
	WallSeconds  string            `json:"wallSeconds"`
	Colour       color.RGBA        `json:"colour"`
	Error        string            `json:"error"`
	Model        string            `json:"model"`
	Weights      []string          `json:"weights"` // one per tensor, in nn.Network.Params order; none: no network
	WeightsFinal bool              `json:"weightsFinal"`
	TrainIndices []int             `json:"trainIndices"`
	TestIndices  []int             `json:"testIndices"`
	First        *wireMap          `json:"first"`
	Last         *wireMap          `json:"last"`
	SameMap      bool              `json:"sameMap"` // Last is First
}

type wireEpoch struct {
	Epoch int      `json:"epoch"`
	Train wireEval `json:"train"`
	Test  wireEval `json:"test"`
}

type wireEval struct {
	Loss          string                            `json:"loss"`
	Error         string                            `json:"error"`
	Accuracy      string                            `json:"accuracy"`
	Confusion     [nn.NumClasses][nn.NumClasses]int `json:"confusion"`
	ClassAccuracy string                            `json:"classAccuracy"`
}

type wireMap struct {
	Epoch     int    `json:"epoch"`
	Points    string `json:"points"` // x, y of each point
	Labels    []int  `json:"labels"`
	Predicted []int  `json:"predicted"`
	Settled   bool   `json:"settled"`
	Iteration int    `json:"iteration"`
}

type wireExample struct {
	Index int    `json:"index"`
	Label int    `json:"label"`
	Image string `json:"image"`
}

// Encode writes r for Decode. A run's network is written as its weights.
func Encode(r Report) ([]byte, error) {
	w := wireReport{Link: r.Link, Version: r.Version, Generated: r.Generated.Format(time.RFC3339Nano), ClassColours: r.ClassColours}
	for _, ex := range r.Examples {
		w.Examples = append(w.Examples, wireExample{Index: ex.Index, Label: ex.Label, Image: floats(ex.Image)})
	}
	for _, run := range r.Runs {
		wr := wireRun{Label: run.Label, Settings: run.Settings, State: run.State, WallSeconds: number(run.WallSeconds),
			Colour: run.Colour, Error: run.Error, Model: run.Model, WeightsFinal: run.WeightsFinal,
			TrainIndices: run.TrainIndices, TestIndices: run.TestIndices,
			First: encodeMap(run.First), Last: encodeMap(run.Last), SameMap: run.First != nil && run.First == run.Last}
		for _, m := range run.History {
			wr.History = append(wr.History, wireEpoch{Epoch: m.Epoch, Train: encodeEval(m.Train), Test: encodeEval(m.Test)})
		}
		if run.Network != nil {
			for _, p := range run.Network.Params() {
				wr.Weights = append(wr.Weights, floats(p.Value))
			}
		}
		w.Runs = append(w.Runs, wr)
	}
	return json.Marshal(w)
}

func encodeEval(e nn.Evaluation) wireEval {
	return wireEval{Loss: number(e.Loss), Error: number(e.Error), Accuracy: number(e.Accuracy),
		Confusion: e.Confusion, ClassAccuracy: floats(e.ClassAccuracy[:])}
}

func encodeMap(m *Map) *wireMap {
	if m == nil {
		return nil
	}
	pts := make([]float64, 0, 2*len(m.Points))
	for _, p := range m.Points {
		pts = append(pts, p[0], p[1])
	}
	return &wireMap{Epoch: m.Epoch, Points: floats(pts), Labels: m.Labels, Predicted: m.Predicted, Settled: m.Settled, Iteration: m.Iteration}
}

// number writes one float64 exactly, NaN and infinities included.
func number(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// floats writes float64 values exactly, as base64 of their bits.
func floats(v []float64) string {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
	}
	return base64.StdEncoding.EncodeToString(b)
}

// Decode reads what Encode wrote, checking that every part has its size:
// the networks are the homework network, a map has a label per point, an
// image 784 pixels.
func Decode(data []byte) (Report, error) {
	var w wireReport
	if err := json.Unmarshal(data, &w); err != nil {
		return Report{}, fmt.Errorf("report data: %w", err)
	}
	generated, err := time.Parse(time.RFC3339Nano, w.Generated)
	if err != nil {
		return Report{}, fmt.Errorf("report data: the time: %w", err)
	}
	r := Report{Link: w.Link, Version: w.Version, Generated: generated, ClassColours: w.ClassColours}
	for i, we := range w.Examples {
		img, err := unfloats(we.Image, nn.ImageSize)
		if err != nil || we.Label < 0 || we.Label >= nn.NumClasses {
			return Report{}, fmt.Errorf("report data: example %d: digit %d, %v", i, we.Label, err)
		}
		r.Examples = append(r.Examples, Example{Index: we.Index, Label: we.Label, Image: img})
	}
	for i, wr := range w.Runs {
		run, err := decodeRun(wr)
		if err != nil {
			return Report{}, fmt.Errorf("report data: run %d: %w", i+1, err)
		}
		r.Runs = append(r.Runs, run)
	}
	return r, nil
}

func decodeRun(wr wireRun) (Run, error) {
	run := Run{Label: wr.Label, Settings: wr.Settings, State: wr.State, Colour: wr.Colour, Error: wr.Error, Model: wr.Model,
		WeightsFinal: wr.WeightsFinal, TrainIndices: wr.TrainIndices, TestIndices: wr.TestIndices}
	var err error
	if run.WallSeconds, err = strconv.ParseFloat(wr.WallSeconds, 64); err != nil {
		return Run{}, fmt.Errorf("time: %w", err)
	}
	for _, we := range wr.History {
		m := nn.EpochMetrics{Epoch: we.Epoch}
		if m.Train, err = decodeEval(we.Train); err == nil {
			m.Test, err = decodeEval(we.Test)
		}
		if err != nil {
			return Run{}, fmt.Errorf("epoch %d: %w", we.Epoch, err)
		}
		run.History = append(run.History, m)
	}
	if len(wr.Weights) > 0 {
		if run.Network, err = decodeNetwork(wr.Weights); err != nil {
			return Run{}, err
		}
	}
	if run.First, err = decodeMap(wr.First); err != nil {
		return Run{}, fmt.Errorf("the first t-SNE map: %w", err)
	}
	if run.Last, err = decodeMap(wr.Last); err != nil {
		return Run{}, fmt.Errorf("the last t-SNE map: %w", err)
	}
	if wr.SameMap {
		run.Last = run.First
	}
	return run, nil
}

func decodeEval(we wireEval) (nn.Evaluation, error) {
	e := nn.Evaluation{Confusion: we.Confusion}
	for _, f := range []struct {
		dst *float64
		src string
	}{{&e.Loss, we.Loss}, {&e.Error, we.Error}, {&e.Accuracy, we.Accuracy}} {
		v, err := strconv.ParseFloat(f.src, 64)
		if err != nil {
			return e, err
		}
		*f.dst = v
	}
	acc, err := unfloats(we.ClassAccuracy, nn.NumClasses)
	if err != nil {
		return e, fmt.Errorf("accuracy per digit: %w", err)
	}
	copy(e.ClassAccuracy[:], acc)
	return e, nil
}

// decodeNetwork builds a homework network with the weights given, one
// tensor each, in nn.Network.Params order.
func decodeNetwork(weights []string) (*nn.Network, error) {
	net := nn.NewHomework(0)
	params := net.Params()
	if len(weights) != len(params) {
		return nil, fmt.Errorf("%d weight tensors, the network has %d", len(weights), len(params))
	}
	for i, p := range params {
		v, err := unfloats(weights[i], len(p.Value))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name, err)
		}
		copy(p.Value, v)
	}
	return net, nil
}

func decodeMap(wm *wireMap) (*Map, error) {
	if wm == nil {
		return nil, nil
	}
	pts, err := unfloats(wm.Points, 2*len(wm.Labels))
	if err != nil {
		return nil, fmt.Errorf("%d labels: %w", len(wm.Labels), err)
	}
	if wm.Predicted != nil && len(wm.Predicted) != len(wm.Labels) {
		return nil, fmt.Errorf("%d predictions for %d points", len(wm.Predicted), len(wm.Labels))
	}
	m := &Map{Epoch: wm.Epoch, Labels: wm.Labels, Predicted: wm.Predicted, Settled: wm.Settled, Iteration: wm.Iteration}
	for i := 0; i < len(pts); i += 2 {
		m.Points = append(m.Points, [2]float64{pts[i], pts[i+1]})
	}
	return m, nil
}

// unfloats reads what floats wrote, which must be n values.
func unfloats(s string, n int) ([]float64, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	if len(b) != 8*n {
		return nil, fmt.Errorf("%d values, want %d", len(b)/8, n)
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return out, nil
}
