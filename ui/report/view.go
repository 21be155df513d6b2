package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"convlab/assets"
	"convlab/nn"
	"convlab/ui/settings"
)

// view is what the page shows: every text ready to print (writePage
// escapes it) and every figure written.
type view struct {
	CSP       string
	Title     string
	Intro     string
	Generated string
	Version   string
	Link      string
	LinkNote  string

	Layers     []layerRow
	Params     string
	Optimizers []optimizerRow
	Setup      []setupRow
	Data       []string
	Chart      markup
	Legend     []legendItem
	Results    []resultRow
	Runs       []runView
	Indices    []indexBlock
}

// size estimates the page's length in bytes: its figures and some 40 kB
// of text and tables, so the page is written without growing its buffer
// (which under WebAssembly costs more than writing it).
func (v *view) size() int {
	n := 40_000 + len(style) + len(v.Chart) + 200*len(v.Setup)
	for _, r := range v.Runs {
		n += len(r.Confusion) + len(r.Kernels) + len(r.Activations) + 2_000
		for _, m := range r.Maps {
			n += len(m.SVG) + 500
		}
	}
	for _, ix := range v.Indices {
		n += len(ix.Ranges) + 200
	}
	return n
}

type layerRow struct{ Layer, Output, Params string }

type optimizerRow struct{ Name, Rule string }

type setupRow struct {
	Swatch                                          markup
	Label, Optimizer, LR, Alpha, Rho, Batch, Epochs string
	Train, Test, Seed                               string
}

type legendItem struct {
	Swatch markup
	Label  string
}

type resultRow struct {
	Swatch                                  markup
	Label, State, Epochs, TrainErr, TestErr string
	TestAcc, Best, Time                     string
	Classes                                 [nn.NumClasses]string
}

type runView struct {
	ID, Number           string
	Swatch               markup
	Label, Setup, Status string
	Error                string
	Confusion            markup
	ConfusionCaption     string
	Kernels              markup
	KernelsCaption       string
	Maps                 []mapView
	Activations          markup
	ActivationsCaption   string
	Notes                []string // what the section lacks, and why
}

type mapView struct {
	SVG     markup
	Caption string
}

type indexBlock struct{ Title, Ranges string }

// newView prepares what the page shows but the runs' sections,
// which runSection adds one at a time.
func newView(r Report) *view {
	v := &view{
		CSP:   policy(),
		Title: title(r.Runs), Intro: intro(r.Runs),
		Generated: r.Generated.Format("2 January 2006, 15:04 (UTC-07:00)"), Version: r.Version,
		Link: r.Link, Chart: errorChart(r.Runs), Data: dataSentences(r.Runs), Indices: indexBlocks(r.Runs),
	}
	for _, run := range r.Runs {
		if run.Model != "" {
			v.LinkNote = "Runs that show a model file are not part of the link: it sets up only the runs trained here."
		}
	}
	v.Layers, v.Params = layers()
	v.Optimizers = optimizers(r.Runs)
	for _, run := range r.Runs {
		sw := swatch(run.Colour)
		v.Setup = append(v.Setup, setupOf(run, sw))
		v.Legend = append(v.Legend, legendItem{Swatch: lineSwatch(run.Colour), Label: legendLabel(run)})
		v.Results = append(v.Results, resultOf(run, sw))
	}
	return v
}

// title is the report's heading: the runs by what sets them apart.
func title(runs []Run) string {
	var labels []string
	for _, r := range runs {
		labels = append(labels, r.Label)
	}
	if len(labels) == 0 {
		return "An empty experiment"
	}
	return joinLabels(labels) + " on MNIST"
}

// intro sums the experiment up in a sentence or two.
func intro(runs []Run) string {
	if len(runs) == 0 {
		return "The experiment has no runs."
	}
	s := fmt.Sprintf("%s of the homework network, a small convolutional network trained from scratch in the browser with ConvLab.", count(len(runs), "run", "runs"))
	best := -1
	for i, r := range runs {
		if len(r.History) == 0 {
			continue
		}
		if best < 0 || final(r).Test.Accuracy > final(runs[best]).Test.Accuracy {
			best = i
		}
	}
	if best >= 0 {
		m := final(runs[best])
		s += fmt.Sprintf(" Best test accuracy after the last epoch trained: %s, %s after epoch %d.", runs[best].Label, percent(m.Test.Accuracy), m.Epoch)
	}
	return s
}

