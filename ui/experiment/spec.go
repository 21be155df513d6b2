// Package experiment describes several training runs side by side — the
// homework's comparisons of optimizers, mini-batch sizes and epochs — and
// what is read off them: each run's name by what sets it apart, the
// experiment's form in a URL, the results table and the CSV of per-epoch
// metrics. It draws nothing and trains nothing: a run's settings go in,
// its per-epoch metrics come back through the Result interface.
package experiment

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"convlab/nn"
	"convlab/ui/settings"
)

// MaxRuns bounds an experiment: each run trains in a Web Worker of its
// own with a copy of the program, and a results table or a chart legend
// of more than six runs no longer reads at a glance on a projector.
const MaxRuns = 6

// Preset is one of the homework's comparisons, a click away.
type Preset struct {
	Key   string // as in the URL's compare= and convlab.compare()
	Title string // the button's label
	// runs returns the preset's runs built on base (seed, data sizes and
	// epochs come from base unless the preset varies them).
	runs func(base settings.Settings) []settings.Settings
	// Show is the index among Runs of the run selected once the preset
	// is set up: the one a teacher would put on the projector first,
	// the run whose maps, clusters and pad answers show a network that
	// has learned (RMSProp at the homework's η reaches 99% in 15 epochs
	// where SGD stays near 68%), or the batch size of the dashboard's
	// default (10), from which the others differ. "50 epochs" selects the
	// run it adds.
	Show int
}

// Runs returns the preset's runs built on base.
func (p Preset) Runs(base settings.Settings) []settings.Settings { return p.runs(base) }

// Presets returns the homework's comparisons:
//   - optimizers: SGD, Momentum and RMSProp with the homework's η = 0.001,
//     α = ρ = 0.9;
//   - batch: mini-batches of 1, 10, 50 and 100 images with Momentum;
//   - epochs: one Momentum run of 50 epochs. Runs with one seed see the
//     same images in the same order whatever their length, so a shorter
//     run is exactly the start of this one: its curve shows what any
//     number of epochs up to 50 gives, and the results table's best epoch
//     says where more stopped helping.
//
// Every run of a preset shares base's seed, so the comparison is fair:
// the same initial weights and the same order of images.
func Presets() []Preset {
	homework := func(base settings.Settings, opt nn.OptimizerKind) settings.Settings {
		d := settings.Defaults()
		s := base
		s.Optimizer, s.LearningRate, s.Momentum, s.Rho = opt, d.LearningRate, d.Momentum, d.Rho
		return s
	}
	return []Preset{
		{Key: "optimizers", Title: "3 optimizers", runs: func(base settings.Settings) []settings.Settings {
			var out []settings.Settings
			for _, opt := range nn.OptimizerKinds() {
				out = append(out, homework(base, opt))
			}
			return out
		}, Show: slices.Index(nn.OptimizerKinds(), nn.OptimizerRMSProp)},
		{Key: "batch", Title: "4 batch sizes", Show: 1, runs: func(base settings.Settings) []settings.Settings {
			var out []settings.Settings
			for _, b := range []int{1, 10, 50, 100} {
				s := homework(base, nn.OptimizerMomentum)
				s.BatchSize = min(b, s.TrainSize())
				out = append(out, s)
			}
			return out
		}},
		{Key: "epochs", Title: "50 epochs", runs: func(base settings.Settings) []settings.Settings {
			s := homework(base, nn.OptimizerMomentum)
			s.Epochs = 50
			return []settings.Settings{s}
		}},
	}
}

// PresetByKey returns the preset with the given key.
func PresetByKey(key string) (Preset, bool) {
	for _, p := range Presets() {
		if p.Key == key {
			return p, true
		}
	}
	return Preset{}, false
}

// PresetKeys lists the presets' keys, for messages.
func PresetKeys() []string {
	var keys []string
	for _, p := range Presets() {
		keys = append(keys, p.Key)
	}
	return keys
}

