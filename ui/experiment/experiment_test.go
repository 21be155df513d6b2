package experiment

import (
	"encoding/csv"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"convlab/nn"
	"convlab/ui/settings"
)

func TestPresetsShareTheSeedAndVaryOneThing(t *testing.T) {
	base := settings.Defaults()
	base.Seed = 42
	base.LearningRate = 0.03 // a preset restores the homework's η
	tests := []struct {
		key    string
		labels []string
	}{
		{"optimizers", []string{"SGD", "Momentum", "RMSProp"}},
		{"batch", []string{"batch 1", "batch 10", "batch 50", "batch 100"}},
		{"epochs", []string{"Momentum"}},
	}
	for _, tc := range tests {
		p, ok := PresetByKey(tc.key)
		if !ok {
			t.Fatalf("no preset %q", tc.key)
		}
		runs := p.Runs(base)
		for _, s := range runs {
			if s.Seed != 42 || s.LearningRate != 0.001 {
				t.Errorf("%s: run %+v does not keep the seed or use the homework's η", tc.key, s)
			}
			if got, problems := settings.FromQuery(s.Query()); len(problems) > 0 || got != s {
				t.Errorf("%s: run %+v is outside the settings' limits: %v", tc.key, s, problems)
			}
		}
		if got := strings.Join(Labels(runs), ","); got != strings.Join(tc.labels, ",") {
			t.Errorf("%s: labels %s, want %s", tc.key, got, strings.Join(tc.labels, ","))
		}
	}
}

func TestBatchPresetFitsASmallTrainingSet(t *testing.T) {
	base := settings.Defaults()
	base.TrainPerClass = 10 // 100 images: batch 100 still fits
	p, _ := PresetByKey("batch")
	for _, s := range p.Runs(base) {
		if s.BatchSize > s.TrainSize() {
			t.Errorf("batch %d larger than the %d training images", s.BatchSize, s.TrainSize())
		}
	}
}

