package session

import (
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"convlab/nn"
	"convlab/ui/digit"
	"convlab/ui/runner"
	"convlab/ui/settings"
)

// trainedMaps runs a session to its end and returns it with both of its
// maps built and settled.
func trainedMaps(t testing.TB, query string) (*Session, *Map, *Map) {
	t.Helper()
	sess := newTestSession(t, query)
	sess.Start()
	tickUntil(t, sess, time.Second, 100, "the end of the run", func() bool { return sess.State() != runner.Running })
	if sess.State() != runner.Finished {
		t.Fatalf("the run ended %v: %v", sess.State(), sess.Err())
	}
	tickUntil(t, sess, time.Millisecond, maxTicks, "both maps to settle", func() bool {
		first, last := sess.Maps()
		return first != nil && last != nil && first.Done() && last.Done()
	})
	first, last := sess.Maps()
	return sess, first, last
}

// A map computes a new image's bottleneck with the weights its epoch
// ended with: for the map's own test images it gives back the features
// the run sent, bit for bit, also for the first epoch's map, whose weights
// the network has since left behind.
func TestMapBottleneckUsesItsEpochsWeights(t *testing.T) {
	sess, first, last := trainedMaps(t, "opt=rmsprop&epochs=2&perclass=10&testper=5&batch=10")
	for _, m := range []*Map{first, last} {
		for p, i := range m.Indices {
			got, err := m.Bottleneck(sess.TestSet().Image(i))
			if err != nil {
				t.Fatalf("epoch %d: %v", m.Epoch, err)
			}
			if !slices.Equal(got, m.Features()[p]) {
				t.Fatalf("epoch %d: the bottleneck of test image %d is not the feature the run sent for it", m.Epoch, i)
			}
		}
	}
	now, err := sess.Network().Bottleneck(sess.TestSet().Image(first.Indices[0]), 1)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(now[0], first.Features()[0]) {
		t.Error("the network's bottleneck now equals the first epoch's: the test cannot tell the weights apart")
	}
}

// A map whose epoch's weights have not arrived says so. The snapshot
// that carries them comes after the features (see runner.Engine).
func TestMapWaitsForItsWeights(t *testing.T) {
	b := &scriptedBackend{}
	lib, err := runner.LoadLibrary()
	if err != nil {
		t.Fatal(err)
	}
	sess, err := New(lib, b, testSettings(t, func(s *settings.Settings) { s.Epochs = 1; s.TrainPerClass = 10; s.TestPerClass = 2 }))
	if err != nil {
		t.Fatal(err)
	}
	run := sess.run
	images := sess.Settings().TrainSize()
	indices := runner.MapSubset(sess.TestSet().Labels, runner.MaxMapPoints)
	features := make([][]float64, len(indices))
	for i := range features {
		features[i] = make([]float64, 49)
		features[i][i%49] = float64(i + 1)
	}
	metrics := nn.EpochMetrics{Epoch: 1, Test: nn.Evaluation{Predicted: make([]int, sess.TestSet().Len())}}
	b.events = []runner.Event{
		runner.Progress{RunID: run, ImagesTrained: images, Epoch: 1},
		runner.EpochEnded{RunID: run, Metrics: metrics},
		runner.Features{RunID: run, Epoch: 1, Indices: indices, Values: features},
	}
	sess.Tick(0)
	first, _ := sess.Maps()
	if first == nil {
		t.Fatal("no map after its features arrived")
	}
	image := sess.TestSet().Image(0)
	if _, err := first.Bottleneck(image); !errors.Is(err, ErrNoWeightsYet) {
		t.Fatalf("Bottleneck before the epoch's weights: %v, want ErrNoWeightsYet", err)
	}
	trained := nn.NewHomework(7)
	values := make([][]float64, len(trained.Params()))
	for i, p := range trained.Params() {
		values[i] = p.Value
	}
	b.events = []runner.Event{runner.Weights{RunID: run, ImagesTrained: images, Values: values}}
	sess.Tick(0)
	got, err := first.Bottleneck(image)
	if err != nil {
		t.Fatalf("Bottleneck once the epoch's weights arrived: %v", err)
	}
	want, err := trained.Bottleneck(image, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want[0]) {
		t.Error("the map's bottleneck is not the one of the weights that arrived")
	}
}