// FromQuery reads an experiment from a URL query: the settings keys give
// the base run (see settings.Apply), then either compare=<preset> sets up
// a preset's runs on it, or run= keys list runs, one each, as a
// comma-separated list of key:value changes to the base, such as
// run=opt:sgd&run=opt:rmsprop,lr:0.01 (an empty run= is the base itself).
// Without either the experiment is the base run alone. What cannot be used
// is reported as a settings.Problem and left out; an experiment always
// has at least one run.
func FromQuery(q url.Values) ([]settings.Settings, []settings.Problem) {
	base, problems := settings.FromQuery(q)
	compare, runs := q.Get("compare"), q["run"]
	switch {
	case len(runs) > 0:
		if compare != "" {
			problems = append(problems, settings.Problem{Key: "compare", Value: compare,
				Reason: "run= lists the runs already", Outcome: "using the run= list"})
		}
		list, more := parseRuns(base, runs)
		return list, append(problems, more...)
	case compare != "":
		p, ok := PresetByKey(strings.ToLower(strings.TrimSpace(compare)))
		if !ok {
			problems = append(problems, settings.Problem{Key: "compare", Value: compare,
				Reason:  "want one of " + strings.Join(PresetKeys(), ", "),
				Outcome: "training one run"})
			return []settings.Settings{base}, problems
		}
		return p.Runs(base), problems
	}
	return []settings.Settings{base}, problems
}

// ShownRun is the index among FromQuery's runs of the run to select
// first: the preset's Show for compare=<preset> (see Preset), otherwise
// the first run.
func ShownRun(q url.Values) int {
	if len(q["run"]) > 0 {
		return 0
	}
	if p, ok := PresetByKey(strings.ToLower(strings.TrimSpace(q.Get("compare")))); ok && p.Key != "epochs" {
		return p.Show
	}
	return 0
}

// parseRuns reads the run= values over base.
func parseRuns(base settings.Settings, specs []string) ([]settings.Settings, []settings.Problem) {
	var out []settings.Settings
	var problems []settings.Problem
	for i, spec := range specs {
		if len(out) == MaxRuns {
			problems = append(problems, settings.Problem{Key: "run", Value: spec,
				Reason: fmt.Sprintf("at most %d runs", MaxRuns), Outcome: fmt.Sprintf("keeping the first %d", MaxRuns)})
			break
		}
		q := url.Values{}
		bad := false
		for _, pair := range strings.Split(spec, ",") {
			if strings.TrimSpace(pair) == "" {
				continue
			}
			k, v, ok := strings.Cut(pair, ":")
			if _, known := settings.FieldByKey(strings.TrimSpace(k)); !ok || !known {
				problems = append(problems, settings.Problem{Key: fmt.Sprintf("run (%d)", i+1), Value: pair,
					Reason: "want key:value with a settings key", Outcome: "leaving this run out"})
				bad = true
				break
			}
			q.Set(strings.TrimSpace(k), v)
		}
		if bad {
			continue
		}
		s, more := settings.Apply(base, q)
		for _, p := range more {
			p.Key = fmt.Sprintf("run (%d) %s", i+1, p.Key)
			problems = append(problems, p)
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		out = []settings.Settings{base}
	}
	return out, problems
}

// Query encodes an experiment as a URL query that FromQuery reads back:
// the first run's settings as the base, and for more than one run a run=
// key per run with its differences from the base.
func Query(runs []settings.Settings) url.Values {
	if len(runs) == 0 {
		return settings.Defaults().Query()
	}
	q := runs[0].Query()
	if len(runs) == 1 {
		return q
	}
	for _, s := range runs {
		var pairs []string
		for _, f := range settings.Fields() {
			if v := f.Get(s); v != f.Get(runs[0]) {
				pairs = append(pairs, f.Key+":"+f.Format(v))
			}
		}
		q.Add("run", strings.Join(pairs, ","))
	}
	return q
}
