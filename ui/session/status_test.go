package session

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"convlab/nn"
)

// An epoch's per-layer figures reach status() as they are, in order, and
// one that is not a finite number as −1, so that the status still
// encodes as JSON.
func TestEpochStatusLayers(t *testing.T) {
	m := nn.EpochMetrics{Epoch: 2, Layers: []nn.LayerStats{
		{Layer: nn.LayerConv1, GradRMS: 0.0723, UpdateRatio: 0.0177},
		{Layer: nn.LayerOutput, GradRMS: math.Inf(1), UpdateRatio: math.NaN()},
	}}
	e := NewEpochStatus(m)
	want := []LayerStatus{{nn.LayerConv1, 0.0723, 0.0177}, {nn.LayerOutput, -1, -1}}
	if len(e.Layers) != len(want) || e.Layers[0] != want[0] || e.Layers[1] != want[1] {
		t.Fatalf("layers %+v, want %+v", e.Layers, want)
	}
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"layers":[{"layer":"conv1","gradientRMS":0.0723,"updateRatio":0.0177}`) {
		t.Errorf("JSON %s does not hold conv1's figures under their names", b)
	}
}
