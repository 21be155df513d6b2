package runner

import (
	"errors"
	"testing"
	"time"

	"convlab/nn"
	"convlab/ui/settings"
)

// short returns settings for a small run: perClass training and 5 test
// images per class.
func short(opt nn.OptimizerKind, batch, epochs, perClass int) settings.Settings {
	s := settings.Defaults()
	s.Optimizer, s.BatchSize, s.Epochs, s.TrainPerClass, s.TestPerClass = opt, batch, epochs, perClass, 5
	if opt == nn.OptimizerRMSProp {
		s.LearningRate = 0.001
	}
	return s
}

// The engine's per-epoch metrics are nn.Trainer's, bit for bit, also
// after a round trip through the wire format.
func TestEngineMetricsEqualTrainer(t *testing.T) {
	lib := testLibrary(t)
	s := short(nn.OptimizerRMSProp, 10, 2, 20)
	events := drive(t, NewEngine(lib), unitsForever, Configure{Run: 7, Settings: s}, Start{})

	train, test, err := lib.Sets(s)
	if err != nil {
		t.Fatal(err)
	}
	trainer, err := nn.NewTrainer(nn.NewHomework(s.Seed), train, test, s.TrainerConfig())
	if err != nil {
		t.Fatal(err)
	}
	for trainer.Phase() != nn.PhaseFinished {
		if _, err := trainer.Work(); err != nil {
			t.Fatal(err)
		}
	}

	wire, err := EncodeEvents(events)
	if err != nil {
		t.Fatal(err)
	}
	received, err := DecodeEvents(wire)
	if err != nil {
		t.Fatal(err)
	}
	for name, evs := range map[string][]Event{"engine": events, "after the wire": received} {
		ended := eventsOf[EpochEnded](evs)
		if len(ended) != len(trainer.History()) {
			t.Fatalf("%s: %d EpochEnded events, the trainer has %d epochs", name, len(ended), len(trainer.History()))
		}
		for i, ev := range ended {
			if ev.Run() != 7 || !sameBits(ev.Metrics, trainer.History()[i]) || ev.Stall != nil {
				t.Errorf("%s: epoch %d metrics differ from nn.Trainer's:\n got %+v\nwant %+v", name, i+1, ev.Metrics, trainer.History()[i])
			}
		}
		// The last epoch's end carries the trainer's final state.
		cp, err := trainer.Checkpoint()
		if err != nil {
			t.Fatal(err)
		}
		last := ended[len(ended)-1]
		if !sameBits(last.Weights, cp.Weights) || len(last.Weights) != len(trainer.Network().Params()) {
			t.Errorf("%s: the last epoch's weights differ from the trainer's", name)
		}
		r := last.Resume
		if !sameBits(r.OptimizerState, cp.OptimizerState) || len(r.OptimizerState) == 0 ||
			!sameBits(r.Shuffle, cp.Shuffle) || len(r.Shuffle) == 0 || !sameBits(r.Order, cp.Order) || len(r.Order) != s.TrainSize() {
			t.Errorf("%s: the last epoch's resume state differs from the trainer's checkpoint", name)
		}
	}
	states := eventsOf[StateChanged](events)
	if final := states[len(states)-1]; final.State != Finished {
		t.Errorf("last state %v, want finished", final.State)
	}
}

