package session

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"convlab/nn"
	"convlab/ui/runner"
	"convlab/ui/settings"
)

// wireBackend runs an engine as a worker does: commands and events go
// through the wire format, and each batch of events arrives one Poll
// late, as if in flight.
type wireBackend struct {
	t        testing.TB
	engine   *runner.Engine
	inFlight []byte
}

func newWireBackend(t testing.TB, lib *runner.Library) *wireBackend {
	return &wireBackend{t: t, engine: runner.NewEngine(lib)}
}

func (w *wireBackend) Send(c runner.Command) {
	b, err := runner.EncodeCommand(c)
	if err != nil {
		w.t.Fatal(err)
	}
	if c, err = runner.DecodeCommand(b); err != nil {
		w.t.Fatal(err)
	}
	w.engine.Handle(c)
}

func (w *wireBackend) Poll(budget time.Duration) []runner.Event {
	var arrived []runner.Event
	if w.inFlight != nil {
		var err error
		if arrived, err = runner.DecodeEvents(w.inFlight); err != nil {
			w.t.Fatal(err)
		}
	}
	w.engine.Work(budget)
	b, err := runner.EncodeEvents(w.engine.TakeEvents())
	if err != nil {
		w.t.Fatal(err)
	}
	w.inFlight = b
	return arrived
}

func (w *wireBackend) Where() string { return runner.InWorker }
func (w *wireBackend) Close()        { w.engine.Handle(runner.Cancel{}) }

// scriptedBackend hands out prepared events and records commands.
type scriptedBackend struct {
	sent   []runner.Command
	events []runner.Event
}

func (b *scriptedBackend) Send(c runner.Command) { b.sent = append(b.sent, c) }
func (b *scriptedBackend) Poll(time.Duration) []runner.Event {
	ev := b.events
	b.events = nil
	return ev
}
func (b *scriptedBackend) Where() string { return runner.InWorker }
func (b *scriptedBackend) Close()        {}

func testSettings(t *testing.T, change func(*settings.Settings)) settings.Settings {
	t.Helper()
	s := settings.Defaults()
	s.Optimizer, s.Epochs, s.TrainPerClass, s.TestPerClass = nn.OptimizerRMSProp, 2, 20, 5
	if change != nil {
		change(&s)
	}
	return s
}

func runToEnd(t *testing.T, sess *Session) {
	t.Helper()
	sess.Start()
	for ticks := 0; sess.State() == runner.Running; ticks++ {
		if ticks == 100000 {
			t.Fatal("the run did not end")
		}
		sess.Tick(time.Millisecond)
	}
	for ticks := 0; ticks < 3; ticks++ { // deliver what is in flight, build the maps
		sess.Tick(0)
	}
}

// A session whose run trains elsewhere, its events arriving late and
// through the wire format, ends with what a session training on its own
// thread has: the same metrics, loss curve, weights and maps.
func TestRemoteRunMatchesLocalRun(t *testing.T) {
	lib, err := runner.LoadLibrary()
	if err != nil {
		t.Fatal(err)
	}
	s := testSettings(t, nil)
	local, err := New(lib, runner.NewLocal(lib), s)
	if err != nil {
		t.Fatal(err)
	}
	remote, err := New(lib, newWireBackend(t, lib), s)
	if err != nil {
		t.Fatal(err)
	}
	runToEnd(t, local)
	runToEnd(t, remote)
	if remote.State() != runner.Finished || len(remote.History()) != 2 {
		t.Fatalf("remote run: %v after %d epochs", remote.State(), len(remote.History()))
	}
	if !reflect.DeepEqual(remote.History(), local.History()) {
		t.Error("per-epoch metrics differ")
	}
	if !reflect.DeepEqual(remote.LossCurve(), local.LossCurve()) {
		t.Error("loss curves differ")
	}
	for i, p := range remote.Network().Params() {
		if !reflect.DeepEqual(p.Value, local.Network().Params()[i].Value) {
			t.Errorf("weights of %s differ", p.Name)
		}
	}
	rf, rl := remote.Maps()
	lf, ll := local.Maps()
	if rf == nil || rl == nil || !reflect.DeepEqual(rf.Predicted, lf.Predicted) || !reflect.DeepEqual(rl.Indices, ll.Indices) {
		t.Error("t-SNE maps missing or built from other points")
	}
	if got := remote.Status().TrainingIn; got != "worker" {
		t.Errorf("trainingIn %q, want worker", got)
	}
	if got := local.Status().TrainingIn; got != "page" {
		t.Errorf("trainingIn %q, want page", got)
	}
}

