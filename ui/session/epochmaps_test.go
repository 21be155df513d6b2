package session

import (
	"slices"
	"strings"
	"testing"
	"time"

	"convlab/nn"
)

// weightsOf returns net's values in Params order.
func weightsOf(net *nn.Network) [][]float64 {
	var out [][]float64
	for _, p := range net.Params() {
		out = append(out, slices.Clone(p.Value))
	}
	return out
}

// A map built on demand from the weights an epoch ended with takes the
// same features, bit for bit, as the run took at that epoch's end: with
// one seed a 2-epoch run is exactly the start of a 3-epoch one, so the
// 2-epoch run's last map is what the 3-epoch run's map after epoch 2
// must be. It is built over many short ticks, and then settles.
func TestMapBuiltOnDemandMatchesTheRunsFeatures(t *testing.T) {
	const settings = "opt=rmsprop&perclass=10&testper=5&batch=10"
	short, _, want := trainedMaps(t, settings+"&epochs=2")
	long, _, _ := trainedMaps(t, settings+"&epochs=3")

	if long.MapAt(2) != nil {
		t.Fatal("a map after epoch 2 exists before it was asked for")
	}
	if err := long.buildMap(2, weightsOf(short.Network())); err != nil {
		t.Fatal(err)
	}
	if !long.MapPending(2) {
		t.Error("the map asked for is not pending")
	}
	ticks := 0
	tickUntil(t, long, time.Millisecond, maxTicks, "the map after epoch 2", func() bool { ticks++; return long.MapAt(2) != nil })
	if ticks < 3 {
		t.Errorf("the map was built in %d ticks: its features should take several", ticks)
	}
	got := long.MapAt(2)
	if got.Epoch != 2 || !slices.Equal(got.Indices, want.Indices) || !slices.Equal(got.Predicted, want.Predicted) {
		t.Fatalf("the map after epoch 2 has epoch %d, indices equal %v, predictions equal %v", got.Epoch,
			slices.Equal(got.Indices, want.Indices), slices.Equal(got.Predicted, want.Predicted))
	}
	for i := range want.Features() {
		if !slices.Equal(got.Features()[i], want.Features()[i]) {
			t.Fatalf("point %d: the features differ from the run's after epoch 2", i)
		}
	}
	tickUntil(t, long, time.Millisecond, maxTicks, "the map to settle", got.Done)
	if _, err := got.Bottleneck(long.TestSet().Image(got.Indices[0])); err != nil {
		t.Errorf("the map cannot place a drawing: %v", err)
	}
}

// Only finished epochs have maps, the first and the last epoch's are the
// run's own, and a session keeps only the last few built on demand.
func TestMapOnDemandBounds(t *testing.T) {
	sess, first, last := trainedMaps(t, "opt=rmsprop&perclass=10&testper=5&batch=10&epochs=7")
	w := weightsOf(sess.Network()) // any weights of the right shape will do here
	for _, epoch := range []int{0, 8} {
		if err := sess.buildMap(epoch, w); err == nil || !strings.Contains(err.Error(), "7 epochs have finished") {
			t.Errorf("epoch %d: %v, want an error naming the 7 finished epochs", epoch, err)
		}
	}
	if err := sess.buildMap(2, w[:3]); err == nil {
		t.Error("weights of 3 tensors were taken")
	}
	if sess.MapAt(1) != first || sess.MapAt(7) != last {
		t.Error("the first or the last epoch's map is not the run's own")
	}
	for epoch := 2; epoch <= 6; epoch++ {
		if err := sess.buildMap(epoch, w); err != nil {
			t.Fatal(err)
		}
		tickUntil(t, sess, time.Millisecond, maxTicks, "a map", func() bool { return sess.MapAt(epoch) != nil })
	}
	if n := len(sess.epochMaps.built); n != keptEpochMaps {
		t.Errorf("%d maps kept, want %d", n, keptEpochMaps)
	}
	if sess.MapAt(2) != nil || sess.MapAt(6) == nil {
		t.Error("the oldest map was kept or the newest dropped")
	}
	m3 := sess.MapAt(3)
	if err := sess.buildMap(3, w); err != nil || sess.MapPending(3) || sess.epochMaps.built[0] != m3 {
		t.Error("asking again for a built map did not move it to the front without rebuilding it")
	}
}

// BenchmarkMapOnDemand measures building the map after a middle epoch
// from its weights, with 20 test images per digit (200 points, the most a
// map shows): the features and t-SNE's affinities, until the map exists,
// in ticks of mapBudget as the page does it (settling then goes on as for
// the run's own maps), and the longest tick: a frame's share.
func BenchmarkMapOnDemand(b *testing.B) {
	sess, _, _ := trainedMaps(b, "opt=rmsprop&perclass=10&testper=20&batch=10&epochs=3")
	w := weightsOf(sess.Network()) // the shapes are what counts here
	ticks, longest := 0, time.Duration(0)
	for b.Loop() {
		sess.epochMaps = epochMaps{}
		if err := sess.buildMap(2, w); err != nil {
			b.Fatal(err)
		}
		for sess.MapAt(2) == nil {
			start := time.Now()
			sess.tickMaps()
			longest = max(longest, time.Since(start))
			ticks++
		}
	}
	b.ReportMetric(float64(ticks)/float64(b.N), "ticks/op")
	b.ReportMetric(float64(longest.Microseconds())/1000, "ms/longest-tick")
}