// A run at η = 1 stops learning; each EpochEnded carries nn.Trainer's
// warning as that epoch left it, across the wire, and training goes on to
// the last epoch. (The learning run above carries none.)
func TestEngineCarriesTheStallWarning(t *testing.T) {
	lib := testLibrary(t)
	s := short(nn.OptimizerSGD, 10, 4, 20)
	s.LearningRate = 1
	events := drive(t, NewEngine(lib), unitsForever, Configure{Run: 3, Settings: s}, Start{})

	train, test, err := lib.Sets(s)
	if err != nil {
		t.Fatal(err)
	}
	trainer, err := nn.NewTrainer(nn.NewHomework(s.Seed), train, test, s.TrainerConfig())
	if err != nil {
		t.Fatal(err)
	}
	var want []*nn.StallWarning
	for trainer.Phase() != nn.PhaseFinished {
		u, err := trainer.Work()
		if err != nil {
			t.Fatal(err)
		}
		if u.EpochDone != nil {
			want = append(want, trainer.Stalled())
		}
	}
	wire, err := EncodeEvents(events)
	if err != nil {
		t.Fatal(err)
	}
	received, err := DecodeEvents(wire)
	if err != nil {
		t.Fatal(err)
	}
	ended := eventsOf[EpochEnded](received)
	if len(ended) != s.Epochs {
		t.Fatalf("%d EpochEnded events, want %d: a stall must not stop the run", len(ended), s.Epochs)
	}
	for i, ev := range ended {
		if !sameBits(ev.Stall, want[i]) {
			t.Errorf("epoch %d: warning %+v, nn.Trainer's is %+v", i+1, ev.Stall, want[i])
		}
	}
	if last := ended[len(ended)-1].Stall; last == nil || last.LearningRate != 1 {
		t.Errorf("no warning after the last epoch at η = 1: %+v", last)
	}
}

// Runs with one seed start from the same weights and visit the training
// images in the same order in every epoch, whatever their optimizer and
// mini-batch size: races between them are fair.
func TestSameSeedSameStartAndOrder(t *testing.T) {
	lib := testLibrary(t)
	runs := []settings.Settings{
		short(nn.OptimizerSGD, 1, 3, 10), short(nn.OptimizerMomentum, 10, 3, 10), short(nn.OptimizerRMSProp, 7, 3, 10), short(nn.OptimizerMomentum, 100, 3, 10),
	}
	var firstWeights [][]float64
	var firstOrders [][]int
	for r, s := range runs {
		e := NewEngine(lib)
		e.Handle(Configure{Run: 1, Settings: s})
		var weights [][]float64
		for _, p := range e.trainer.Network().Params() {
			weights = append(weights, append([]float64(nil), p.Value...))
		}
		e.Handle(Start{})
		var orders [][]int
		for e.Busy() {
			e.Work(0)
			for _, ev := range e.TakeEvents() {
				if _, ok := ev.(EpochEnded); ok {
					orders = append(orders, append([]int(nil), e.trainer.Order()...))
				}
			}
		}
		if len(orders) != 3 {
			t.Fatalf("%s batch %d: %d epochs, want 3", s.Optimizer, s.BatchSize, len(orders))
		}
		if r == 0 {
			firstWeights, firstOrders = weights, orders
			if sameBits(orders[0], orders[1]) {
				t.Fatal("epochs 1 and 2 visit the images in one order: no reshuffle")
			}
			continue
		}
		if !sameBits(weights, firstWeights) {
			t.Errorf("%s batch %d starts from other weights than %s batch %d", s.Optimizer, s.BatchSize, runs[0].Optimizer, runs[0].BatchSize)
		}
		for i := range orders {
			if !sameBits(orders[i], firstOrders[i]) {
				t.Errorf("%s batch %d visits the images of epoch %d in another order", s.Optimizer, s.BatchSize, i+1)
			}
		}
	}
}

func TestStepTrainsOneMiniBatch(t *testing.T) {
	e := NewEngine(testLibrary(t))
	// 25 images a batch: three units (10, 10, 5 images) make one step.
	events := drive(t, e, 10, Configure{Run: 1, Settings: short(nn.OptimizerMomentum, 25, 1, 10)}, Step{})
	progress := eventsOf[Progress](events)
	if len(progress) != 1 || len(progress[0].Batches) != 1 || progress[0].Batches[0].Size != 25 || progress[0].ImagesTrained != 25 {
		t.Fatalf("a step gave progress %+v, want one batch of 25", progress)
	}
	if p := progress[0]; p.Batch != 1 || p.BatchesPerEpoch != 4 || p.Epoch != 0 {
		t.Errorf("counters after a step: epoch %d, batch %d/%d; want 0, 1/4", p.Epoch, p.Batch, p.BatchesPerEpoch)
	}
	if w := eventsOf[Weights](events); len(w) != 1 || w[0].ImagesTrained != 25 {
		t.Errorf("a step sent %d weight snapshots (%+v), want one after 25 images", len(w), w)
	}
	states := eventsOf[StateChanged](events)
	want := []StateChanged{{1, Idle, false}, {1, Paused, true}, {1, Paused, false}}
	if !sameBits(states, want) {
		t.Errorf("states %+v, want %+v", states, want)
	}
	if e.Busy() {
		t.Error("busy after the step")
	}
}

