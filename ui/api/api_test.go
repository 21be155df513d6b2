package api

import (
	"math"
	"net/url"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestStartQuery(t *testing.T) {
	tests := []struct {
		name  string
		arg   any
		given bool
		want  url.Values
		err   string // part of the error, "" for none
	}{
		{"no argument", nil, false, nil, ""},
		{"numbers, strings and booleans", map[string]any{"lr": 0.01, "opt": "sgd", "x": true, "seed": 1e9},
			true, url.Values{"lr": {"0.01"}, "opt": {"sgd"}, "x": {"true"}, "seed": {"1e+09"}}, ""},
		{"empty object", map[string]any{}, true, url.Values{}, ""},
		{"an array", []any{1.0}, true, nil, "takes an object of settings"},
		{"a number", 3.0, true, nil, "not 3"},
		{"a nested object", map[string]any{"lr": map[string]any{}}, true, nil, `"lr" is an object`},
		{"a function", map[string]any{"opt": JSType("function")}, true, nil, `"opt" is a function`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, given, err := StartQuery(tc.arg)
			if given != tc.given {
				t.Errorf("given = %v, want %v", given, tc.given)
			}
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(q, tc.want) {
				t.Errorf("StartQuery = %v, %v; want %v", q, err, tc.want)
			}
		})
	}
}

func TestPixels(t *testing.T) {
	good := make([]any, 784)
	for i := range good {
		good[i] = float64(i%2) * 0.5
	}
	with := func(i int, v any) []any {
		p := slices.Clone(good)
		p[i] = v
		return p
	}
	img, err := Pixels(good)
	if err != nil || len(img) != 784 || img[1] != 0.5 {
		t.Fatalf("Pixels of 784 numbers = %v…, %v", img[:2], err)
	}
	for _, tc := range []struct {
		name string
		arg  any
		err  string
	}{
		{"nothing", nil, "not undefined or null"},
		{"an object", map[string]any{}, "not an object"},
		{"too short", good[:783], "not 783 values"},
		{"NaN", with(5, math.NaN()), "pixel 5 is NaN"},
		{"above 1", with(6, 1.5), "pixel 6 is 1.5, want a number in [0, 1] (values are not scaled: divide grey levels 0–255 by 255 first)"},
		{"above 255", with(6, 256.0), "pixel 6 is 256, want a number in [0, 1]"},
		{"negative", with(7, -0.1), "pixel 7 is -0.1"},
		{"a string", with(8, "0.5"), `pixel 8 is "0.5"`},
		{"undefined", with(9, nil), "pixel 9 is undefined"},
	} {
		if _, err := Pixels(tc.arg); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.err)
		}
	}
	// The hint about grey levels comes only for a value that could be one.
	for _, v := range []any{256.0, -3.0, "200"} {
		if _, err := Pixels(with(6, v)); err == nil || strings.Contains(err.Error(), "divide") {
			t.Errorf("pixel %v: error %v, want one without the hint about grey levels", v, err)
		}
	}
}

// Every key of status(), at any depth, is described: a top-level key by a
// row of its own, a nested one in backquotes in its top-level key's row;
// and every row describes a key that exists.
func TestStatusFieldsDescribeStatus(t *testing.T) {
	keys := jsonKeys(reflect.TypeFor[Status]())
	documented := map[string]string{}
	for _, f := range StatusFields() {
		if _, dup := documented[f.Key]; dup {
			t.Errorf("key %q is described twice", f.Key)
		}
		documented[f.Key] = f.Meaning
	}
	for _, k := range keys {
		meaning, ok := documented[k.name]
		if !ok {
			t.Errorf("status().%s is not described in StatusFields", k.name)
			continue
		}
		for _, sub := range nestedKeys(k.typ) {
			if !strings.Contains(meaning, "`"+sub+"`") {
				t.Errorf("the description of status().%s does not name its key `%s`", k.name, sub)
			}
		}
		delete(documented, k.name)
	}
	for k := range documented {
		t.Errorf("StatusFields describes %q, which status() does not have", k)
	}
}

type jsonKey struct {
	name string
	typ  reflect.Type
}

