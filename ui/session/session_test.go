package session

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"convlab/ui/runner"
	"convlab/ui/settings"
	"convlab/ui/tsne"
)

func newTestSession(t testing.TB, query string) *Session {
	t.Helper()
	lib, err := runner.LoadLibrary()
	if err != nil {
		t.Fatal(err)
	}
	q, _ := url.ParseQuery(query)
	s, problems := settings.FromQuery(q)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	sess, err := New(lib, runner.NewLocal(lib), s)
	if err != nil {
		t.Fatal(err)
	}
	return sess
}

func TestSessionRunsToTheEndInTicks(t *testing.T) {
	sess := newTestSession(t, "opt=rmsprop&epochs=2&perclass=10&testper=5&batch=10")
	if sess.State() != runner.Idle {
		t.Fatalf("new session is %v", sess.State())
	}
	sess.Tick(time.Hour) // idle: nothing happens
	if sess.ImagesTrained() != 0 {
		t.Fatal("an idle session trained")
	}
	sess.Start()
	ticks := 0
	for sess.State() == runner.Running && ticks < 10000 {
		sess.Tick(time.Millisecond)
		ticks++
	}
	if sess.State() != runner.Finished {
		t.Fatalf("state %v after %d ticks", sess.State(), ticks)
	}
	st := sess.Status()
	if len(st.Epochs) != 2 || st.ImagesTrained != 200 || st.Epoch != 2 {
		t.Errorf("status: %d epochs, %d images, epoch %d; want 2, 200, 2", len(st.Epochs), st.ImagesTrained, st.Epoch)
	}
	for i := 0; i < 2; i++ {
		sess.Tick(time.Millisecond) // each map is built on a tick of its own
	}
	first, last := sess.Maps()
	if first == nil || last == nil || first.Epoch != 1 || last.Epoch != 2 || len(first.Points()) != 50 {
		t.Fatalf("t-SNE maps after epochs 1 and 2 missing or wrong: %v %v", first, last)
	}
	tickUntil(t, sess, time.Millisecond, maxTicks, "the last map to settle", last.Done)
	if _, err := json.Marshal(sess.Status()); err != nil {
		t.Errorf("status does not encode as JSON: %v", err)
	}
	if len(sess.LossCurve()) != 20 {
		t.Errorf("loss curve has %d points, want one per mini-batch (20)", len(sess.LossCurve()))
	}
}

func TestSessionStepPauseReset(t *testing.T) {
	sess := newTestSession(t, "epochs=1&perclass=10&testper=1&batch=7")
	sess.Step()
	tickUntil(t, sess, time.Millisecond, maxTicks, "the step's end", func() bool { return !sess.Stepping() })
	if sess.State() != runner.Paused || sess.ImagesTrained() != 7 {
		t.Fatalf("after Step: %v with %d images; want paused with 7", sess.State(), sess.ImagesTrained())
	}
	if g, at := sess.LastBatch(); at != 7 || len(g) != 4 || len(g[0])+len(g[1]) != 104 || len(g[2])+len(g[3]) != 404 {
		t.Errorf("after Step the last mini-batch's gradient has %d tensors, want the conv layers' 4 of 104 and 404 values", len(g))
	}
	sess.Start()
	sess.Pause()
	if sess.State() != runner.Paused {
		t.Errorf("Pause left %v", sess.State())
	}
	// Settings that training cannot use (which Apply and the panel never
	// give) make a run that fails with nn's reason, not a panic.
	bad := sess.Settings()
	bad.BatchSize = 0
	if err := sess.Reset(bad); err != nil {
		t.Fatal(err)
	}
	sess.Tick(0)
	if sess.State() != runner.Failed || sess.Err() == nil || !strings.Contains(sess.Err().Error(), "batch size") {
		t.Errorf("a run of batch size 0: %v, error %v; want failed, naming the batch size", sess.State(), sess.Err())
	}
	if err := sess.Reset(settings.Defaults()); err != nil || sess.State() != runner.Idle || sess.ImagesTrained() != 0 || !lastBatchGone(sess) {
		t.Errorf("Reset: %v, state %v, %d images, last batch's gradient gone %v", err, sess.State(), sess.ImagesTrained(), lastBatchGone(sess))
	}
}