// After a reset, events of the old run still in flight change nothing.
func TestEventsOfAnOldRunAreIgnored(t *testing.T) {
	lib, err := runner.LoadLibrary()
	if err != nil {
		t.Fatal(err)
	}
	sess, err := New(lib, newWireBackend(t, lib), testSettings(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	sess.Start()
	sess.Tick(50 * time.Millisecond) // trains; its events are now in flight
	if err := sess.Reset(testSettings(t, func(s *settings.Settings) { s.Seed = 2 })); err != nil {
		t.Fatal(err)
	}
	sess.Tick(0) // delivers the old run's events
	if sess.ImagesTrained() != 0 || len(sess.LossCurve()) != 0 || sess.State() != runner.Idle {
		t.Errorf("after a reset: %d images, %d loss points, %v; want 0, 0, idle", sess.ImagesTrained(), len(sess.LossCurve()), sess.State())
	}
	fresh := nn.NewHomework(2)
	for i, p := range sess.Network().Params() {
		if !reflect.DeepEqual(p.Value, fresh.Params()[i].Value) {
			t.Fatalf("after a reset the network's %s is not the new seed's", p.Name)
		}
	}
}

// A Step's weight snapshot reaches the network that classifies: it then
// holds what nn.Trainer computes for one mini-batch.
func TestStepUpdatesTheNetwork(t *testing.T) {
	lib, err := runner.LoadLibrary()
	if err != nil {
		t.Fatal(err)
	}
	s := testSettings(t, nil)
	sess, err := New(lib, runner.NewLocal(lib), s)
	if err != nil {
		t.Fatal(err)
	}
	sess.Step()
	for ticks := 0; sess.Stepping() && ticks < 1000; ticks++ {
		sess.Tick(time.Millisecond)
	}
	train, test, err := lib.Sets(s)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := nn.NewTrainer(nn.NewHomework(s.Seed), train, test, s.TrainerConfig())
	if err != nil {
		t.Fatal(err)
	}
	for trained := 0; trained == 0; { // the units of one mini-batch
		u, err := tr.Work()
		if err != nil {
			t.Fatal(err)
		}
		trained = u.Trained
	}
	for i, p := range sess.Network().Params() {
		if !reflect.DeepEqual(p.Value, tr.Network().Params()[i].Value) {
			t.Fatalf("after a step the session's %s is not the trainer's", p.Name)
		}
	}
	if sess.State() != runner.Paused || sess.ImagesTrained() != s.BatchSize {
		t.Errorf("after a step: %v with %d images", sess.State(), sess.ImagesTrained())
	}
	if sess.WeightsRevision() != 1 {
		t.Errorf("weights revision %d after one step, want 1", sess.WeightsRevision())
	}
}

func TestFailureStopsTheSession(t *testing.T) {
	lib, err := runner.LoadLibrary()
	if err != nil {
		t.Fatal(err)
	}
	b := &scriptedBackend{}
	sess, err := New(lib, b, testSettings(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := b.sent[0].(runner.Configure); !ok || c.Settings != sess.Settings() {
		t.Fatalf("first command %+v, want Configure with the settings", b.sent[0])
	}
	run := b.sent[0].(runner.Configure).Run
	sess.Start()
	div := nn.DivergedError{Epoch: 1, Step: 2, What: "the loss", LearningRate: 0.001}
	b.events = []runner.Event{
		runner.Failure{RunID: run, Kind: runner.Diverged, Message: div.Error(), Divergence: div},
		runner.StateChanged{RunID: run, State: runner.Failed},
	}
	sess.Tick(0)
	var got *nn.DivergedError
	if sess.State() != runner.Failed || !errors.As(sess.Err(), &got) || *got != div {
		t.Fatalf("after a divergence: %v, error %v", sess.State(), sess.Err())
	}
	if st := sess.Status(); st.Error != div.Error() || st.State != "failed" {
		t.Errorf("status: state %q, error %q", st.State, st.Error)
	}
	sess.Start()
	if sess.State() != runner.Failed {
		t.Error("Start revived a failed run")
	}
	// A snapshot that does not fit the network is an error, not a panic.
	if err := sess.Reset(sess.Settings()); err != nil {
		t.Fatal(err)
	}
	run = b.sent[len(b.sent)-1].(runner.Configure).Run
	b.events = []runner.Event{runner.Weights{RunID: run, Values: [][]float64{{1, 2}}}}
	sess.Tick(0)
	if sess.State() != runner.Failed || sess.Err() == nil {
		t.Errorf("a malformed snapshot left %v, error %v", sess.State(), sess.Err())
	}
}

func TestRunClockExcludesPauses(t *testing.T) {
	var c runClock
	t0 := time.Unix(1000, 0)
	c.start(t0)
	if got := c.elapsed(t0.Add(3 * time.Second)); got != 3*time.Second {
		t.Errorf("while running: %v, want 3s", got)
	}
	c.stop(t0.Add(4 * time.Second))
	c.start(t0.Add(60 * time.Second)) // paused for 56 s
	c.start(t0.Add(61 * time.Second)) // already running: no effect
	c.stop(t0.Add(66 * time.Second))
	c.stop(t0.Add(70 * time.Second)) // already stopped: no effect
	if got := c.elapsed(t0.Add(100 * time.Second)); got != 10*time.Second {
		t.Errorf("after two stretches of 4 s and 6 s: %v, want 10s", got)
	}
}

// Elapsed is wall-clock time, which includes the training code's time and
// more (the ticks between units of work), and status() reports both.
func TestElapsedAndTrainingTime(t *testing.T) {
	lib, err := runner.LoadLibrary()
	if err != nil {
		t.Fatal(err)
	}
	sess, err := New(lib, runner.NewLocal(lib), testSettings(t, func(s *settings.Settings) { s.Epochs = 1 }))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	runToEnd(t, sess)
	wall := time.Since(start)
	el, tr := sess.Elapsed(), sess.TrainingTime()
	if !(tr > 0 && tr <= el && el <= wall) {
		t.Errorf("training %v, elapsed %v, measured around the run %v: want 0 < training ≤ elapsed ≤ %v", tr, el, wall, wall)
	}
	later := sess.Elapsed()
	if later != el {
		t.Errorf("the clock ran on after the end: %v then %v", el, later)
	}
	st := sess.Status()
	if st.ElapsedSeconds != el.Seconds() || st.TrainingSeconds != tr.Seconds() {
		t.Errorf("status: elapsedSeconds %v, trainingSeconds %v; want %v and %v", st.ElapsedSeconds, st.TrainingSeconds, el.Seconds(), tr.Seconds())
	}
}