// Pause stops training before the next unit and sends the weights.
func TestPauseTakesEffectAtOnce(t *testing.T) {
	e := NewEngine(testLibrary(t))
	e.Handle(Configure{Run: 1, Settings: short(nn.OptimizerMomentum, 25, 1, 10)})
	e.Handle(Start{})
	e.Work(0) // 10 images of the first mini-batch
	e.Work(0)
	e.Work(0) // the mini-batch is complete
	e.Work(0) // 10 images of the second
	e.TakeEvents()
	e.Handle(Pause{})
	events := e.TakeEvents()
	e.Work(time.Second)
	if more := e.TakeEvents(); len(more) > 0 || e.Busy() {
		t.Fatalf("paused engine worked: %+v", more)
	}
	w := eventsOf[Weights](events)
	if len(w) != 1 || w[0].ImagesTrained != 25 {
		t.Errorf("pause sent %+v, want one snapshot after 25 images", w)
	}
	if s := eventsOf[StateChanged](events); len(s) != 1 || s[0].State != Paused {
		t.Errorf("pause sent states %+v", s)
	}
	// Resuming finishes the run with every image trained exactly once.
	events = drive(t, e, unitsForever, Start{})
	p := eventsOf[Progress](events)
	if last := p[len(p)-1]; last.ImagesTrained != 100 || last.Epoch != 1 {
		t.Errorf("after resuming: %d images, epoch %d; want 100, 1", last.ImagesTrained, last.Epoch)
	}
}

func TestCancelAndReconfigure(t *testing.T) {
	e := NewEngine(testLibrary(t))
	e.Handle(Configure{Run: 1, Settings: short(nn.OptimizerSGD, 10, 2, 10)})
	e.Handle(Start{})
	e.Work(0)
	e.Handle(Cancel{})
	if e.Busy() {
		t.Fatal("busy after Cancel")
	}
	e.Handle(Start{})
	e.Work(time.Second)
	for _, ev := range e.TakeEvents() {
		if p, ok := ev.(Progress); ok && p.ImagesTrained > 10 {
			t.Fatalf("a cancelled run trained on: %+v", p)
		}
	}
	// A new Configure starts from scratch; its events carry the new run.
	events := drive(t, e, unitsForever, Configure{Run: 2, Settings: short(nn.OptimizerSGD, 10, 1, 10)}, Start{})
	for _, ev := range events {
		if ev.Run() != 2 {
			t.Fatalf("event %+v of run %d after configuring run 2", ev, ev.Run())
		}
	}
	if p := eventsOf[Progress](events); p[len(p)-1].ImagesTrained != 100 {
		t.Errorf("run 2 trained %d images, want 100", p[len(p)-1].ImagesTrained)
	}
}

func TestBadSettingsFail(t *testing.T) {
	e := NewEngine(testLibrary(t))
	s := short(nn.OptimizerSGD, 10, 1, 10)
	s.BatchSize = 0
	e.Handle(Configure{Run: 3, Settings: s})
	events := e.TakeEvents()
	f := eventsOf[Failure](events)
	if len(f) != 1 || f[0].Kind != BadSettings || f[0].Run() != 3 || f[0].Message == "" {
		t.Fatalf("bad settings gave %+v, want one BadSettings failure of run 3", events)
	}
	e.Handle(Start{})
	if e.Busy() {
		t.Error("a run with bad settings started")
	}
}