// final is the last epoch's metrics of a run that has one.
func final(r Run) nn.EpochMetrics { return r.History[len(r.History)-1] }

// layers lists the homework network's layers with their output shapes and
// parameter counts, counted from the network itself.
func layers() ([]layerRow, string) {
	net := nn.NewHomework(0)
	params := func(name string) string {
		n := 0
		for _, p := range net.Layer(name).Params() {
			n += len(p.Value)
		}
		return thousands(n)
	}
	total := 0
	for _, p := range net.Params() {
		total += len(p.Value)
	}
	return []layerRow{
		{"input: a 28×28 greyscale image", "28×28×1", "–"},
		{"conv1: 4 kernels 5×5, stride 1, same padding, ReLU", "28×28×4", params(nn.LayerConv1)},
		{"max-pool 2×2, stride 2", "14×14×4", "–"},
		{"conv2: 4 kernels 5×5×4, same padding, ReLU", "14×14×4", params(nn.LayerConv2)},
		{"max-pool 2×2, stride 2", "7×7×4", "–"},
		{"flatten", "196", "–"},
		{"dense 49, ReLU: the bottleneck", "49", params(nn.LayerHidden)},
		{"dense 10, softmax; loss: cross-entropy", "10", params(nn.LayerOutput)},
	}, thousands(total)
}

// optimizerRule gives each optimizer's update rule.
var optimizerRule = map[nn.OptimizerKind]string{
	nn.OptimizerSGD:      "w ← w − η·g",
	nn.OptimizerMomentum: "v ← α·v − η·g,  w ← w + v",
	nn.OptimizerRMSProp:  "s ← ρ·s + (1−ρ)·g²,  w ← w − η·g / (√s + ε),  ε = " + strconv.FormatFloat(nn.DefaultEpsilon, 'g', -1, 64),
}

// optimizers lists the update rules of the optimizers the runs use, in
// the settings' order.
func optimizers(runs []Run) []optimizerRow {
	f, _ := settings.FieldByKey("opt")
	used := map[nn.OptimizerKind]bool{}
	for _, r := range runs {
		if r.Model == "" {
			used[r.Settings.Optimizer] = true
		}
	}
	var out []optimizerRow
	for i, kind := range nn.OptimizerKinds() {
		if used[kind] {
			out = append(out, optimizerRow{Name: f.Labels[i], Rule: optimizerRule[kind]})
		}
	}
	return out
}

// setting formats the setting with URL key key of s as the dashboard
// shows it, or "–" for a setting the run's optimizer does not use.
func setting(s settings.Settings, key string) string {
	f, _ := settings.FieldByKey(key)
	if f.UsedBy != 0 && f.UsedBy != s.Optimizer {
		return "–"
	}
	return f.Display(f.Get(s))
}

func setupOf(r Run, sw markup) setupRow {
	s := r.Settings
	if r.Model != "" {
		return setupRow{Swatch: sw, Label: r.Label, Optimizer: "model file " + r.Model,
			LR: "–", Alpha: "–", Rho: "–", Batch: "–", Epochs: "–", Train: "–", Test: "–", Seed: "–"}
	}
	return setupRow{Swatch: sw, Label: r.Label, Optimizer: setting(s, "opt"), LR: setting(s, "lr"),
		Alpha: setting(s, "alpha"), Rho: setting(s, "rho"), Batch: setting(s, "batch"), Epochs: setting(s, "epochs"),
		Train: fmt.Sprintf("%s (%s a digit)", thousands(s.TrainSize()), settings.PerClass(s.TrainPerClass)),
		Test:  fmt.Sprintf("%s (%s a digit)", thousands(s.TestSize()), settings.PerClass(s.TestPerClass)),
		Seed:  setting(s, "seed")}
}