func TestLabels(t *testing.T) {
	d := settings.Defaults()
	with := func(change func(*settings.Settings)) settings.Settings {
		s := d
		change(&s)
		return s
	}
	tests := []struct {
		name string
		runs []settings.Settings
		want []string
	}{
		{"lone run", []settings.Settings{d}, []string{"Momentum"}},
		{"learning rates", []settings.Settings{d, with(func(s *settings.Settings) { s.LearningRate = 0.01 })},
			[]string{"η 0.001", "η 0.01"}},
		{"two differences", []settings.Settings{d, with(func(s *settings.Settings) { s.Optimizer = nn.OptimizerSGD; s.BatchSize = 50 })},
			[]string{"Momentum · batch 10", "SGD · batch 50"}},
		{"ρ only among RMSProp runs", []settings.Settings{
			with(func(s *settings.Settings) { s.Optimizer = nn.OptimizerRMSProp }),
			with(func(s *settings.Settings) { s.Optimizer = nn.OptimizerRMSProp; s.Rho = 0.99 }),
			with(func(s *settings.Settings) { s.Momentum = 0.5 }),
		}, []string{"RMSProp · ρ 0.9", "RMSProp · ρ 0.99", "Momentum"}},
		{"identical runs numbered", []settings.Settings{d, d}, []string{"Momentum", "Momentum (2)"}},
	}
	for _, tc := range tests {
		if got := Labels(tc.runs); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestFromQuery(t *testing.T) {
	tests := []struct {
		query    string
		runs     int
		problems int
		check    func([]settings.Settings) bool
	}{
		{"", 1, 0, func(r []settings.Settings) bool { return r[0] == settings.Defaults() }},
		{"compare=optimizers&seed=7", 3, 0, func(r []settings.Settings) bool { return r[2].Optimizer == nn.OptimizerRMSProp && r[2].Seed == 7 }},
		{"compare=Batch", 4, 0, func(r []settings.Settings) bool { return r[0].BatchSize == 1 }},
		{"compare=adam", 1, 1, func(r []settings.Settings) bool { return r[0] == settings.Defaults() }},
		{"run=opt:sgd&run=opt:rmsprop,lr:0.01&run=", 3, 0, func(r []settings.Settings) bool {
			return r[0].Optimizer == nn.OptimizerSGD && r[1].LearningRate == 0.01 && r[2] == settings.Defaults()
		}},
		{"run=opt:sgd&run=lr:9&run=bogus", 2, 2, func(r []settings.Settings) bool { return r[1].LearningRate == 0.001 }},
		{"run=opt:sgd&compare=batch", 1, 1, func(r []settings.Settings) bool { return r[0].Optimizer == nn.OptimizerSGD }},
		{strings.Repeat("run=&", MaxRuns+2), MaxRuns, 1, func([]settings.Settings) bool { return true }},
	}
	for _, tc := range tests {
		q, _ := url.ParseQuery(tc.query)
		runs, problems := FromQuery(q)
		if len(runs) != tc.runs || len(problems) != tc.problems || !tc.check(runs) {
			t.Errorf("%q: %d runs %+v, problems %v; want %d runs and %d problems", tc.query, len(runs), runs, problems, tc.runs, tc.problems)
		}
		for _, p := range problems {
			if !strings.Contains(p.Error(), "want") && !strings.Contains(p.Error(), "at most") && !strings.Contains(p.Error(), "already") {
				t.Errorf("%q: problem %q does not say what is accepted", tc.query, p.Error())
			}
		}
	}
}

func TestQueryRoundTrip(t *testing.T) {
	p, _ := PresetByKey("optimizers")
	for _, runs := range [][]settings.Settings{{settings.Defaults()}, p.Runs(settings.Defaults())} {
		got, problems := FromQuery(Query(runs))
		if len(problems) != 0 || len(got) != len(runs) {
			t.Fatalf("round trip of %d runs gave %d, problems %v", len(runs), len(got), problems)
		}
		for i := range runs {
			if got[i] != runs[i] {
				t.Errorf("run %d: %+v, want %+v", i, got[i], runs[i])
			}
		}
	}
}

func TestAdmitNeverExceedsTheLimit(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 2000; trial++ {
		limit := 1 + rng.IntN(4)
		slots := make([]Slot, 1+rng.IntN(MaxRuns))
		running := 0
		for i := range slots {
			s := Slot{Wanted: rng.IntN(2) == 0, Done: rng.IntN(4) == 0}
			if !s.Done && running < limit && rng.IntN(3) == 0 {
				s.Running = true
				running++
			}
			slots[i] = s
		}
		start := Admit(slots, limit)
		waiting := 0
		for _, s := range slots {
			if s.Waiting() {
				waiting++
			}
		}
		if running+len(start) > limit || len(start) != min(waiting, limit-running) {
			t.Fatalf("slots %+v limit %d: started %v", slots, limit, start)
		}
		for _, i := range start {
			if !slots[i].Waiting() {
				t.Fatalf("started run %d that was not waiting: %+v", i, slots[i])
			}
		}
	}
	if Concurrency(2) != 1 || Concurrency(1) != 1 || Concurrency(8) != 7 {
		t.Error("Concurrency should leave one processor for the page, and allow at least one run")
	}
}

func sampleResults() []Result {
	ep := func(e int, trainErr, testErr float64) nn.EpochMetrics {
		return nn.EpochMetrics{Epoch: e, Train: nn.Evaluation{Loss: trainErr * 3, Error: trainErr, Accuracy: 1 - trainErr},
			Test: nn.Evaluation{Loss: testErr * 3, Error: testErr, Accuracy: 1 - testErr}}
	}
	sgd, rms := settings.Defaults(), settings.Defaults()
	sgd.Optimizer, rms.Optimizer = nn.OptimizerSGD, nn.OptimizerRMSProp
	return []Result{
		{Label: "SGD", Settings: sgd, History: []nn.EpochMetrics{ep(1, 0.8, 0.85), ep(2, 0.6, 0.62)}, WallSeconds: 4, ImagesPerSecond: 900},
		{Label: "RMSProp", Settings: rms, History: []nn.EpochMetrics{ep(1, 0.2, 0.1), ep(2, 0.1, 0.1/3)}, WallSeconds: 3, ImagesPerSecond: 1100},
		{Label: "Momentum", Settings: settings.Defaults()},
	}
}

func TestSortOrder(t *testing.T) {
	rows := sampleResults()
	titles := map[string]int{}
	for i, c := range Columns() {
		titles[c.Title] = i
	}
	tests := []struct {
		col  string
		desc bool
		want string
	}{
		{"run", false, "2,1,0"},      // Momentum, RMSProp, SGD
		{"test err", false, "1,0,2"}, // the run without an epoch sorts last
		{"test acc", true, "1,0,2"},  // last either way
		{"img/s", true, "1,0,2"},
		{"best epoch", false, "0,1,2"}, // ties keep their order
	}
	for _, tc := range tests {
		var got []string
		for _, i := range SortOrder(rows, titles[tc.col], tc.desc) {
			got = append(got, strconv.Itoa(i))
		}
		if strings.Join(got, ",") != tc.want {
			t.Errorf("sort by %s (desc %v): %v, want %s", tc.col, tc.desc, got, tc.want)
		}
	}
	if got := SortOrder(rows, 99, false); len(got) != 3 || got[0] != 0 || got[2] != 2 {
		t.Errorf("an unknown column changed the order: %v", got)
	}
}

func TestCells(t *testing.T) {
	rows := sampleResults()
	var cells []string
	for _, c := range Columns() {
		cells = append(cells, c.Cell(rows[1]))
	}
	want := "RMSProp|RMSProp|0.001|10|15|10.0%|3.3%|96.7%|2|3.0 s|1100"
	if got := strings.Join(cells, "|"); got != want {
		t.Errorf("cells %s, want %s", got, want)
	}
	if c := Columns()[6].Cell(rows[2]); c != "–" {
		t.Errorf("a run without an epoch shows %q, want –", c)
	}
}

func TestCSV(t *testing.T) {
	rows := sampleResults()
	records, err := csv.NewReader(strings.NewReader(CSV(rows))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 1+2+2 { // header, two epochs of two runs, none of the third
		t.Fatalf("%d records, want 5", len(records))
	}
	header := records[0]
	for _, r := range records {
		if len(r) != len(header) {
			t.Fatalf("record %v has %d fields, header %d", r, len(r), len(header))
		}
	}
	if !strings.Contains(strings.Join(header, ","), "test_error_fraction") {
		t.Errorf("header %v does not give units", header)
	}
	last := records[4]
	testErr, _ := strconv.ParseFloat(last[16], 64)
	if last[0] != "2" || last[1] != "RMSProp" || last[11] != "2" || testErr != 0.1/3 {
		t.Errorf("last record %v; want run 2, RMSProp, epoch 2, test error exactly 0.1/3", last)
	}
}

// Each layer's gradient RMS and update ratio have a column of their own,
// named after the layer, holding the epoch's exact figures; a layer the
// metrics lack is an empty cell.
func TestCSVLayerColumns(t *testing.T) {
	rows := sampleResults()[:1]
	rows[0].History = rows[0].History[:1]
	rows[0].History[0].Layers = []nn.LayerStats{
		{Layer: nn.LayerConv1, GradRMS: 0.07, UpdateRatio: 1.0 / 3}, {Layer: nn.LayerHidden, GradRMS: 2e-5, UpdateRatio: 0.125},
		{Layer: nn.LayerConv2, GradRMS: 0.5, UpdateRatio: 1e-9},
	}
	records, err := csv.NewReader(strings.NewReader(CSV(rows))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 2 {
		t.Fatalf("%d records, want a header and one epoch", len(records))
	}
	cell := map[string]string{}
	for i, name := range records[0] {
		cell[name] = records[1][i]
	}
	want := map[string]string{
		"conv1_gradient_rms": "0.07", "conv1_update_ratio": "0.3333333333333333",
		"conv2_gradient_rms": "0.5", "conv2_update_ratio": "1e-09",
		"hidden_gradient_rms": "2e-05", "hidden_update_ratio": "0.125",
		"output_gradient_rms": "", "output_update_ratio": "",
	}
	for name, w := range want {
		if got, ok := cell[name]; !ok || got != w {
			t.Errorf("column %s: %q (present %v), want %q", name, got, ok, w)
		}
	}
}

// compare= in the URL selects the run the preset shows first, as
// compare() does; run= lists and no preset select the first run.
func TestShownRun(t *testing.T) {
	for query, want := range map[string]int{
		"compare=optimizers": 2, "compare=batch": 1, "compare=epochs": 0, "compare=nonsense": 0,
		"compare=optimizers&run=opt:sgd": 0, "": 0,
	} {
		q, _ := url.ParseQuery(query)
		runs, _ := FromQuery(q)
		if got := ShownRun(q); got != want || got >= len(runs) {
			t.Errorf("%q: run %d of %d shown first, want %d", query, got, len(runs), want)
		}
	}
}
