package session

import (
	"errors"
	"fmt"

	"convlab/nn"
	"convlab/ui/curve"
	"convlab/ui/record"
	"convlab/ui/runner"
)

// Record writes the run down as it stands (record.Run): settings, state,
// each finished epoch's metrics and weights, the trainer's state at the
// last epoch's end, the t-SNE maps' features, times and rates. A run
// that is training is recorded as it is, and Restore brings it back
// paused at its last finished epoch. The record shares the session's
// slices; encode it before the session changes.
func (s *Session) Record() record.Run {
	r := record.Run{Settings: s.config, State: s.life.State(), Elapsed: s.Elapsed(), TrainingTime: s.trainingTime,
		ImagesPerSecond: s.ImagesPerSecond(), ComputeRate: s.computeRate, Stall: s.stall}
	if s.err != nil {
		r.Error = s.err.Error()
	}
	if s.adopted {
		for _, p := range s.net.Params() {
			r.ModelWeights = append(r.ModelWeights, append([]float64(nil), p.Value...))
		}
	}
	n := min(len(s.history), len(s.epochWeights))
	for i := range n {
		r.Epochs = append(r.Epochs, record.Epoch{Metrics: s.history[i], Weights: s.epochWeights[i]})
	}
	if n > 0 {
		r.Resume = s.resume
	}
	r.Maps = s.recordMaps()
	r.LossCurve = s.losses.Points()
	return r
}

// Summary sums up, in a line, what Record would write that changes as the
// run goes on (its state, finished epochs, maps, stall and error), without
// copying anything, so that a caller that keeps runs (the page, in the
// browser) asks for a record only when the summary changes.
func (s *Session) Summary() string {
	errText := ""
	if s.err != nil {
		errText = s.err.Error()
	}
	return fmt.Sprintf("%s|%d|%d|%t|%s", s.life.State(), min(len(s.history), len(s.epochWeights)), len(s.recordMaps()), s.stall != nil, errText)
}

// recordMaps returns the features of the run's own maps (after the first
// and the last epoch), those built and those still waiting to be, oldest
// epoch first.
func (s *Session) recordMaps() []record.Map {
	var out []record.Map
	add := func(epoch int, indices []int, features [][]float64) {
		for _, m := range out {
			if m.Epoch == epoch {
				return
			}
		}
		out = append(out, record.Map{Epoch: epoch, Indices: indices, Features: features})
	}
	for _, m := range []*Map{s.tsneFirst, s.tsneLast} {
		if m != nil {
			add(m.Epoch, m.Indices, m.features)
		}
	}
	for _, pm := range s.pending {
		add(pm.epoch, pm.indices, pm.features)
	}
	if len(out) == 2 && out[0].Epoch > out[1].Epoch {
		out[0], out[1] = out[1], out[0]
	}
	return out
}

// Restore sets up a session that shows run r as it was recorded, its run
// training through backend, which the session owns from then on. A run
// that finished comes back finished, one that failed failed with its
// error, one loaded from a model file with that model's weights, and one
// that was training (running, queued or paused) paused at its last
// finished epoch, from where Start goes on bit for bit as if it had never
// stopped (runner.Restore); one that had finished no epoch comes back
// idle. The t-SNE maps are made again from their features over the next
// ticks, as they were (the embedding is seeded). Nothing trains until
// Start or Step.
//
// record.Decode checks a record's sizes and bounds; Restore checks what
// it does not know (that the optimizer's state fits the optimizer) and
// returns an error, with no session, for a record it cannot show (and
// closes the backend, which has been sent nothing).
func Restore(lib *runner.Library, backend runner.Backend, r record.Run) (*Session, error) {
	s, err := restore(lib, backend, r)
	if err != nil && backend != nil {
		backend.Close()
	}
	return s, err
}

func restore(lib *runner.Library, backend runner.Backend, r record.Run) (*Session, error) {
	if lib == nil {
		return nil, errors.New("session: no data library")
	}
	if backend == nil {
		return nil, errors.New("session: no training backend")
	}
	if err := checkRecord(r); err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	s := &Session{lib: lib, backend: backend}
	if err := s.fresh(r.Settings); err != nil {
		return nil, err
	}
	s.takeHistory(r)
	if err := s.takeLosses(r.LossCurve); err != nil {
		return nil, fmt.Errorf("session: the loss curve: %w", err)
	}
	if err := s.takeMaps(r.Maps); err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	s.resumeRun(r)
	return s, nil
}

