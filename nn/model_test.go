package nn

import (
	"bytes"
	"encoding/json"
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
func editModel(t *testing.T, change func(m map[string]any)) string {
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

func TestLoadRejectsBadFiles(t *testing.T) {
	good := string(savedModel(t, 1))
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

func FuzzLoad(f *testing.F) {
	good := savedModel(f, 1)
	f.Add(good)
	f.Add(good[:100])
	f.Add([]byte(`{"format":"convlab-model","version":1}`))
	f.Add([]byte(`{"format":"convlab-model","version":1,"architecture":"` + Architecture + `","tensors":[{"name":"conv1.weight","shape":[4,1,5,5],"values":[1e999]}]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		net, err := Load(bytes.NewReader(data))
		if err != nil {
			return
		}
		// Whatever loads must be a complete, usable network.
		probs, err := net.Predict(make([]float64, ImageSize))
		if err != nil || len(probs) != NumClasses {
			t.Fatalf("loaded model cannot predict: %v", err)
		}
	})
}
