package experiment

import (
	"strconv"
	"strings"

	"convlab/ui/settings"
)

// tag names a setting's value in a run's label.
func tag(f settings.Field, v float64) string {
	switch f.Key {
	case "opt":
		return f.Display(v)
	case "lr":
		return "η " + f.Format(v)
	case "alpha":
		return "α " + f.Format(v)
	case "rho":
		return "ρ " + f.Format(v)
	case "perclass":
		return f.Format(v) + "/class"
	case "testper":
		return f.Format(v) + " test/class"
	case "batch":
		return "batch " + f.Format(v)
	case "epochs":
		if v == 1 {
			return "1 epoch"
		}
		return f.Format(v) + " epochs"
	}
	return f.Key + " " + f.Format(v)
}

// Labels names each run by what sets it apart from the others, such as
// "RMSProp" or "batch 50" or "SGD · η 0.01". A setting that only one
// optimizer uses (α, ρ) counts only among runs of that optimizer. A lone
// run, or runs that differ in nothing, are named by their optimizer.
// Identical names get a number.
func Labels(runs []settings.Settings) []string {
	labels := make([]string, len(runs))
	for i, s := range runs {
		var parts []string
		for _, f := range settings.Fields() {
			if differs(runs, f) && usedBy(f, s) {
				parts = append(parts, tag(f, f.Get(s)))
			}
		}
		if len(parts) == 0 {
			opt, _ := settings.FieldByKey("opt")
			parts = []string{opt.Display(opt.Get(s))}
		}
		labels[i] = strings.Join(parts, " · ")
	}
	return numberRepeats(labels)
}

// differs reports whether field f takes more than one value among the runs
// that use it.
func differs(runs []settings.Settings, f settings.Field) bool {
	first, seen := 0.0, false
	for _, s := range runs {
		if !usedBy(f, s) {
			continue
		}
		v := f.Get(s)
		if seen && v != first {
			return true
		}
		first, seen = v, true
	}
	return false
}

// usedBy reports whether the setting affects a run with settings s: α
// only Momentum, ρ only RMSProp.
func usedBy(f settings.Field, s settings.Settings) bool {
	return f.UsedBy == 0 || f.UsedBy == s.Optimizer
}

// numberRepeats appends " (2)", " (3)"… to the second and later copies of
// a label.
func numberRepeats(labels []string) []string {
	count := map[string]int{}
	for i, l := range labels {
		count[l]++
		if n := count[l]; n > 1 {
			labels[i] = l + " (" + strconv.Itoa(n) + ")"
		}
	}
	return labels
}