// A test image that the map does not show, drawn on the pad as a person
// would (its pen paths, through the pad's preprocessing), lands within
// its own class's cluster in the map of a trained network: most of the
// map points nearest where it lands share its label.
func TestDrawnTestImagesLandInTheirCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a network for 5 epochs on 3,000 images")
	}
	// 30 test images a class: the maps show the first 20 of each.
	sess, first, last := trainedMaps(t, "opt=rmsprop&epochs=5&perclass=300&testper=30")
	test := sess.TestSet()
	var drawn, right, firstRight, recognised, plain int
	for i := range test.Len() {
		if slices.Contains(last.Indices, i) {
			continue
		}
		input, err := drawnAsOnThePad(test.Image(i))
		if err != nil {
			continue // no pen path to follow
		}
		drawn++
		label := test.Labels[i]
		if majorityNear(t, last, test.Image(i)) == label {
			plain++
		}
		if majorityNear(t, last, input) == label {
			right++
		}
		if majorityNear(t, first, input) == label {
			firstRight++
		}
		if probs, err := sess.Classify(input); err == nil && nn.Argmax(probs) == label {
			recognised++
		}
	}
	frac := float64(right) / float64(drawn)
	t.Logf("%d test images outside the maps, drawn on the pad: the 5 map points nearest where each lands are mostly of its class for %d in the last map (%d placed as they are, undrawn) and %d in the first; the network calls %d of the drawings right (test accuracy %.2f)",
		drawn, right, plain, firstRight, recognised, sess.History()[len(sess.History())-1].Test.Accuracy)
	if drawn < 90 {
		t.Fatalf("only %d of 100 test images could be drawn", drawn)
	}
	if frac < minClusterAgreement {
		t.Errorf("%.2f of the drawn test images land among their own class, want at least %.2f", frac, minClusterAgreement)
	}
}

// minClusterAgreement is the share of drawn test images whose 5 nearest
// map points are mostly of their own class, at least.
const minClusterAgreement = 0.75

// drawnAsOnThePad returns the pad's input for a person drawing the 28×28
// image: its pen paths scaled to fill the pad (digit.PenPaths), through
// the pad's preprocessing (digit.PadInput).
func drawnAsOnThePad(image []float64) ([]float64, error) {
	img := make([]uint8, len(image))
	for i, v := range image {
		img[i] = uint8(math.Round(255 * v))
	}
	scale := float64(digit.PadSide) / nn.ImageSide
	var strokes [][]digit.Point
	for _, path := range digit.PenPaths(img, nn.ImageSide, nn.ImageSide) {
		stroke := make([]digit.Point, len(path))
		for i, p := range path {
			stroke[i] = digit.Point{X: p.X * scale, Y: p.Y * scale}
		}
		strokes = append(strokes, stroke)
	}
	return digit.PadInput(strokes)
}

// majorityNear places input in m and returns the most common label of the
// 5 map points nearest where it lands (the smallest label on a tie).
func majorityNear(t *testing.T, m *Map, input []float64) int {
	t.Helper()
	x, err := m.Bottleneck(input)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := m.Place(x)
	if err != nil {
		t.Fatal(err)
	}
	pts := m.Points()
	order := make([]int, len(pts))
	for i := range order {
		order[i] = i
	}
	dist := func(i int) float64 { return math.Hypot(pts[i][0]-pl.X, pts[i][1]-pl.Y) }
	slices.SortFunc(order, func(a, b int) int {
		if da, db := dist(a), dist(b); da != db {
			if da < db {
				return -1
			}
			return 1
		}
		return a - b
	})
	var votes [nn.NumClasses]int
	for _, i := range order[:5] {
		votes[m.Labels[i]]++
	}
	best := 0
	for d, v := range votes {
		if v > votes[best] {
			best = d
		}
	}
	return best
}
