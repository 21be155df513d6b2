package nn

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
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
// loads back bit for bit.
const (
	ModelFormat  = "convlab-model"
	ModelVersion = 1
	// maxModelBytes bounds what Load reads: the homework model is about
	// 250 kB of JSON.
	maxModelBytes = 8 << 20
)

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
func (n *Network) Save(w io.Writer) error {
	m := modelFile{Format: ModelFormat, Version: ModelVersion, Architecture: Architecture}
	for _, p := range n.Params() {
		m.Tensors = append(m.Tensors, tensorFile{Name: p.Name, Shape: p.Shape, Values: p.Value})
	}
	enc := json.NewEncoder(w)
	if err := enc.Encode(m); err != nil {
		return fmt.Errorf("save model: %w", err)
	}
	return nil
}

// Load reads a model file and returns the homework network it describes.
// It checks the format name, version, architecture, that every parameter is
// present once with the right shape and a finite value for every entry, and
// that nothing else is there.
func Load(r io.Reader) (*Network, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxModelBytes+1))
	if err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	if len(data) > maxModelBytes {
		return nil, fmt.Errorf("load model: file is larger than %d bytes", maxModelBytes)
	}
	var m modelFile
	if err := json.Unmarshal(data, &m); err != nil {
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
		for i, v := range t.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("tensor %q value %d is not finite", p.Name, i)
			}
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
