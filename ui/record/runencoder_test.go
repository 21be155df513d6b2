package record

import (
	"bytes"
	"slices"
	"testing"
)

// A RunEncoder writes exactly what EncodeRun writes as a run grows an
// epoch at a time, and when its epochs are replaced (a reset run trained
// again), and keeps the text of the epochs it last wrote, only those.
func TestRunEncoderWritesWhatEncodeRunWrites(t *testing.T) {
	run := trainedRun(t)
	var enc RunEncoder
	for n := range len(run.Epochs) + 1 {
		grown := run
		grown.Epochs = run.Epochs[:n]
		if got, want := enc.Encode(grown), EncodeRun(grown); !bytes.Equal(got, want) {
			t.Fatalf("after %d epochs: the encoder wrote %d bytes that differ from EncodeRun's %d", n, len(got), len(want))
		}
		if len(enc.epochs) != n {
			t.Errorf("after %d epochs the encoder keeps %d epochs' text", n, len(enc.epochs))
		}
	}
	again := run
	again.Epochs = nil
	for _, e := range run.Epochs {
		w := make([][]float64, len(e.Weights))
		for i, t := range e.Weights {
			w[i] = slices.Clone(t)
			w[i][0] += 1 // other weights, in other arrays: a run trained afresh
		}
		again.Epochs = append(again.Epochs, Epoch{Metrics: e.Metrics, Weights: w})
	}
	if got, want := enc.Encode(again), EncodeRun(again); !bytes.Equal(got, want) {
		t.Fatal("a run whose epochs were replaced is written from the old epochs' text")
	}
}

// BenchmarkEncodeRun writes a trained run whole; BenchmarkRunEncoder
// writes it again with a RunEncoder that wrote it before, as the page
// does at each epoch's end. Compare them side by side in one run.
func BenchmarkEncodeRun(b *testing.B) {
	run := trainedRun(b)
	for b.Loop() {
		EncodeRun(run)
	}
}

func BenchmarkRunEncoder(b *testing.B) {
	run := trainedRun(b)
	var enc RunEncoder
	enc.Encode(run)
	for b.Loop() {
		enc.Encode(run)
	}
}