// A divergence reaches the page as a Failure whose Err is the trainer's
// *nn.DivergedError. (No accepted setting makes the homework network
// diverge, since η is at most 1, so the trainer's error is handed to the
// engine directly.)
func TestDivergenceIsReported(t *testing.T) {
	e := NewEngine(testLibrary(t))
	e.Handle(Configure{Run: 4, Settings: short(nn.OptimizerSGD, 10, 1, 10)})
	e.Handle(Start{})
	e.TakeEvents()
	e.fail(&nn.DivergedError{Epoch: 1, Step: 3, What: "the loss", LearningRate: 0.5})
	events := e.TakeEvents()
	f := eventsOf[Failure](events)
	if len(f) != 1 || f[0].Kind != Diverged || f[0].Run() != 4 {
		t.Fatalf("failures %+v, want one divergence of run 4", f)
	}
	var d *nn.DivergedError
	if !errors.As(f[0].Err(), &d) || *d != (nn.DivergedError{Epoch: 1, Step: 3, What: "the loss", LearningRate: 0.5}) {
		t.Errorf("Err() = %v, want the trainer's *nn.DivergedError", f[0].Err())
	}
	if s := eventsOf[StateChanged](events); len(s) != 1 || s[0].State != Failed {
		t.Errorf("states %+v, want failed", s)
	}
	if e.Busy() {
		t.Error("a failed run is still busy")
	}
}

// While training, weight snapshots come at epoch ends and about three
// times a second besides, no more.
func TestSnapshotsAreSpaced(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for about a second")
	}
	e := NewEngine(testLibrary(t))
	e.Handle(Configure{Run: 1, Settings: short(nn.OptimizerMomentum, 10, 1, 300)})
	e.Handle(Start{})
	start := time.Now()
	var events []Event
	for e.Busy() {
		e.Work(time.Millisecond)
		events = append(events, e.TakeEvents()...)
	}
	took := time.Since(start)
	// The epoch's end sends its weights in EpochEnded, the rest in Weights.
	ended := eventsOf[EpochEnded](events)
	if len(ended) != 1 || len(ended[0].Weights) == 0 {
		t.Fatalf("%d EpochEnded events, want 1 with weights", len(ended))
	}
	w := len(eventsOf[Weights](events)) + 1
	// At most one per interval besides the epoch's end. How many come at
	// least depends on how the shared machine schedules this test, so the
	// lower bound only asks for one besides the epoch's end once two
	// intervals have passed.
	most := 1 + int(took/snapshotInterval)
	least := 1
	if took > 2*snapshotInterval {
		least = 2
	}
	t.Logf("%d weight snapshots in %v of training (1 epoch)", w, took.Round(time.Millisecond))
	if w > most || w < least {
		t.Errorf("%d snapshots in %v, want the epoch's end plus one per %v: between %d and %d", w, took, snapshotInterval, least, most)
	}
}

// Features come after the first and the last epoch, for MapSubset's
// images, with the weights as that epoch left them.
func TestFeaturesAfterFirstAndLastEpoch(t *testing.T) {
	lib := testLibrary(t)
	s := short(nn.OptimizerRMSProp, 10, 3, 10)
	events := drive(t, NewEngine(lib), unitsForever, Configure{Run: 1, Settings: s}, Start{})
	f := eventsOf[Features](events)
	if len(f) != 2 || f[0].Epoch != 1 || f[1].Epoch != 3 {
		t.Fatalf("features after epochs %v, want 1 and 3", f)
	}
	_, test, err := lib.Sets(s)
	if err != nil {
		t.Fatal(err)
	}
	want := MapSubset(test.Labels, MaxMapPoints)
	if !sameBits(f[1].Indices, want) || len(f[1].Values) != len(want) || len(f[1].Values[0]) != 49 {
		t.Fatalf("features of %d images × %d, want %d × 49", len(f[1].Values), len(f[1].Values[0]), len(want))
	}
	// Rebuild the network from the last weights and compare.
	net := nn.NewHomework(1)
	ended := eventsOf[EpochEnded](events)
	for i, p := range net.Params() {
		copy(p.Value, ended[len(ended)-1].Weights[i])
	}
	images := make([]float64, 0, len(want)*nn.ImageSize)
	for _, i := range want {
		images = append(images, test.Image(i)...)
	}
	got, err := net.Bottleneck(images, featureChunk)
	if err != nil {
		t.Fatal(err)
	}
	if !sameBits(got, f[1].Values) {
		t.Error("the last epoch's features differ from the bottleneck of its final weights")
	}
}

