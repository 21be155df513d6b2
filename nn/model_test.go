package nn

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func savedModel(t testing.TB, seed uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := NewHomework(seed).Save(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSaveLoadRoundTrip(t *testing.T) {
	net := NewHomework(8)
	var buf bytes.Buffer
	if err := net.Save(&buf); err != nil {
		t.Fatal(err)
	}
	t.Logf("model file: %d bytes", buf.Len())
	loaded, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range net.Params() {
		if !slices.Equal(p.Value, loaded.Params()[i].Value) {
			t.Errorf("%s changed in a save/load round trip", p.Name)
		}
	}
}

// editModel decodes a saved model into generic JSON, applies change and
// encodes it again.
func editModel(t testing.TB, change func(m map[string]any)) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(savedModel(t, 1), &m); err != nil {
		t.Fatal(err)
	}
	change(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func tensor(m map[string]any, i int) map[string]any {
	return m["tensors"].([]any)[i].(map[string]any)
}

// setValue returns a saved model with value i of tensor ti set to v.
func setValue(t testing.TB, ti, i int, v float64) string {
	t.Helper()
	return editModel(t, func(m map[string]any) { tensor(m, ti)["values"].([]any)[i] = v })
}

func TestLoadRejectsBadFiles(t *testing.T) {
	good := string(savedModel(t, 1))
	// replace edits the text of the saved model once, so that keys can be
	// misspelt or repeated, which a round trip through a map cannot do.
	replace := func(old, new string) string {
		t.Helper()
		if !strings.Contains(good, old) {
			t.Fatalf("saved model lacks %q", old)
		}
		return strings.Replace(good, old, new, 1)
	}
	tests := []struct {
		name, file, want string
	}{
		{"empty", "", "not a valid model file"},
		{"truncated", good[:len(good)/2], "not a valid model file"},
		{"not JSON", "hello", "not a valid model file"},
		{"wrong format", editModel(t, func(m map[string]any) { m["format"] = "other" }), "format"},
		{"future version", editModel(t, func(m map[string]any) { m["version"] = 2 }), "version 2"},
		{"other architecture", editModel(t, func(m map[string]any) { m["architecture"] = "mlp" }), "architecture"},
		{"missing tensor", editModel(t, func(m map[string]any) { m["tensors"] = m["tensors"].([]any)[1:] }), "conv1.weight\" is missing"},
		{"wrong shape", editModel(t, func(m map[string]any) { tensor(m, 0)["shape"] = []int{4, 1, 5, 4} }), "shape"},
		{"short values", editModel(t, func(m map[string]any) { tensor(m, 1)["values"] = []float64{1} }), "has 1 values"},
		{"duplicate", editModel(t, func(m map[string]any) {
			m["tensors"] = append(m["tensors"].([]any), tensor(m, 0))
		}), "twice"},
		{"extra tensor", editModel(t, func(m map[string]any) {
			extra := map[string]any{"name": "conv3.weight", "shape": []int{1}, "values": []float64{0}}
			m["tensors"] = append(m["tensors"].([]any), extra)
		}), "unexpected tensor"},
		{"too large", strings.Repeat(" ", maxModelBytes+1), "larger than"},
		{"key FORMAT", replace(`"format":`, `"FORMAT":`), `unknown key "FORMAT" in the top level`},
		{"key Tensors", replace(`"tensors":`, `"Tensors":`), `unknown key "Tensors"`},
		{"key Values", replace(`"values":`, `"Values":`), `unknown key "Values" in tensors[0]`},
		{"duplicate key", replace(`{"format":`, `{"format":"wrong","format":`), `key "format" appears twice`},
		{"duplicate key in a tensor", replace(`"values":`, `"values":[0],"values":`), `key "values" appears twice in tensors[0]`},
		{"unknown key", replace(`{"format":`, `{"comment":"hi","format":`), `unknown key "comment"`},
		{"tensor key at the top", replace(`{"format":`, `{"name":"x","format":`), `unknown field "name"`},
		{"model key in a tensor", replace(`"values":`, `"version":1,"values":`), `unknown field "version"`},
		{"null value", replace(`"values":[`, `"values":[null,`), "null at tensors[0].values[0]"},
		{"null format", replace(`"format":"convlab-model"`, `"format":null`), "null at format"},
		{"data after the object", good + "{}", "data after the model object"},
		{"too deep", `{"tensors":[{"values":[[1]]}]}`, "tensors[0].values[0] is nested deeper"},
		{"deeply nested", strings.Repeat("[", 1<<20), "nested deeper"},
		{"not an object", "[]", "cannot unmarshal array"},
		{"number out of float64 range", replace(`"values":[`, `"values":[1e999,`), "1e999"},
		{"1e300 weight", setValue(t, 4, 3, 1e300), `tensor "hidden.weight" value 3 is 1e+300, outside ±1e+06`},
		{"-1e300 bias", setValue(t, 7, 9, -1e300), `tensor "output.bias" value 9 is -1e+300`},
		{"just beyond the bound", setValue(t, 0, 0, math.Nextafter(MaxModelValue, 2*MaxModelValue)), `tensor "conv1.weight" value 0`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tc.file))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

func TestLoadAcceptsValuesAtTheBound(t *testing.T) {
	for _, v := range []float64{MaxModelValue, -MaxModelValue} {
		net, err := Load(strings.NewReader(setValue(t, 4, 0, v)))
		if err != nil {
			t.Fatalf("value %g: %v", v, err)
		}
		if got := net.Params()[4].Value[0]; got != v {
			t.Errorf("hidden.weight[0] = %g, want %g", got, v)
		}
	}
}

// TestBoundKeepsLogitsFinite checks MaxModelValue's derivation on its worst
// case: every weight and bias at +MaxModelValue and every pixel 1, so that
// no ReLU cuts anything and every sum adds its largest terms.
func TestBoundKeepsLogitsFinite(t *testing.T) {
	net := NewHomework(1)
	for _, p := range net.Params() {
		for i := range p.Value {
			p.Value[i] = MaxModelValue
		}
	}
	ones := make([]float64, ImageSize)
	for i := range ones {
		ones[i] = 1
	}
	logits := net.Forward(ones, 1)
	t.Logf("worst-case logit %.3g", logits[0])
	for _, z := range logits {
		// The doc comment's bound is about 2.5e31; 1e32 leaves room for the
		// rounding of its figures, and is far from overflowing.
		if math.IsInf(z, 0) || math.IsNaN(z) || math.Abs(z) > 1e32 {
			t.Fatalf("logit %g, want finite and at most the documented 2.5e31", z)
		}
	}
	probs, err := net.Predict(ones)
	if err != nil {
		t.Fatal(err)
	}
	if !probabilities(probs) {
		t.Errorf("probabilities %v are not finite or do not sum to 1", probs)
	}
}

func TestSaveRefusesValuesBeyondTheBound(t *testing.T) {
	net := NewHomework(1)
	net.Params()[2].Value[5] = 2 * MaxModelValue
	var buf bytes.Buffer
	err := net.Save(&buf)
	if err == nil || !strings.Contains(err.Error(), `tensor "conv2.weight" value 5`) {
		t.Errorf("Save gave %v, want an error naming conv2.weight value 5", err)
	}
	if buf.Len() != 0 {
		t.Errorf("Save wrote %d bytes of a model Load would refuse", buf.Len())
	}
}

// probabilities reports whether p is 10 finite values in [0, 1] summing to 1.
func probabilities(p []float64) bool {
	sum := 0.0
	for _, v := range p {
		if !(v >= 0 && v <= 1) {
			return false
		}
		sum += v
	}
	return len(p) == NumClasses && math.Abs(sum-1) < 1e-9
}

func FuzzLoad(f *testing.F) {
	good := savedModel(f, 1)
	f.Add(good)
	f.Add(good[:100])
	f.Add([]byte(`{"format":"convlab-model","version":1}`))
	f.Add([]byte(`{"format":"convlab-model","version":1,"architecture":"` + Architecture + `","tensors":[{"name":"conv1.weight","shape":[4,1,5,5],"values":[1e999]}]}`))
	f.Add([]byte(`null`))
	// The cases of TestLoadRejectsBadFiles that encoding/json alone let
	// through: key case, repeated and unknown keys, null, huge values.
	text := string(good)
	for _, edit := range [][2]string{
		{`"format":`, `"FORMAT":`},
		{`"tensors":`, `"Tensors":`},
		{`"values":`, `"Values":`},
		{`{"format":`, `{"format":"wrong","format":`},
		{`"values":`, `"values":[0],"values":`},
		{`{"format":`, `{"comment":"hi","format":`},
		{`"values":[`, `"values":[null,`},
	} {
		f.Add([]byte(strings.Replace(text, edit[0], edit[1], 1)))
	}
	for _, v := range []float64{1e300, -1e300, MaxModelValue, -MaxModelValue} {
		f.Add([]byte(setValue(f, 4, 3, v)))
	}
	f.Add(append(slices.Clone(good), "{}"...))
	f.Add([]byte(strings.Repeat("[", 1000)))

	blank := make([]float64, ImageSize)
	ones := make([]float64, ImageSize)
	noise := make([]float64, ImageSize)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range ones {
		ones[i], noise[i] = 1, rng.Float64()
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		net, err := Load(bytes.NewReader(data))
		if err != nil {
			return
		}
		// Whatever loads must be a complete network whose predictions are
		// probabilities, whatever the image.
		for _, img := range [][]float64{blank, ones, noise} {
			probs, err := net.Predict(img)
			if err != nil || !probabilities(probs) {
				t.Fatalf("loaded model predicts %v, %v", probs, err)
			}
		}
	})
}
