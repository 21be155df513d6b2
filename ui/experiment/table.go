package experiment

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"convlab/nn"
	"convlab/ui/settings"
)

// Result is what the results table and the CSV read of one run.
type Result struct {
	Label           string
	Settings        settings.Settings
	State           string            // as status() names it: idle, queued, running, …
	History         []nn.EpochMetrics // per completed epoch, oldest first
	WallSeconds     float64           // wall-clock time spent training
	ImagesPerSecond float64           // as the user saw it
}

// final returns the last epoch's metrics, if any.
func (r Result) final() (nn.EpochMetrics, bool) {
	if len(r.History) == 0 {
		return nn.EpochMetrics{}, false
	}
	return r.History[len(r.History)-1], true
}

// BestEpoch is the first epoch with the lowest test error, or 0 before
// the first epoch ends.
func (r Result) BestEpoch() int {
	return nn.BestEpoch(r.History)
}

// Column is one column of the results table.
type Column struct {
	Title string // in full, as the CSV and the report name the column
	Short string // for a narrow table; empty if Title is short already
	// key orders rows by this column; ok is false where the run has no
	// value yet (such rows sort last either way). Text columns have no key
	// and sort by their text.
	key  func(Result) (v float64, ok bool)
	text func(Result) string
}

// Cell is the column's entry for r.
func (c Column) Cell(r Result) string { return c.text(r) }

// Columns returns the results table's columns: run, optimizer, η, batch,
// epochs, final train and test error, test accuracy, best epoch, wall time
// and images per second. Columns that need a finished epoch show "–"
// before it.
func Columns() []Column {
	metric := func(title, short string, get func(nn.EpochMetrics) float64) Column {
		return Column{Title: title, Short: short,
			key: func(r Result) (float64, bool) {
				m, ok := r.final()
				return get(m), ok
			},
			text: func(r Result) string {
				if m, ok := r.final(); ok {
					return fmt.Sprintf("%.1f%%", 100*get(m))
				}
				return "–"
			}}
	}
	number := func(title, short string, get func(Result) float64, format func(float64) string) Column {
		return Column{Title: title, Short: short, key: func(r Result) (float64, bool) { return get(r), true },
			text: func(r Result) string { return format(get(r)) }}
	}
	whole := func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) }
	return []Column{
		{Title: "run", text: func(r Result) string { return r.Label }},
		{Title: "optimizer", text: func(r Result) string {
			f, _ := settings.FieldByKey("opt")
			return f.Display(f.Get(r.Settings))
		}},
		number("η", "", func(r Result) float64 { return r.Settings.LearningRate }, func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }),
		number("batch", "", func(r Result) float64 { return float64(r.Settings.BatchSize) }, whole),
		number("epochs", "ep", func(r Result) float64 { return float64(r.Settings.Epochs) }, whole),
		metric("train err", "train", func(m nn.EpochMetrics) float64 { return m.Train.Error }),
		metric("test err", "test", func(m nn.EpochMetrics) float64 { return m.Test.Error }),
		metric("test acc", "acc", func(m nn.EpochMetrics) float64 { return m.Test.Accuracy }),
		{Title: "best epoch", Short: "best", key: func(r Result) (float64, bool) { return float64(r.BestEpoch()), r.BestEpoch() > 0 }, text: func(r Result) string {
			if b := r.BestEpoch(); b > 0 {
				return strconv.Itoa(b)
			}
			return "–"
		}},
		number("time", "", func(r Result) float64 { return r.WallSeconds }, func(v float64) string { return fmt.Sprintf("%.1f s", v) }),
		number("img/s", "", func(r Result) float64 { return r.ImagesPerSecond }, whole),
	}
}

// SortOrder returns the rows' indices ordered by column col, ascending or
// descending; ties keep the rows' order. An out-of-range column keeps the
// rows' order.
func SortOrder(rows []Result, col int, descending bool) []int {
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	cols := Columns()
	if col < 0 || col >= len(cols) {
		return order
	}
	c := cols[col]
	slices.SortStableFunc(order, func(a, b int) int {
		if c.key == nil {
			return flip(strings.Compare(c.text(rows[a]), c.text(rows[b])), descending)
		}
		ka, okA := c.key(rows[a])
		kb, okB := c.key(rows[b])
		if !okA || !okB {
			return cmp.Compare(boolInt(!okA), boolInt(!okB)) // a missing value sorts last
		}
		return flip(cmp.Compare(ka, kb), descending)
	})
	return order
}

func flip(d int, descending bool) int {
	if descending {
		return -d
	}
	return d
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// csvHeader names the CSV's columns with their units: losses are mean
// cross-entropies in nats, errors and accuracies fractions in [0, 1];
// then, per parameterised layer, the epoch's gradient RMS and update
// ratio (nn.LayerStats: <layer>_gradient_rms, <layer>_update_ratio).
func csvHeader() []string {
	h := []string{"run", "label", "optimizer", "learning_rate", "momentum_alpha", "rmsprop_rho", "batch_size",
		"epochs", "train_per_class", "test_per_class", "seed", "epoch",
		"train_loss_nats", "train_error_fraction", "train_accuracy_fraction",
		"test_loss_nats", "test_error_fraction", "test_accuracy_fraction"}
	for _, l := range csvLayers {
		h = append(h, l+"_gradient_rms", l+"_update_ratio")
	}
	return h
}

// csvLayers are the homework network's parameterised layers, the CSV's
// per-layer columns in order.
var csvLayers = [...]string{nn.LayerConv1, nn.LayerConv2, nn.LayerHidden, nn.LayerOutput}

// layerCells returns an epoch's per-layer columns, empty where the
// metrics lack a layer.
func layerCells(m nn.EpochMetrics, g func(float64) string) []string {
	cells := make([]string, 0, 2*len(csvLayers))
	for _, name := range csvLayers {
		rms, ratio := "", ""
		for _, l := range m.Layers {
			if l.Layer == name {
				rms, ratio = g(l.GradRMS), g(l.UpdateRatio)
			}
		}
		cells = append(cells, rms, ratio)
	}
	return cells
}

// CSV writes the per-epoch metrics of every run: a header, then one row
// per run per completed epoch, runs numbered from 1 in the given order.
// Numbers are written in Go's shortest exact form, so the file reads back
// bit for bit.
func CSV(runs []Result) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write(csvHeader()) // a strings.Builder does not fail
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for i, r := range runs {
		s := r.Settings
		for _, m := range r.History {
			row := []string{strconv.Itoa(i + 1), r.Label, s.Optimizer.String(), g(s.LearningRate), g(s.Momentum), g(s.Rho),
				strconv.Itoa(s.BatchSize), strconv.Itoa(s.Epochs), settings.PerClass(s.TrainPerClass), settings.PerClass(s.TestPerClass),
				strconv.FormatUint(s.Seed, 10), strconv.Itoa(m.Epoch),
				g(m.Train.Loss), g(m.Train.Error), g(m.Train.Accuracy), g(m.Test.Loss), g(m.Test.Error), g(m.Test.Accuracy)}
			_ = w.Write(append(row, layerCells(m, g)...))
		}
	}
	w.Flush()
	return b.String()
}