// jsonKeys returns the JSON keys of struct type t, embedded structs'
// keys promoted as encoding/json promotes them.
func jsonKeys(t reflect.Type) []jsonKey {
	var out []jsonKey
	for f := range t.Fields() {
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case tag == "-" || !f.IsExported():
		case f.Anonymous && tag == "":
			out = append(out, jsonKeys(f.Type)...)
		case tag == "":
			out = append(out, jsonKey{f.Name, f.Type})
		default:
			out = append(out, jsonKey{tag, f.Type})
		}
	}
	return out
}

// nestedKeys returns every key below a value of type t, at any depth.
func nestedKeys(t reflect.Type) []string {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for _, k := range jsonKeys(t) {
		out = append(out, k.name)
		out = append(out, nestedKeys(k.typ)...)
	}
	return out
}

func TestFunctionsAreEveryCallOnce(t *testing.T) {
	want := []Call{CallStatus, CallStart, CallPause, CallReset, CallStep, CallClassify, CallModel, CallClearPad,
		CallRuns, CallAddRun, CallCompare, CallSelectRun, CallSelectEpoch, CallExportCSV, CallLoadModel, CallSave, CallReport, CallGradients,
		CallSaveExperiment, CallExperiment, CallLoadExperiment, CallClear}
	got := Calls()
	if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))) {
		t.Errorf("Functions() describes %v, want each of %v once", got, want)
	}
	for _, f := range Functions() {
		if !strings.HasPrefix(f.Usage, string(f.Call)+"(") || f.Does == "" || (f.Returns == "") == !f.Queued || f.Resolves != "" && !f.Queued {
			t.Errorf("%s: usage %q, returns %q, queued %v: want its name in the usage, a description, and what it returns unless queued",
				f.Call, f.Usage, f.Returns, f.Queued)
		}
	}
}

// TestReadmeTables keeps the README's tables of window.convlab the ones
// this package generates.
func TestReadmeTables(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if table := Markdown(); !strings.Contains(string(readme), table) {
		t.Errorf("README.md does not hold the window.convlab tables; put these there:\n%s", table)
	}
}

func TestGradientOptions(t *testing.T) {
	for _, c := range []struct {
		arg  any
		want GradientRequest
		err  string
	}{
		{nil, GradientRequest{Show: true, Target: -1}, ""},
		{map[string]any{"target": 3.0}, GradientRequest{Show: true, Target: 3}, ""},
		{map[string]any{"show": false}, GradientRequest{Show: false, Target: -1}, ""},
		{map[string]any{"show": true, "target": nil}, GradientRequest{Show: true, Target: -1}, ""},
		{map[string]any{"target": 10.0}, GradientRequest{}, "target is 10, not a digit"},
		{map[string]any{"target": 2.5}, GradientRequest{}, "target is 2.5"},
		{map[string]any{"show": "yes"}, GradientRequest{}, "show is \"yes\""},
		{map[string]any{"class": 3.0}, GradientRequest{}, "unknown key \"class\""},
		{map[string]any{"kernels": "batch"}, GradientRequest{Show: true, Target: -1, Kernels: KernelsBatch}, ""},
		{map[string]any{"kernels": "image", "target": 1.0}, GradientRequest{Show: true, Target: 1, Kernels: KernelsImage}, ""},
		{map[string]any{"kernels": "batches"}, GradientRequest{}, "kernels is \"batches\""},
		{map[string]any{"kernels": 1.0}, GradientRequest{}, "kernels is 1"},
		{3.0, GradientRequest{}, "takes an object"},
	} {
		got, err := GradientOptions(c.arg)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("GradientOptions(%v): error %v, want one mentioning %q", c.arg, err, c.err)
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("GradientOptions(%v) = %+v, %v; want %+v", c.arg, got, err, c.want)
		}
	}
}

func TestEpochNumber(t *testing.T) {
	for _, ok := range []float64{0, 1, 50} {
		if got, err := EpochNumber(ok); err != nil || got != int(ok) {
			t.Errorf("EpochNumber(%v) = %d, %v", ok, got, err)
		}
	}
	for _, bad := range []any{-1.0, 1.5, "2", nil, math.Inf(1), math.NaN(), 1e12} {
		if _, err := EpochNumber(bad); err == nil || !strings.Contains(err.Error(), "selectEpoch()") {
			t.Errorf("EpochNumber(%v): %v, want an error naming selectEpoch()", bad, err)
		}
	}
}
