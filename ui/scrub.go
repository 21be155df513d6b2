package ui

import (
	"fmt"

	"convlab/nn"
	"convlab/ui/api"
	"convlab/ui/experiment"
	"convlab/ui/session"
)

// scrub is the epoch scrubber's choice: the end of which epoch of the
// selected run the insight panels (activation maps, kernels, confusion
// matrix, per-class accuracy, the pad's prediction, the second t-SNE map)
// show, or live, the run's latest weights. It belongs to one run: for any
// other (after a reset, or once another run is selected) the panels are
// live.
type scrub struct {
	run   runID
	epoch int         // 1-based; 0 for live
	net   *nn.Network // the weights epoch ended with
}

// at returns the epoch shown for run r, 0 for live.
func (s scrub) at(r runID) int {
	if s.run != r {
		return 0
	}
	return s.epoch
}

// show makes the insight panels show lab's selected run as it was at the
// end of epoch (1 to the epochs it has finished), or live for 0, and asks
// for that epoch's t-SNE map (the panel says so if it cannot be built).
// On error nothing changes.
func (s *scrub) show(lab *experiment.Lab, epoch int) error {
	r := lab.SelectedRun()
	if epoch == 0 {
		*s = scrub{}
		return nil
	}
	finished := len(r.History())
	if epoch < 1 || epoch > finished {
		return fmt.Errorf("%s has finished %d epochs; pick one from 1 to %d, or 0 for live", r.Label, finished, finished)
	}
	values, ok := r.EpochWeights(epoch)
	if !ok {
		return fmt.Errorf("the weights %s ended epoch %d with were not kept", r.Label, epoch)
	}
	net := nn.NewHomework(0)
	for i, p := range net.Params() {
		copy(p.Value, values[i])
	}
	*s = scrub{run: runID(r.ID), epoch: epoch, net: net}
	_ = r.RequestMap(epoch) // without it the t-SNE panel says the map could not be built
	return nil
}

// showOf selects run i of lab and shows it at the end of epoch (0: live),
// for selectEpoch(); on error nothing changes.
func (s *scrub) showOf(lab *experiment.Lab, i, epoch int) error {
	runs := lab.Runs()
	if i < 0 || i >= len(runs) {
		return fmt.Errorf("there is no run %d; there are %d", i, len(runs))
	}
	if finished := len(runs[i].History()); epoch > finished {
		return fmt.Errorf("%s has finished %d epochs; pick one from 1 to %d, or 0 for live", runs[i].Label, finished, finished)
	}
	if err := lab.Select(i); err != nil {
		return err
	}
	return s.show(lab, epoch)
}

// step moves the scrubber of lab's selected run by delta epochs: from
// live, back from the latest finished epoch; forward past it, to live.
func (s *scrub) step(lab *experiment.Lab, delta int) error {
	r := lab.SelectedRun()
	finished := len(r.History())
	if finished == 0 {
		return nil
	}
	e := s.at(runID(r.ID))
	if e == 0 {
		e = finished + 1
	}
	e = max(1, e+delta)
	if e > finished {
		e = 0
	}
	return s.show(lab, e)
}

// view returns how the insight panels see run r: as it is, or as it was
// at the epoch the scrubber shows.
func (s scrub) view(r run) run {
	if e := s.at(r.id); e > 0 {
		r.at = e
		r.sessionView = atEpoch{sessionView: r.sessionView, epoch: e, net: s.net}
	}
	return r
}

// status is status().shown for run r.
func (s scrub) status(r run) api.Shown {
	v := s.view(r)
	_, m := v.Maps()
	return api.Shown{Epoch: v.at, Map: session.StatusOfMap(m)}
}

// atEpoch is a run as it was when an epoch ended: the metrics up to that
// epoch, the network of the weights it ended with, and the t-SNE map
// after it in place of the last epoch's. The rest (state, settings,
// progress, the loss curve) is the run now.
type atEpoch struct {
	sessionView
	epoch int
	net   *nn.Network
}

// History returns the metrics of the epochs up to the shown one.
func (v atEpoch) History() []nn.EpochMetrics { return v.sessionView.History()[:v.epoch] }

// Network returns the network as it was at the epoch's end.
func (v atEpoch) Network() *nn.Network { return v.net }

// Classify returns the class probabilities at the epoch's end.
func (v atEpoch) Classify(image []float64) ([]float64, error) { return v.net.Predict(image) }

// Activations returns every layer's output at the epoch's end.
func (v atEpoch) Activations(image []float64) (*nn.Activations, error) {
	return v.net.Activations(image)
}

// LastBatch returns the last mini-batch's gradient if that batch ended
// the shown epoch (the run's last epoch, before it trains on), else none:
// the run keeps no other.
func (v atEpoch) LastBatch() ([][]float64, int) {
	g, at := v.sessionView.LastBatch()
	if at != v.epoch*v.Settings().TrainSize() {
		return nil, 0
	}
	return g, at
}

// Maps returns the first epoch's map and the shown epoch's (nil until it
// is built).
func (v atEpoch) Maps() (first, last *session.Map) {
	first, _ = v.sessionView.Maps()
	return first, v.MapAt(v.epoch)
}
