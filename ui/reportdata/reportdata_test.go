package reportdata

import (
	"image/color"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"convlab/assets"
	"convlab/nn"
	"convlab/ui/experiment"
	"convlab/ui/settings"
)

func TestVersion(t *testing.T) {
	for _, tc := range []struct{ commit, want string }{
		{"264043592c9c-dirty", "commit 264043592c9c-dirty, go1.26.0"},
		{"", "a build whose commit is unknown, go1.26.0"},
	} {
		if got := Version(tc.commit, "go1.26.0"); got != tc.want {
			t.Errorf("Version(%q) = %q, want %q", tc.commit, got, tc.want)
		}
	}
}

func TestExamplesAndIndices(t *testing.T) {
	test, err := assets.Test()
	if err != nil {
		t.Fatal(err)
	}
	ex := Examples(test)
	if len(ex) != nn.NumClasses {
		t.Fatalf("%d examples, want one per digit", len(ex))
	}
	first := FirstPerClassIndices(test.Catalog(), 1)
	for d, e := range ex {
		if e.Label != d || len(e.Image) != nn.ImageSize {
			t.Errorf("example %d: digit %d, %d pixels", d, e.Label, len(e.Image))
		}
		found := false
		for _, i := range first {
			found = found || i == e.Index
		}
		if !found {
			t.Errorf("example of digit %d (MNIST %d) is not the first of its digit %v", d, e.Index, first)
		}
	}
	// MNIST's test file starts 7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6.
	if ex[7].Index != 0 || ex[2].Index != 1 || ex[0].Index != 3 {
		t.Errorf("examples of 7, 2, 0 at MNIST %d, %d, %d; want 0, 1, 3", ex[7].Index, ex[2].Index, ex[0].Index)
	}
	sub, err := test.FirstPerClass(10)
	if err != nil {
		t.Fatal(err)
	}
	got := FirstPerClassIndices(test.Catalog(), 10)
	if len(got) != len(sub.Indices) {
		t.Fatalf("%d indices, want %d", len(got), len(sub.Indices))
	}
	for i := range got {
		if got[i] != sub.Indices[i] {
			t.Fatalf("index %d is %d, FirstPerClass says %d", i, got[i], sub.Indices[i])
		}
	}
	if got := FirstPerClassIndices(nil, 10); got != nil {
		t.Errorf("a set without a catalog gave indices %v", got)
	}
}

// sample is a report of two runs: one with two epochs, a network, maps
// and NaNs where a diverged run has them; one loaded from a model file.
func sample(t *testing.T) Report {
	t.Helper()
	test, err := assets.Test()
	if err != nil {
		t.Fatal(err)
	}
	s := settings.Defaults()
	s.Epochs = 2
	net := nn.NewHomework(3)
	net.Params()[0].Value[5] = math.NaN()
	net.Params()[1].Value[0] = math.Copysign(0, -1)
	m := &Map{Epoch: 1, Points: [][2]float64{{1, 2}, {math.Inf(1), -0.5}}, Labels: []int{3, 4}, Predicted: []int{3, 9}, Iteration: 12}
	var history []nn.EpochMetrics
	for e := 1; e <= 2; e++ {
		ev := nn.Evaluation{Loss: 0.1 * float64(e), Error: 1 / 3.0, Accuracy: 2 / 3.0}
		ev.Confusion[1][2] = e
		ev.ClassAccuracy[4] = math.NaN()
		history = append(history, nn.EpochMetrics{Epoch: e, Train: ev, Test: ev})
	}
	history[1].Test.Loss = math.NaN()
	return Report{
		Examples: Examples(test), Link: "http://x/?a=1&b=2", Version: "commit abc", ClassColours: [10]color.RGBA{3: {1, 2, 3, 255}},
		Generated: time.Date(2026, 5, 1, 14, 3, 0, 123, time.FixedZone("UTC+2", 7200)),
		Runs: []Run{
			{Label: "SGD <b>", Settings: s, State: "failed", History: history, WallSeconds: 1.25, Colour: color.RGBA{0, 0x72, 0xb2, 255},
				Error: "diverged", Network: net, TrainIndices: []int{0, 1, 5}, TestIndices: []int{3}, First: m, Last: m},
			{Label: "model m.json", Settings: settings.Defaults(), State: "finished", Model: "m.json", Network: nn.NewHomework(4)},
		},
	}
}

