package digit

import (
	"testing"

	"convlab/assets"
	"convlab/nn"
)

// A trained network must classify a digit the same way whether it sees the
// MNIST original or the pad's version of that digit. The network trains
// briefly (RMSProp, 3 epochs on the homework's 1,000 images); the digits
// are the 1,000 bundled test images, none of them trained on.
//
// Upscaled ×10 into a corner of the pad by nearest neighbour (sharp, like
// a pen), every digit keeps its class. Bilinear upscaling blurs the
// strokes, which widens the ink box by about a source pixel and shrinks
// the digit by about 5% (see the round-trip tests); measured 92.7%
// agreement, so that case asks for 90%: a briefly trained network is
// unsure of some digits, and those flip. Redrawn along its pen paths with
// the pad's brush, as the browser test draws with the mouse, a digit loses
// the width of its strokes: measured 85.5% agreement (78.3% of the drawn
// digits right, 81.2% of the originals), so that case asks for 80%.
func TestPadDigitsClassifiedLikeOriginals(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a network for 3 epochs")
	}
	net := trainedNetwork(t)
	ds := loadTestDigits(t)
	for _, tc := range []struct {
		name     string
		pad      func(i int) []float64
		minAgree float64
	}{
		{"upscaled, nearest", func(i int) []float64 {
			return mustMNIST(t, upscale(t, ds.Image(i), ds.Rows, ds.Cols, 10, false, i%2 == 1))
		}, 0.99},
		{"upscaled, bilinear", func(i int) []float64 {
			return mustMNIST(t, upscale(t, ds.Image(i), ds.Rows, ds.Cols, 10, true, i%2 == 1))
		}, 0.90},
		{"drawn along its pen paths", func(i int) []float64 { return drawnInput(t, ds.Image(i)) }, 0.80},
	} {
		agree := 0
		for i := range ds.Len() {
			if predict(t, net, scaledImage(ds.Image(i))) == predict(t, net, tc.pad(i)) {
				agree++
			}
		}
		frac := float64(agree) / float64(ds.Len())
		t.Logf("%s: the pad's version gets the original's class for %d of %d digits (%.1f%%)", tc.name, agree, ds.Len(), 100*frac)
		if frac < tc.minAgree {
			t.Errorf("%s: agreement %.1f%%, want at least %.0f%%", tc.name, 100*frac, 100*tc.minAgree)
		}
	}
}

func trainedNetwork(t *testing.T) *nn.Network {
	t.Helper()
	ds := loadTestDigits(t)
	train, err := assetsTrain(100)
	if err != nil {
		t.Fatal(err)
	}
	test, err := nn.NewData(ds.Pixels[:10*ds.Rows*ds.Cols], ds.Labels[:10])
	if err != nil {
		t.Fatal(err)
	}
	cfg := nn.Config{Optimizer: nn.DefaultOptimizer(nn.OptimizerRMSProp), BatchSize: 10, Epochs: 3, Seed: 1}
	tr, err := nn.NewTrainer(nn.NewHomework(cfg.Seed), train, test, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for tr.Phase() == nn.PhaseTraining || tr.Phase() == nn.PhaseEvaluating {
		if _, err := tr.Work(); err != nil {
			t.Fatal(err)
		}
	}
	return tr.Network()
}

func predict(t *testing.T, net *nn.Network, img []float64) int {
	t.Helper()
	p, err := net.Predict(img)
	if err != nil {
		t.Fatal(err)
	}
	return nn.Argmax(p)
}

// assetsTrain returns the first perClass bundled training images of each
// class as network input.
func assetsTrain(perClass int) (*nn.Data, error) {
	all, err := assets.Train()
	if err != nil {
		return nil, err
	}
	sub, err := all.FirstPerClass(perClass)
	if err != nil {
		return nil, err
	}
	return nn.NewData(sub.Pixels, sub.Labels)
}