// checkRecord checks that every set of weights in r is the homework
// network's, and that the optimizer's state is there exactly when the
// run's optimizer keeps one: what nn.ResumeTrainer would refuse.
func checkRecord(r record.Run) error {
	for i, e := range r.Epochs {
		if _, err := networkOf(e.Weights); err != nil {
			return fmt.Errorf("the weights after epoch %d: %w", i+1, err)
		}
	}
	if len(r.ModelWeights) > 0 {
		if _, err := networkOf(r.ModelWeights); err != nil {
			return fmt.Errorf("the model's weights: %w", err)
		}
	}
	if len(r.Epochs) == 0 {
		return nil
	}
	keeps := r.Settings.Optimizer != nn.OptimizerSGD
	if got := len(r.Resume.OptimizerState) > 0; got != keeps {
		return fmt.Errorf("the optimizer's state is %s for %v, which keeps %s", presence(got), r.Settings.Optimizer, presence(keeps))
	}
	if keeps {
		if _, err := networkOf(r.Resume.OptimizerState); err != nil {
			return fmt.Errorf("the optimizer's state: %w", err)
		}
	}
	return nil
}

func presence(there bool) string {
	if there {
		return "there"
	}
	return "none"
}

// takeHistory takes the record's epochs, trainer state, times and rates,
// and shows the last epoch's weights (or the model's).
func (s *Session) takeHistory(r record.Run) {
	for _, e := range r.Epochs {
		s.history = append(s.history, e.Metrics)
		s.epochWeights = append(s.epochWeights, e.Weights)
	}
	s.resume, s.stall = r.Resume, r.Stall
	s.epoch = len(r.Epochs)
	s.imagesTrained = s.epoch * r.Settings.TrainSize()
	s.trainingTime, s.computeRate = r.TrainingTime, r.ComputeRate
	s.wall.kept = r.ImagesPerSecond
	s.clock.total = r.Elapsed
	switch {
	case len(r.ModelWeights) > 0:
		s.loadWeights(runner.Weights{Values: r.ModelWeights})
	case s.epoch > 0:
		s.loadWeights(runner.Weights{ImagesTrained: s.imagesTrained, Values: s.epochWeights[s.epoch-1]})
	}
}

// takeLosses shows the loss curve's points up to the last finished
// epoch's end, where the run comes back (a run paused within an epoch
// trained part of the next, which it will train again).
func (s *Session) takeLosses(points []curve.Point) error {
	end := len(points)
	for end > 0 && points[end-1].X > float64(s.epoch) {
		end--
	}
	losses, err := curve.Restore(lossCurvePoints, points[:end])
	if err != nil {
		return err
	}
	s.losses = losses
	return nil
}

// takeMaps queues the record's maps to be made again from their features
// on the next ticks, each with the weights its epoch ended with.
func (s *Session) takeMaps(maps []record.Map) error {
	for _, m := range maps {
		if m.Epoch < 1 || m.Epoch > len(s.history) {
			return fmt.Errorf("a map after epoch %d of a run of %d epochs", m.Epoch, len(s.history))
		}
		predicted := s.history[m.Epoch-1].Test.Predicted
		for _, i := range m.Indices {
			if i < 0 || i >= s.test.Len() || i >= len(predicted) {
				return fmt.Errorf("the map after epoch %d shows test image %d, of %d", m.Epoch, i, s.test.Len())
			}
		}
		net, err := networkOf(s.epochWeights[m.Epoch-1])
		if err != nil {
			return fmt.Errorf("the map after epoch %d: %w", m.Epoch, err)
		}
		w := &epochWeights{images: m.Epoch * s.config.TrainSize(), net: net}
		s.pending = append(s.pending, pendingMap{epoch: m.Epoch, indices: m.Indices, features: m.Features, predicted: predicted, weights: w})
	}
	return nil
}

// resumeRun puts the run where the record left it and tells the backend:
// a run with finished epochs is restored from its last (runner.Restore),
// paused or finished, unless it failed; any other is configured afresh.
func (s *Session) resumeRun(r record.Run) {
	switch {
	case r.State == runner.Failed:
		s.backend.Send(runner.Configure{Run: s.run, Settings: s.config})
		s.err = errors.New(r.Error)
		if r.Error == "" {
			s.err = errors.New("the run failed (the record does not say why); Reset starts it again")
		}
		s.life.Fail()
	case len(r.ModelWeights) > 0:
		s.backend.Send(runner.Configure{Run: s.run, Settings: s.config})
		s.life.Finish()
		s.adopted = true
	case s.epoch == 0:
		s.backend.Send(runner.Configure{Run: s.run, Settings: s.config})
	default:
		s.life.Restored(s.epoch == s.config.Epochs)
		s.backend.Send(runner.Restore{Run: s.run, Settings: s.config, Checkpoint: *s.Checkpoint(), TrainingTime: s.trainingTime})
	}
}