func TestWallRate(t *testing.T) {
	var w wallRate
	if w.perSecond() != 0 {
		t.Error("empty rate is not 0")
	}
	t0 := time.Unix(0, 0)
	for i := 0; i <= 200; i++ { // 50 images every 100 ms: 500 images/s
		w.add(t0.Add(time.Duration(i)*100*time.Millisecond), 50*i)
	}
	if got := w.perSecond(); got < 499.999 || got > 500.001 {
		t.Errorf("rate %g, want 500", got)
	}
}

// The t-SNE map of a trained network's bottleneck keeps the neighbourhoods
// of the 49-d features: the 5-nearest-neighbour label agreement in the map
// stays close to the one in 49-d.
func TestMapOfTrainedBottleneckKeepsNeighbours(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a network for 3 epochs")
	}
	sess := newTestSession(t, "opt=rmsprop&epochs=3&perclass=100&testper=10")
	sess.Start()
	tickUntil(t, sess, time.Second, 100, "the end of the run", func() bool { return sess.State() != runner.Running })
	_, last := sess.Maps()
	for ticks := 0; last == nil && ticks < 3; ticks++ { // one map is built per tick
		sess.Tick(0)
		_, last = sess.Maps()
	}
	if last == nil {
		t.Fatal("no map after the last epoch")
	}
	tickUntil(t, sess, time.Millisecond, maxTicks, "the last map to settle", last.Done)
	test := sess.TestSet()
	var images []float64
	for i := range test.Len() {
		images = test.AppendImage(images, i)
	}
	features, err := sess.Network().Bottleneck(images, 100)
	if err != nil {
		t.Fatal(err)
	}
	hi, lo, err := tsne.KNNAgreement(features, last.Points(), last.Labels, 5)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("5-NN label agreement: %.3f in 49-d, %.3f in the map (test accuracy %.2f)", hi, lo, sess.History()[2].Test.Accuracy)
	if lo < hi-0.1 {
		t.Errorf("the map keeps %.3f of 5-NN labels, the 49-d features %.3f: more than 0.1 lost", lo, hi)
	}
}

func TestPartialBatchesAreCountedExactly(t *testing.T) {
	sess := newTestSession(t, "epochs=1&perclass=10&testper=1&batch=3")
	sess.Start()
	tickUntil(t, sess, time.Millisecond, maxTicks, "the end of the run", func() bool { return sess.State() != runner.Running })
	curve := sess.LossCurve()
	if sess.ImagesTrained() != 100 || len(curve) != 34 {
		t.Fatalf("%d images in %d loss points; want 100 images in 34 batches (33 of 3, one of 1)", sess.ImagesTrained(), len(curve))
	}
	for i := 1; i < len(curve); i++ {
		if !(curve[i].X > curve[i-1].X) {
			t.Fatalf("loss curve x does not increase at point %d: %v then %v", i, curve[i-1].X, curve[i].X)
		}
	}
	if last := curve[len(curve)-1].X; last != 1 {
		t.Errorf("the last batch of epoch 1 is plotted at x = %v, want 1", last)
	}
}

func TestOneEpochRunHasOneMapForFirstAndLast(t *testing.T) {
	sess := newTestSession(t, "epochs=1&perclass=10&testper=2")
	sess.Start()
	tickUntil(t, sess, time.Millisecond, maxTicks, "the end of the run", func() bool { return sess.State() != runner.Running })
	// The tick that ended the run took the features and built the map.
	first, last := sess.Maps()
	if first == nil || first != last {
		t.Fatalf("maps %p and %p; want one map, shown as both first and last", first, last)
	}
	if first.Iteration() != 0 {
		t.Errorf("the map ran %d iterations on the tick that built it, want 0", first.Iteration())
	}
	sess.Tick(0)
	if got := first.Iteration(); got < 1 {
		t.Errorf("the next tick ran %d iterations, want at least 1", got)
	}
}

// lastBatchGone reports whether sess holds no last mini-batch's gradient.
func lastBatchGone(sess *Session) bool {
	g, at := sess.LastBatch()
	return g == nil && at == 0
}
