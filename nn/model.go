package nn

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Model file format. A model is one JSON object:
//
//	{
//	  "format": "convlab-model",
//	  "version": 1,
//	  "architecture": "<the Architecture constant>",
//	  "tensors": [
//	    {"name": "conv1.weight", "shape": [4, 1, 5, 5], "values": [...]},
//	    ...
//	  ]
//	}
//
// with one entry per parameter of the homework network, in layer order.
// Values are written in Go's shortest exact decimal form, so a saved model
// loads back bit for bit. Keys are case-sensitive, each appears once, and
// there are no others; null is not a value.
const (
	ModelFormat  = "convlab-model"
	ModelVersion = 1
	// maxModelBytes bounds what Load reads: the homework model is about
	// 250 kB of JSON.
	maxModelBytes = 8 << 20
	// maxModelDepth is the deepest nesting in a model file: the object, its
	// tensors array, a tensor, and the tensor's shape or values array.
	maxModelDepth = 4
)

// MaxModelValue bounds every weight and bias a model file may hold, so that
// no image can make a loaded network's forward pass overflow. With every
// |value| ≤ B and pixels in [0, 1], each stage's outputs are bounded by its
// bias plus fan-in × weight × input bound (ReLU and max-pooling do not
// increase magnitudes):
//
//	conv1  ≤ B + 25·B           = 26·B            ≈ 2.6e7
//	conv2  ≤ B + 100·B·conv1    ≈ 2600·B²         ≈ 2.6e15
//	hidden ≤ B + 196·B·conv2    ≈ 5.1e5·B³        ≈ 5.1e23
//	logits ≤ B + 49·B·hidden    ≈ 2.5e7·B⁴        ≈ 2.5e31
//
// for B = 1e6, far inside float64's 1.8e308 even when squared (as t-SNE
// distances and weight norms do). Trained weights stay far below it: with
// η = 1, where the ReLUs die, the largest |value| after 6 epochs is about
// 10. Save refuses a network beyond the bound, so every saved file loads.
const MaxModelValue = 1e6

type modelFile struct {
	Format       string       `json:"format"`
	Version      int          `json:"version"`
	Architecture string       `json:"architecture"`
	Tensors      []tensorFile `json:"tensors"`
}

type tensorFile struct {
	Name   string    `json:"name"`
	Shape  []int     `json:"shape"`
	Values []float64 `json:"values"`
}

// Save writes the network's parameters in the model file format.
// It fails, writing nothing, if a value lies beyond ±MaxModelValue: Load
// would refuse the file.
func (n *Network) Save(w io.Writer) error {
	m := modelFile{Format: ModelFormat, Version: ModelVersion, Architecture: Architecture}
	for _, p := range n.Params() {
		if err := checkValues(p.Name, p.Value); err != nil {
			return fmt.Errorf("save model: %w", err)
		}
		m.Tensors = append(m.Tensors, tensorFile{Name: p.Name, Shape: p.Shape, Values: p.Value})
	}
	enc := json.NewEncoder(w)
	if err := enc.Encode(m); err != nil {
		return fmt.Errorf("save model: %w", err)
	}
	return nil
}

// Load reads a model file and returns the homework network it describes.
// It checks that the JSON is strict (see checkStrict), the format name,
// version and architecture, that every parameter is present once with the
// right shape and every value within ±MaxModelValue, and that nothing else
// is there.
func Load(r io.Reader) (*Network, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxModelBytes+1))
	if err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	if len(data) > maxModelBytes {
		return nil, fmt.Errorf("load model: file is larger than %d bytes", maxModelBytes)
	}
	m, err := decodeModel(data)
	if err != nil {
		return nil, fmt.Errorf("load model: not a valid model file: %w", err)
	}
	switch {
	case m.Format != ModelFormat:
		return nil, fmt.Errorf("load model: format is %q, want %q", m.Format, ModelFormat)
	case m.Version != ModelVersion:
		return nil, fmt.Errorf("load model: version %d is not supported (this build reads version %d)", m.Version, ModelVersion)
	case m.Architecture != Architecture:
		return nil, fmt.Errorf("load model: architecture %q is not the homework network %q", m.Architecture, Architecture)
	}
	n := NewHomework(0)
	if err := n.setTensors(m.Tensors); err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	return n, nil
}

