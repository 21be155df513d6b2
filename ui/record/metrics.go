package record

import (
	"fmt"
	"slices"

	"convlab/nn"
)

// The metrics of an epoch are written by the tables below, one entry per
// field of nn.EpochMetrics and nn.Evaluation: its key, how it is written
// and how it is read and checked. A field added to those types is one
// entry here; TestEveryMetricsFieldRoundTrips fills every field by
// reflection and fails until it has one.

// field keeps one field of a T.
type field[T any] struct {
	key  string
	put  func(w *writer, v *T)
	take func(o *object, v *T, sizes sizes)
}

// sizes are what the run's settings say a record's lists hold.
type sizes struct {
	train, test int // images
}

var epochMetricsFields = []field[nn.EpochMetrics]{
	{"epoch", func(w *writer, m *nn.EpochMetrics) { w.int(int64(m.Epoch)) },
		func(o *object, m *nn.EpochMetrics, _ sizes) { m.Epoch = int(o.int("epoch", 1, maxEpochs)) }},
	{"train", func(w *writer, m *nn.EpochMetrics) { putEvaluation(w, &m.Train) },
		func(o *object, m *nn.EpochMetrics, s sizes) { m.Train = takeEvaluation(o, "train", s.train) }},
	{"test", func(w *writer, m *nn.EpochMetrics) { putEvaluation(w, &m.Test) },
		func(o *object, m *nn.EpochMetrics, s sizes) { m.Test = takeEvaluation(o, "test", s.test) }},
	{"layers", func(w *writer, m *nn.EpochMetrics) {
		w.open('[')
		for i := range m.Layers {
			w.sep()
			putFields(w, &m.Layers[i], layerStatsFields)
		}
		w.close(']')
	}, func(o *object, m *nn.EpochMetrics, _ sizes) { m.Layers = takeLayers(o, "layers") }},
}

// layerStatsFields keep one layer's nn.LayerStats. The figures may be NaN
// or +Inf (a diverging run's), never negative.
var layerStatsFields = []field[nn.LayerStats]{
	{"layer", func(w *writer, l *nn.LayerStats) { w.str(l.Layer) },
		func(o *object, l *nn.LayerStats, _ sizes) { l.Layer = o.str("layer", 16) }},
	{"gradientRMS", func(w *writer, l *nn.LayerStats) { w.float(l.GradRMS) },
		func(o *object, l *nn.LayerStats, _ sizes) { l.GradRMS = notNegative(o, "gradientRMS") }},
	{"updateRatio", func(w *writer, l *nn.LayerStats) { w.float(l.UpdateRatio) },
		func(o *object, l *nn.LayerStats, _ sizes) { l.UpdateRatio = notNegative(o, "updateRatio") }},
}

// takeLayers reads an epoch's per-layer figures: at most one entry per
// layer with parameters, each naming a different one.
func takeLayers(o *object, key string) []nn.LayerStats {
	names := []string{nn.LayerConv1, nn.LayerConv2, nn.LayerHidden, nn.LayerOutput}
	var out []nn.LayerStats
	for i, raw := range o.list(key, len(names)) {
		var l nn.LayerStats
		path := fmt.Sprintf("%s.%s[%d]", o.path, key, i)
		takeFields(readObject(raw, path, o.err, keysOf(layerStatsFields)...), &l, layerStatsFields, sizes{})
		if *o.err != nil {
			return nil
		}
		if !contains(names, l.Layer) || slices.ContainsFunc(out, func(p nn.LayerStats) bool { return p.Layer == l.Layer }) {
			o.fail(key, fmt.Errorf("entry %d: layer %q is not one of %v, or comes twice", i, l.Layer, names))
			return nil
		}
		out = append(out, l)
	}
	return out
}

// notNegative reads a float that is ≥ 0, +Inf or NaN.
func notNegative(o *object, key string) float64 {
	v := o.float(key)
	if v < 0 {
		o.fail(key, fmt.Errorf("%v is negative", v))
		return 0
	}
	return v
}