func TestLocalBackend(t *testing.T) {
	b := NewLocal(testLibrary(t))
	if b.Where() != InPage {
		t.Errorf("Where() = %q, want %q", b.Where(), InPage)
	}
	b.Send(Configure{Run: 1, Settings: short(nn.OptimizerSGD, 10, 1, 10)})
	b.Send(Start{})
	var events []Event
	for polls := 0; polls < 10000; polls++ {
		events = append(events, b.Poll(time.Millisecond)...)
		if s := eventsOf[StateChanged](events); len(s) > 0 && s[len(s)-1].State == Finished {
			break
		}
	}
	if p := eventsOf[Progress](events); len(p) == 0 || p[len(p)-1].ImagesTrained != 100 {
		t.Fatalf("local backend trained %v", p)
	}
	b.Close()
	if ev := b.Poll(time.Second); len(ev) != 0 {
		t.Errorf("a closed backend sent %+v", ev)
	}
}

// A weight snapshot carries the gradient of the last completed
// mini-batch, as nn computed it for the update, also when the snapshot
// falls inside the next batch; before any batch it carries none, and an
// epoch's end carries the epoch's last batch's.
func TestLastBatchGradientIsTheTrainers(t *testing.T) {
	lib := testLibrary(t)
	s := short(nn.OptimizerMomentum, 25, 1, 10) // 100 images: batches of 10 + 10 + 5 images of work
	e := NewEngine(lib)
	e.Handle(Configure{Run: 1, Settings: s})
	e.Handle(Start{})
	e.Handle(Pause{})
	if w := eventsOf[Weights](e.TakeEvents()); len(w) != 0 {
		t.Fatalf("a pause before any training sent %d snapshots", len(w))
	}
	e.Handle(Start{})
	for range 4 { // the first mini-batch, and 10 images of the second
		e.Work(0)
	}
	e.TakeEvents()
	e.Handle(Pause{})
	w := eventsOf[Weights](e.TakeEvents())
	if len(w) != 1 || w[0].ImagesTrained != 25 {
		t.Fatalf("pause sent %+v, want one snapshot after 25 images", w)
	}

	train, test, err := lib.Sets(s)
	if err != nil {
		t.Fatal(err)
	}
	trainer, err := nn.NewTrainer(nn.NewHomework(s.Seed), train, test, s.TrainerConfig())
	if err != nil {
		t.Fatal(err)
	}
	trained := 0
	for trained < 25 {
		u, err := trainer.Work()
		if err != nil {
			t.Fatal(err)
		}
		trained += u.Trained
	}
	want := gradsOf(lastBatchParams(trainer.Network()))
	if len(want) != 4 || len(want[0])+len(want[1]) != 104 || len(want[2])+len(want[3]) != 404 {
		t.Fatalf("the conv layers' gradients have sizes %d, %d, %d, %d; want 100, 4, 400, 4", len(want[0]), len(want[1]), len(want[2]), len(want[3]))
	}
	if !sameBits(w[0].LastBatch, want) {
		t.Error("the snapshot's last mini-batch gradient differs from the trainer's after that batch")
	}
	if sameBits(gradsOf(lastBatchParams(e.trainer.Network())), want) {
		t.Error("the engine's network still holds the first batch's gradient inside the second: the test proves nothing")
	}

	events := drive(t, e, unitsForever, Start{})
	for trainer.Phase() == nn.PhaseTraining {
		if _, err := trainer.Work(); err != nil {
			t.Fatal(err)
		}
	}
	ended := eventsOf[EpochEnded](events)
	if len(ended) != 1 || !sameBits(ended[0].LastBatch, gradsOf(lastBatchParams(trainer.Network()))) {
		t.Error("the epoch's end does not carry the gradient of its last mini-batch")
	}
}

// gradsOf copies the gradients of params.
func gradsOf(params []*nn.Param) [][]float64 {
	out := make([][]float64, len(params))
	for i, p := range params {
		out[i] = append([]float64(nil), p.Grad...)
	}
	return out
}

// BenchmarkKeepLastBatch measures the copy of the conv layers' gradients
// the engine makes after every mini-batch (keepLastBatch), to set beside
// a mini-batch's training (nn's BenchmarkTrainStepBatch10).
func BenchmarkKeepLastBatch(b *testing.B) {
	e := &Engine{batchParams: lastBatchParams(nn.NewHomework(1))}
	for b.Loop() {
		e.keepLastBatch()
	}
}