func (n *Network) setTensors(tensors []tensorFile) error {
	byName := make(map[string]tensorFile, len(tensors))
	for _, t := range tensors {
		if _, dup := byName[t.Name]; dup {
			return fmt.Errorf("tensor %q appears twice", t.Name)
		}
		byName[t.Name] = t
	}
	params := n.Params()
	for _, p := range params {
		t, ok := byName[p.Name]
		if !ok {
			return fmt.Errorf("tensor %q is missing", p.Name)
		}
		if !slices.Equal(t.Shape, p.Shape) {
			return fmt.Errorf("tensor %q has shape %v, want %v", p.Name, t.Shape, p.Shape)
		}
		if len(t.Values) != len(p.Value) {
			return fmt.Errorf("tensor %q has %d values, its shape %v needs %d", p.Name, len(t.Values), p.Shape, len(p.Value))
		}
		if err := checkValues(p.Name, t.Values); err != nil {
			return err
		}
		copy(p.Value, t.Values)
	}
	if len(byName) != len(params) {
		for name := range byName {
			if !slices.ContainsFunc(params, func(p *Param) bool { return p.Name == name }) {
				return fmt.Errorf("unexpected tensor %q", name)
			}
		}
	}
	return nil
}

// checkValues reports the first value of the named tensor that lies beyond
// ±MaxModelValue (or is NaN).
func checkValues(name string, values []float64) error {
	for i, v := range values {
		if !(math.Abs(v) <= MaxModelValue) {
			return fmt.Errorf("tensor %q value %d is %g, outside ±%g, the bound that keeps every prediction finite", name, i, v, float64(MaxModelValue))
		}
	}
	return nil
}

// decodeModel decodes the JSON text of a model file strictly: checkStrict
// first, then encoding/json with unknown fields refused. The strictness is
// built on encoding/json's tokenizer because github.com/go-json-experiment/json
// would have added 143 kB to the page's gzip download (recorded in the
// README at commit bbec2d5).
func decodeModel(data []byte) (modelFile, error) {
	var m modelFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // numbers are checked by the second pass
	if err := checkStrict(dec, "", 1); err != nil {
		return m, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return m, errors.New("data after the model object")
	}
	dec = json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(&m)
	return m, err
}

// checkStrict reads one JSON value from dec, at the given path and nesting
// depth, and rejects what encoding/json alone would let through: a key not
// spelled exactly as one of the format's (it matches names
// case-insensitively), a repeated key (the last would win), and null (which
// would leave a value at zero). It also refuses nesting deeper than the
// format's, so no input can recurse far.
func checkStrict(dec *json.Decoder, path string, depth int) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case nil:
		return fmt.Errorf("null at %s", where(path))
	case json.Delim('['), json.Delim('{'):
		if depth > maxModelDepth {
			return fmt.Errorf("%s is nested deeper than a model file's %d levels", where(path), maxModelDepth)
		}
	default:
		return nil // a string, number or boolean; the second pass checks types
	}
	seen := make(map[string]bool)
	for i := 0; dec.More(); i++ {
		at := path + "[" + strconv.Itoa(i) + "]"
		if tok == json.Delim('{') {
			key, err := dec.Token()
			if err != nil {
				return err
			}
			name, _ := key.(string) // the decoder returns keys as strings
			switch {
			case !isModelKey(name):
				return fmt.Errorf("unknown key %q in %s (keys are case-sensitive)", name, where(path))
			case seen[name]:
				return fmt.Errorf("key %q appears twice in %s", name, where(path))
			}
			seen[name] = true
			at = strings.TrimPrefix(path+"."+name, ".")
		}
		if err := checkStrict(dec, at, depth+1); err != nil {
			return err
		}
	}
	_, err = dec.Token() // the closing bracket or brace
	return err
}

// isModelKey reports whether key is one of the model format's keys.
func isModelKey(key string) bool {
	switch key {
	case "format", "version", "architecture", "tensors", "name", "shape", "values":
		return true
	}
	return false
}

// where names a path in a model file for an error message.
func where(path string) string {
	if path == "" {
		return "the top level"
	}
	return path
}