// evaluationFields keep an nn.Evaluation of a set of sizes.train images
// (the table is shared by the training and the test set: sizes.train is
// the set's size here).
var evaluationFields = []field[nn.Evaluation]{
	{"loss", func(w *writer, e *nn.Evaluation) { w.float(e.Loss) },
		func(o *object, e *nn.Evaluation, _ sizes) { e.Loss = o.float("loss") }},
	{"error", func(w *writer, e *nn.Evaluation) { w.float(e.Error) },
		func(o *object, e *nn.Evaluation, _ sizes) { e.Error = fraction(o, "error", false) }},
	{"accuracy", func(w *writer, e *nn.Evaluation) { w.float(e.Accuracy) },
		func(o *object, e *nn.Evaluation, _ sizes) { e.Accuracy = fraction(o, "accuracy", false) }},
	{"confusion", func(w *writer, e *nn.Evaluation) {
		flat := make([]int, 0, nn.NumClasses*nn.NumClasses)
		for _, row := range e.Confusion {
			flat = append(flat, row[:]...)
		}
		w.ints(flat)
	}, func(o *object, e *nn.Evaluation, s sizes) {
		flat := o.ints("confusion", nn.NumClasses*nn.NumClasses, nn.NumClasses*nn.NumClasses, 0, s.train)
		if flat == nil {
			return
		}
		total := 0
		for i := range e.Confusion {
			for j := range e.Confusion[i] {
				e.Confusion[i][j] = flat[i*nn.NumClasses+j]
				total += e.Confusion[i][j]
			}
		}
		if total != s.train {
			o.fail("confusion", fmt.Errorf("counts %d images, the set has %d", total, s.train))
		}
	}},
	{"classAccuracy", func(w *writer, e *nn.Evaluation) { w.floats(e.ClassAccuracy[:]) },
		func(o *object, e *nn.Evaluation, _ sizes) {
			v := o.floats("classAccuracy", nn.NumClasses)
			for i, a := range v {
				if !(a >= 0 && a <= 1) && a == a { // NaN: a class without images
					o.fail("classAccuracy", fmt.Errorf("class %d: %v is not a fraction", i, a))
					return
				}
				e.ClassAccuracy[i] = a
			}
		}},
	{"predicted", func(w *writer, e *nn.Evaluation) { w.ints(e.Predicted) },
		func(o *object, e *nn.Evaluation, s sizes) {
			e.Predicted = o.ints("predicted", s.train, s.train, 0, nn.NumClasses-1)
		}},
}

// maxEpochs bounds an epoch number (settings allow far fewer).
const maxEpochs = 1000

func putEvaluation(w *writer, e *nn.Evaluation) { putFields(w, e, evaluationFields) }

func takeEvaluation(o *object, key string, images int) nn.Evaluation {
	var e nn.Evaluation
	takeFields(o.child(key, keysOf(evaluationFields)...), &e, evaluationFields, sizes{train: images})
	return e
}

// putFields writes v as an object of its table's fields.
func putFields[T any](w *writer, v *T, fields []field[T]) {
	w.open('{')
	for _, f := range fields {
		w.key(f.key)
		f.put(w, v)
	}
	w.close('}')
}

// takeFields reads every field of the table from o into v.
func takeFields[T any](o *object, v *T, fields []field[T], s sizes) {
	for _, f := range fields {
		f.take(o, v, s)
	}
}

func keysOf[T any](fields []field[T]) []string {
	keys := make([]string, len(fields))
	for i, f := range fields {
		keys[i] = f.key
	}
	return keys
}

// fraction reads a float in [0, 1] (or NaN when nan allows it).
func fraction(o *object, key string, nan bool) float64 {
	v := o.float(key)
	if !(v >= 0 && v <= 1) && !(nan && v != v) {
		o.fail(key, fmt.Errorf("%v is not a fraction in [0, 1]", v))
		return 0
	}
	return v
}
