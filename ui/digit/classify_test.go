package digit

import (
	"testing"

	"convlab/assets"
	"convlab/nn"
)

// A trained network must classify a digit the same way whether it sees the
// MNIST original or the pad's version of that digit drawn large in a
// corner. The network trains briefly (RMSProp, 3 epochs on the homework's
// 1,000 images); the digits are the 1,000 bundled test images.
//
// Upscaled by nearest neighbour (sharp, like a pen), every digit keeps its
// class. Bilinear upscaling blurs the strokes, which widens the ink box by
// about a source pixel and shrinks the digit by about 5% (see the
// round-trip tests); measured 92.7% agreement, so that case asks for 90%:
// a briefly trained network is unsure of some digits, and those flip.
func TestPadDigitsClassifiedLikeOriginals(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a network for 3 epochs")
	}
	net := trainedNetwork(t)
	ds := loadTestDigits(t)
	for _, tc := range []struct {
		bilinear bool
		minAgree float64
	}{{false, 0.99}, {true, 0.90}} {
		agree := 0
		for i := range ds.Len() {
			orig := make([]float64, len(ds.Image(i)))
			for j, v := range ds.Image(i) {
				orig[j] = float64(v) / 255
			}
			pad := mustMNIST(t, upscale(t, ds.Image(i), ds.Rows, ds.Cols, 10, tc.bilinear, i%2 == 1))
			if predict(t, net, orig) == predict(t, net, pad) {
				agree++
			}
		}
		frac := float64(agree) / float64(ds.Len())
		t.Logf("bilinear=%v: the pad's version gets the original's class for %d of %d digits (%.1f%%)", tc.bilinear, agree, ds.Len(), 100*frac)
		if frac < tc.minAgree {
			t.Errorf("bilinear=%v: agreement %.1f%%, want at least %.0f%%", tc.bilinear, 100*frac, 100*tc.minAgree)
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
	cfg := nn.Config{Optimizer: nn.DefaultOptimizer("rmsprop"), BatchSize: 10, Epochs: 3, Seed: 1}
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