// legendLabel names a run in the chart's legend, saying why it has no
// curve when it has none.
func legendLabel(r Run) string {
	if len(r.History) == 0 {
		return r.Label + " (no epoch finished)"
	}
	return r.Label
}

func resultOf(r Run, sw markup) resultRow {
	row := resultRow{Swatch: sw, Label: r.Label, State: r.State, Time: fmt.Sprintf("%.1f s", r.WallSeconds),
		TrainErr: "–", TestErr: "–", TestAcc: "–", Best: "–", Epochs: "0"}
	for c := range row.Classes {
		row.Classes[c] = "–"
	}
	if r.Model == "" {
		row.Epochs = fmt.Sprintf("%d of %d", len(r.History), r.Settings.Epochs)
	} else {
		row.Epochs, row.Time = "–", "–"
	}
	if len(r.History) == 0 {
		return row
	}
	m := final(r)
	row.TrainErr, row.TestErr, row.TestAcc = percent(m.Train.Error), percent(m.Test.Error), percent(m.Test.Accuracy)
	b := r.BestEpoch()
	row.Best = fmt.Sprintf("%d (%s)", b, percent(r.History[b-1].Test.Error))
	for c, a := range m.Test.ClassAccuracy {
		if !math.IsNaN(a) {
			row.Classes[c] = fmt.Sprintf("%.0f", 100*a) // the heading says %: narrow enough for a phone
		}
	}
	return row
}

// dataSentences says which MNIST images the runs trained and tested on.
func dataSentences(runs []Run) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, r := range runs {
		if r.Model != "" {
			continue
		}
		s := r.Settings
		add(fmt.Sprintf("Training: %s in MNIST's training file (train-images-idx3-ubyte), %s in all, in the file's order, reshuffled every epoch from the seed.",
			firstOfEach(s.TrainPerClass), thousands(s.TrainSize())))
		add(fmt.Sprintf("Test: %s in MNIST's test file (t10k-images-idx3-ubyte), %s in all.",
			firstOfEach(s.TestPerClass), thousands(s.TestSize())))
	}
	if len(out) > 0 {
		out = append(out, "Appendix A lists every image by its index in its file (counting from 0).")
	}
	return out
}

// indexBlocks lists, once for each set used, the MNIST indices of its
// images.
func indexBlocks(runs []Run) []indexBlock {
	var out []indexBlock
	seen := map[string]bool{}
	for _, r := range runs {
		if r.Model != "" {
			continue
		}
		for _, set := range []struct {
			file     string
			perClass int
			indices  []int
		}{
			{"training", r.Settings.TrainPerClass, r.TrainIndices},
			{"test", r.Settings.TestPerClass, r.TestIndices},
		} {
			which := fmt.Sprintf("the first %d of each digit", set.perClass)
			if set.perClass == assets.AllPerClass {
				which = "every image"
			}
			t := fmt.Sprintf("%s: %s (%s images)", set.file, which, thousands(len(set.indices)))
			if seen[t] || len(set.indices) == 0 {
				continue
			}
			seen[t] = true
			out = append(out, indexBlock{Title: strings.ToUpper(t[:1]) + t[1:], Ranges: ranges(set.indices)})
		}
	}
	return out
}

// ranges writes indices compactly: runs of consecutive numbers as
// "first–last", the rest one by one, in the given order.
func ranges(indices []int) string {
	var b strings.Builder
	for i := 0; i < len(indices); {
		j := i
		for j+1 < len(indices) && indices[j+1] == indices[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(indices[i]))
		if j > i {
			b.WriteString("–" + strconv.Itoa(indices[j]))
		}
		i = j + 1
	}
	return b.String()
}

// percent formats a fraction as a percentage with one decimal, or "–"
// for a diverged run's NaN.
func percent(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100*f)
}

// thousands writes n with commas between groups of three digits, as
// 10,661.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(",")
		}
		b.WriteRune(c)
	}
	return b.String()
}

// count writes n with its noun, singular or plural.
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// firstOfEach says which images of a file a run with perClass of each
// digit uses.
func firstOfEach(perClass int) string {
	if perClass == assets.AllPerClass {
		return "every image of each digit"
	}
	return fmt.Sprintf("the first %d images of each digit", perClass)
}
