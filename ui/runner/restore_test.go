package runner

import (
	"testing"

	"convlab/nn"
)

// A run restored from its checkpoint after epoch 2 of 4, sent over the
// wire, stands paused without training and then measures epochs 3 and 4
// bit for bit as the run that was never interrupted.
func TestRestoreGoesOnBitForBit(t *testing.T) {
	lib := testLibrary(t)
	s := short(nn.OptimizerRMSProp, 10, 4, 10)
	whole := eventsOf[EpochEnded](drive(t, NewEngine(lib), unitsForever, Configure{Run: 1, Settings: s}, Start{}))
	if len(whole) != 4 {
		t.Fatalf("%d epochs ended, want 4", len(whole))
	}
	second := whole[1]
	cp := nn.Checkpoint{Epoch: 2, Weights: second.Weights, OptimizerState: second.Resume.OptimizerState,
		Shuffle: second.Resume.Shuffle, Order: second.Resume.Order,
		History: []nn.EpochMetrics{whole[0].Metrics, second.Metrics}, Stalled: second.Stall}
	wire, err := EncodeCommand(Restore{Run: 2, Settings: s, Checkpoint: cp, TrainingTime: 5})
	if err != nil {
		t.Fatal(err)
	}
	restore, err := DecodeCommand(wire)
	if err != nil {
		t.Fatal(err)
	}

	e := NewEngine(lib)
	events := drive(t, e, 0, restore)
	states := eventsOf[StateChanged](events)
	if len(events) != 1 || len(states) != 1 || states[0].State != Paused {
		t.Fatalf("restoring gave %+v, want one StateChanged to paused and no training", events)
	}
	after := drive(t, e, unitsForever, Start{})
	progress := eventsOf[Progress](after)
	if len(progress) == 0 || progress[0].Epoch != 2 || progress[0].ImagesTrained != 2*s.TrainSize()+progress[0].Batches[0].Size || progress[0].TrainingTime <= 5 {
		t.Fatalf("the first progress after restoring: %+v; want epoch 2's counters going on from %d images and 5 ns of training", progress[0], 2*s.TrainSize())
	}
	resumed := eventsOf[EpochEnded](after)
	if len(resumed) != 2 {
		t.Fatalf("the restored run trained %d epochs, want 2", len(resumed))
	}
	for i, ev := range resumed {
		want := whole[i+2]
		ev.RunID = want.RunID
		if !sameBits(ev, want) {
			t.Errorf("epoch %d after restoring differs from the uninterrupted run's", i+3)
		}
	}
	if e.life.State() != Finished {
		t.Errorf("the restored run ended %v, want finished", e.life.State())
	}
}

// A checkpoint after the last epoch restores the run finished; one that
// does not fit the settings fails it with nn's reason, training nothing.
func TestRestoreFinishedOrMisfit(t *testing.T) {
	lib := testLibrary(t)
	s := short(nn.OptimizerSGD, 10, 1, 10)
	ended := eventsOf[EpochEnded](drive(t, NewEngine(lib), unitsForever, Configure{Run: 1, Settings: s}, Start{}))
	if len(ended) != 1 {
		t.Fatalf("%d epochs ended, want 1", len(ended))
	}
	cp := nn.Checkpoint{Epoch: 1, Weights: ended[0].Weights, Shuffle: ended[0].Resume.Shuffle,
		Order: ended[0].Resume.Order, History: []nn.EpochMetrics{ended[0].Metrics}}
	e := NewEngine(lib)
	drive(t, e, 0, Restore{Run: 2, Settings: s, Checkpoint: cp})
	if e.life.State() != Finished {
		t.Errorf("a run restored after its last epoch is %v, want finished", e.life.State())
	}

	cp.Order = cp.Order[1:]
	events := drive(t, e, 0, Restore{Run: 3, Settings: s, Checkpoint: cp})
	failures := eventsOf[Failure](events)
	if e.life.State() != Failed || len(failures) != 1 || failures[0].Kind != BadSettings {
		t.Errorf("a misfit checkpoint gave %+v, want one BadSettings failure", events)
	}
}
