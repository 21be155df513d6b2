//go:build !js

package browsertest

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"convlab/nn"
	"convlab/ui/digit"
)

// maxProbDiff bounds the difference of the page's probabilities from
// native ones computed with the same weights: rounding only.
const maxProbDiff = 1e-9

// TestDrawToClassify draws real MNIST digits that are not bundled with the
// app (the held-out test digits) on the pad with the mouse, and checks the
// way from the strokes to the answer: the pad's 28×28 input is what the
// native pipeline (digit.PadInput) makes of the same strokes, pad.probs
// are classify(pad.input), and classify gives the probabilities package nn
// gives natively with the weights from model(). How well drawn digits are
// recognised is measured natively, over 1,000 digits, in ui/digit.
func TestDrawToClassify(t *testing.T) {
	digits := readHeldout(t)
	p := openPage(t, shortRun, desktop)
	p.waitForRunEnd(runTimeout)
	net := loadModel(t, p)

	var maxInputDiff, maxDiff, maxPadDiff float64
	correct := 0
	for i := range digits.Len() {
		img, label := digits.Image(i), int(digits.Labels[i])
		pad, strokes := p.drawDigit(img)
		if len(pad.Input) != 784 || len(pad.Probs) != 10 {
			t.Fatalf("digit %d: pad has %d inputs and %d probabilities, want 784 and 10", label, len(pad.Input), len(pad.Probs))
		}
		native, err := digit.PadInput(strokes)
		if err != nil {
			t.Fatalf("digit %d: the native pipeline: %v", label, err)
		}
		d := maxAbsDiff(pad.Input, native)
		maxInputDiff = math.Max(maxInputDiff, d)
		if d > maxPadInputDiff {
			t.Errorf("digit %d: the page's pad input differs from the native pipeline's for the same %d strokes by up to %.3g", label, len(strokes), d)
		}
		if got := nn.Argmax(pad.Probs); got != pad.Predicted {
			t.Errorf("digit %d: pad.predicted %d is not the most probable class %d of pad.probs", label, pad.Predicted, got)
		}
		if pad.Predicted == label {
			correct++
		}
		wasm := classify(t, p, pad.Input)
		maxDiff = math.Max(maxDiff, maxAbsDiff(wasm, predict(t, net, pad.Input)))
		maxPadDiff = math.Max(maxPadDiff, maxAbsDiff(wasm, pad.Probs))
	}
	t.Logf("max |pad.input − digit.PadInput(strokes)| = %.3g; max |classify() − native Predict| = %.3g; max |classify() − pad.probs| = %.3g",
		maxInputDiff, maxDiff, maxPadDiff)
	t.Logf("(the short run's network calls %d of the %d drawn digits right)", correct, digits.Len())
	if !(maxDiff < maxProbDiff) {
		t.Errorf("classify() and native nn.Predict differ by up to %.3g, want < %g", maxDiff, maxProbDiff)
	}
	if !(maxPadDiff < maxProbDiff) {
		t.Errorf("pad.probs and classify(pad.input) differ by up to %.3g, want < %g", maxPadDiff, maxProbDiff)
	}
	p.expectNoConsoleErrors()
}

// maxPadInputDiff bounds the difference of the page's pad input from the
// native pipeline's: the same float64 operations in the same order give
// the same bits under WebAssembly, so any difference is a bug.
const maxPadInputDiff = 0

// loadModel reads the page's current weights with package nn.
func loadModel(t *testing.T, p *page) *nn.Network {
	t.Helper()
	model := evaluate[string](p, `window.convlab.model()`)
	net, err := nn.Load(strings.NewReader(model))
	if err != nil {
		t.Fatalf("nn.Load of model(): %v", err)
	}
	return net
}

// classify calls window.convlab.classify in the page.
func classify(t *testing.T, p *page, pixels []float64) []float64 {
	t.Helper()
	arg, err := json.Marshal(pixels)
	if err != nil {
		t.Fatal(err)
	}
	probs := evaluate[[]float64](p, `window.convlab.classify(`+string(arg)+`)`)
	if len(probs) != 10 {
		t.Fatalf("classify returned %d values, want 10", len(probs))
	}
	return probs
}

// predict runs the native network on one image.
func predict(t *testing.T, net *nn.Network, image []float64) []float64 {
	t.Helper()
	probs, err := net.Predict(image)
	if err != nil {
		t.Fatal(err)
	}
	return probs
}

// maxAbsDiff returns the largest |a[i] − b[i]|; NaN anywhere gives +Inf.
func maxAbsDiff(a, b []float64) float64 {
	m := 0.0
	for i := range a {
		d := math.Abs(a[i] - b[i])
		if math.IsNaN(d) {
			return math.Inf(1)
		}
		m = math.Max(m, d)
	}
	return m
}

// TestClassifyTypedArrays passes classify() the pixels as typed arrays,
// which canvas and array code produce: a Float64Array, a view into the
// middle of a larger buffer, a Float32Array and a Uint8ClampedArray each
// give exactly what a plain Array of the same numbers gives (the float32s
// and bytes as they read in JavaScript). Values are not scaled: a
// Uint8ClampedArray of grey levels 0–255 is refused with {error} saying to
// divide by 255.
func TestClassifyTypedArrays(t *testing.T) {
	p := openPage(t, "", desktop)
	type results struct {
		Plain, F64, View, F32, F32Plain, U8, U8Plain []float64
		Grey                                         map[string]any
	}
	// One synchronous script, so every call sees the network of one frame.
	r := evaluate[results](p, `(() => {
		const c = window.convlab.classify;
		const px = Array.from({length: 784}, (_, i) => ((i * 37) % 256) / 255);
		const big = new Float64Array(800);
		big.set(px, 16);
		const f32 = new Float32Array(px);
		const u8 = Uint8ClampedArray.from(px, v => v > 0.5 ? 1 : 0);
		return {
			Plain: c(px), F64: c(new Float64Array(px)), View: c(big.subarray(16)),
			F32: c(f32), F32Plain: c(Array.from(f32)),
			U8: c(u8), U8Plain: c(Array.from(u8)),
			Grey: c(Uint8ClampedArray.from(px, v => Math.round(255 * v))),
		};
	})()`)
	for _, tc := range []struct {
		name        string
		typed, want []float64
	}{
		{"Float64Array", r.F64, r.Plain},
		{"Float64Array view at an offset", r.View, r.Plain},
		{"Float32Array", r.F32, r.F32Plain},
		{"Uint8ClampedArray of 0 and 1", r.U8, r.U8Plain},
	} {
		if len(tc.want) != nn.NumClasses || maxAbsDiff(tc.typed, tc.want) != 0 || len(tc.typed) != len(tc.want) {
			t.Errorf("%s: classify gives %v, a plain Array of its numbers %v", tc.name, tc.typed, tc.want)
		}
	}
	if maxAbsDiff(r.F32, r.Plain) == 0 {
		t.Error("the Float32Array's rounded pixels gave the float64 pixels' probabilities: the test cannot tell them apart")
	}
	if msg, _ := r.Grey["error"].(string); !strings.Contains(msg, "divide grey levels 0–255 by 255") {
		t.Errorf("a Uint8ClampedArray of grey levels gives %v, want {error} saying to divide by 255", r.Grey)
	}
	p.expectNoConsoleErrors()
}