// What Decode reads is what Encode wrote, bit for bit: NaN, −0 and
// infinities included, and a one-epoch run's single map stays one.
func TestEncodeDecode(t *testing.T) {
	r := sample(t)
	data, err := Encode(r)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Generated.Equal(r.Generated) {
		t.Errorf("generated %v, want %v", got.Generated, r.Generated)
	}
	if got.Runs[0].First != got.Runs[0].Last {
		t.Error("the run's one map came back as two")
	}
	for i := range r.Runs {
		for j, p := range r.Runs[i].Network.Params() {
			if !sameBits(got.Runs[i].Network.Params()[j].Value, p.Value) {
				t.Errorf("run %d: %s differs", i, p.Name)
			}
		}
		got.Runs[i].Network, r.Runs[i].Network = nil, nil
	}
	if !sameBits(got.Runs[0].First.Points[1][:], r.Runs[0].First.Points[1][:]) {
		t.Errorf("map points %v, want %v", got.Runs[0].First.Points, r.Runs[0].First.Points)
	}
	if !math.IsNaN(got.Runs[0].History[1].Test.Loss) || !math.IsNaN(got.Runs[0].History[0].Test.ClassAccuracy[4]) {
		t.Error("a NaN in the metrics did not come back")
	}
	// With the NaNs out of the way, everything else compares as values.
	for _, rr := range []*Report{&r, &got} {
		rr.Generated = time.Time{}
		rr.Runs[0].History[1].Test.Loss = 0
		for e := range rr.Runs[0].History {
			rr.Runs[0].History[e].Train.ClassAccuracy[4], rr.Runs[0].History[e].Test.ClassAccuracy[4] = 0, 0
		}
		rr.Runs[0].First.Points[1] = [2]float64{}
	}
	if !reflect.DeepEqual(got, r) {
		t.Errorf("decoded %+v\nwant %+v", got, r)
	}
}

func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// Data of the wrong shape is refused with what is wrong.
func TestDecodeRefusesWrongSizes(t *testing.T) {
	data, err := Encode(sample(t))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, tc := range []struct{ name, from, to, want string }{
		{"not JSON", "{", "[", "report data"},
		{"a tensor short", `"weights":["`, `"weights":["AAAAAAAAAAA=","`, "weight tensors"},
		{"a bad time", `"generated":"2026`, `"generated":"x2026`, "the time"},
		{"a label without a point", `"labels":[3,4]`, `"labels":[3,4,5]`, "3 labels"},
		{"a bad digit", `"label":0,`, `"label":10,`, "example 0"},
	} {
		bad := strings.Replace(text, tc.from, tc.to, 1)
		if bad == text {
			t.Fatalf("%s: %q is not in the encoding", tc.name, tc.from)
		}
		if _, err := Decode([]byte(bad)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one about %q", tc.name, err, tc.want)
		}
	}
}

// A run's best epoch is the results table's.
func TestBestEpochAsTheTable(t *testing.T) {
	for _, errs := range [][]float64{nil, {0.5}, {0.5, 0.3, 0.3, 0.4}, {0.2, 0.1, 0.1}} {
		var h []nn.EpochMetrics
		for i, e := range errs {
			h = append(h, nn.EpochMetrics{Epoch: i + 1, Test: nn.Evaluation{Error: e}})
		}
		if got, want := (Run{History: h}).BestEpoch(), (experiment.Result{History: h}).BestEpoch(); got != want {
			t.Errorf("best epoch of %v: %d, the table says %d", errs, got, want)
		}
	}
}

// BenchmarkEncode encodes three runs of 15 epochs, as the page does before
// handing them to the report's worker. Recorded in the README at commit
// a30d42b (2-core shared machine): gathering and encoding the runs took
// 3 ms natively and 15 ms under WebAssembly.
func BenchmarkEncode(b *testing.B) {
	s := settings.Defaults()
	r := Report{Generated: time.Now()}
	for i := range 3 {
		run := Run{Label: "run", Settings: s, State: "finished", Network: nn.NewHomework(uint64(i)),
			First: &Map{Points: make([][2]float64, 100), Labels: make([]int, 100)}, Last: &Map{Points: make([][2]float64, 100), Labels: make([]int, 100)}}
		for e := 1; e <= 15; e++ {
			run.History = append(run.History, nn.EpochMetrics{Epoch: e})
		}
		r.Runs = append(r.Runs, run)
	}
	var size int
	for b.Loop() {
		data, err := Encode(r)
		if err != nil {
			b.Fatal(err)
		}
		size = len(data)
	}
	b.ReportMetric(float64(size), "bytes")
}
