//go:build !js

package nn

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// numpyCheck loads an .npz file with NumPy and prints, as JSON, each
// array's name, dtype, shape and values in C order (Python's float repr is
// exact, so the values come back bit for bit).
const numpyCheck = `
import json, sys
import numpy as np
with np.load(sys.argv[1]) as f:
    out = [{"name": k, "dtype": str(f[k].dtype), "shape": list(f[k].shape),
            "values": [float(v) for v in f[k].ravel(order="C")]} for k in f.files]
print(json.dumps(out))
`

// homeworkParams is the homework network's parameter count: conv1 4·25+4,
// conv2 4·100+4, hidden 196·49+49, output 49·10+10.
const homeworkParams = 10661

// TestNPZLoadsInNumPy writes a network's .npz and loads it with Debian's
// python3-numpy: every tensor there under its model-file name, as float64,
// with its shape and exactly its values. Without python3 and NumPy the
// test is skipped, except under CI (CI set), where that is a failure
// (make deps installs python3-numpy).
func TestNPZLoadsInNumPy(t *testing.T) {
	python, err := pythonWithNumPy()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("python3 with NumPy is needed to check .npz files (apt-get install python3-numpy, or make deps): %v", err)
		}
		t.Skipf("python3 with NumPy not found (apt-get install python3-numpy): %v", err)
	}
	net := NewHomework(3)
	path := filepath.Join(t.TempDir(), "weights.npz")
	var b bytes.Buffer
	if err := net.SaveNPZ(&b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(python, "-c", numpyCheck, path).Output()
	if err != nil {
		t.Fatalf("numpy.load: %v", err)
	}
	var arrays []struct {
		Name   string
		Dtype  string
		Shape  []int
		Values []float64
	}
	if err := json.Unmarshal(out, &arrays); err != nil {
		t.Fatalf("reading what Python printed: %v\n%s", err, out)
	}
	params := net.Params()
	if len(arrays) != len(params) {
		t.Fatalf("NumPy found %d arrays, want %d", len(arrays), len(params))
	}
	total := 0
	for i, p := range params {
		a := arrays[i]
		if a.Name != p.Name || a.Dtype != "float64" || !slices.Equal(a.Shape, p.Shape) {
			t.Errorf("array %d: %s %s %v, want %s float64 %v", i, a.Name, a.Dtype, a.Shape, p.Name, p.Shape)
			continue
		}
		if !slices.EqualFunc(a.Values, p.Value, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }) {
			t.Errorf("%s: the values NumPy read differ from the network's", p.Name)
		}
		total += len(a.Values)
	}
	if total != homeworkParams {
		t.Errorf("%d values in all, want %d", total, homeworkParams)
	}
}

// pythonWithNumPy returns a Python that imports NumPy: python3 on the
// PATH, or Debian's /usr/bin/python3 (where python3-numpy installs it) when
// the PATH's is another, such as a pyenv shim.
func pythonWithNumPy() (string, error) {
	var err error
	for _, name := range []string{"python3", "/usr/bin/python3"} {
		var path string
		if path, err = exec.LookPath(name); err == nil {
			if err = exec.Command(path, "-c", "import numpy").Run(); err == nil {
				return path, nil
			}
		}
	}
	return "", err
}

// Each .npy in the archive starts with NumPy's preamble and a header that
// ends at a multiple of 64 bytes, one-element shapes written as Python
// tuples.
func TestNPYHeaders(t *testing.T) {
	var b bytes.Buffer
	if err := NewHomework(1).SaveNPZ(&b); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var data bytes.Buffer
		data.ReadFrom(r)
		r.Close()
		raw := data.Bytes()
		if !bytes.HasPrefix(raw, []byte("\x93NUMPY\x01\x00")) {
			t.Fatalf("%s: no .npy preamble", f.Name)
		}
		n := 10 + int(raw[8]) + int(raw[9])<<8
		header := string(raw[10:n])
		if n%npyAlign != 0 || !strings.HasSuffix(header, "\n") || !strings.HasPrefix(header, "{'descr': '<f8', 'fortran_order': False, 'shape': (") {
			t.Errorf("%s: header %q ends at %d", f.Name, header, n)
		}
		if strings.HasSuffix(f.Name, ".bias.npy") && !strings.Contains(header, ",)") {
			t.Errorf("%s: a vector's shape is not a one-element tuple: %q", f.Name, header)
		}
	}
}

// SaveNPZ refuses a network it would not save as a model file, writing
// nothing.
func TestNPZRefusesValuesBeyondTheBound(t *testing.T) {
	net := NewHomework(1)
	net.Params()[0].Value[0] = math.Inf(1)
	var b bytes.Buffer
	if err := net.SaveNPZ(&b); err == nil || b.Len() != 0 {
		t.Errorf("SaveNPZ of an infinite weight: %v, %d bytes written", err, b.Len())
	}
}
