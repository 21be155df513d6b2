package session

import (
	"fmt"
	"time"

	"convlab/nn"
	"convlab/ui/runner"
	"convlab/ui/tsne"
)

// keptEpochMaps bounds the maps built on demand that a session keeps: each
// holds its points' affinities (200² values), so a teacher stepping through
// fifty epochs keeps only the last few.
const keptEpochMaps = 4

// epochMaps are the t-SNE maps built on demand, for epochs other than the
// first and the last (whose maps the run's own features give): the one
// being built, and those built, the most recently asked for first.
type epochMaps struct {
	job   *mapJob
	built []*Map
}

// mapJob is a map being built from the weights an epoch ended with, each
// tick for about mapBudget: the bottleneck features of the map's test
// images are taken a few at a time, then t-SNE's affinities searched a
// few points at a time (tsne.Builder), and then the map is made.
type mapJob struct {
	epoch    int
	net      *nn.Network
	indices  []int // the test images, as the run's own maps choose them (runner.MapSubset)
	features [][]float64
	builder  *tsne.Builder // once the features are all taken
}

// MapAt returns the t-SNE map after epoch: the first or the last epoch's
// map once it exists, or a map built on demand (see buildMap); nil while
// there is none yet.
func (s *Session) MapAt(epoch int) *Map {
	for _, m := range []*Map{s.tsneFirst, s.tsneLast} {
		if m != nil && m.Epoch == epoch {
			return m
		}
	}
	for _, m := range s.epochMaps.built {
		if m.Epoch == epoch {
			return m
		}
	}
	return nil
}

// MapPending reports whether the map after epoch is being built.
func (s *Session) MapPending(epoch int) bool {
	return s.epochMaps.job != nil && s.epochMaps.job.epoch == epoch
}

// buildMap asks for the map after a finished epoch, from the weights
// that epoch ended with (values in nn.Network.Params order): it is built
// over the next ticks, off the frame's critical path, and replaces any
// other map still being built. A map that exists already is moved to the
// front, to be kept longest and settled first.
func (s *Session) buildMap(epoch int, values [][]float64) error {
	if epoch < 1 || epoch > len(s.history) {
		return fmt.Errorf("session: no map after epoch %d: %d epochs have finished", epoch, len(s.history))
	}
	if m := s.MapAt(epoch); m != nil {
		s.epochMaps.toFront(m)
		return nil
	}
	if s.MapPending(epoch) {
		return nil
	}
	net, err := networkOf(values)
	if err != nil {
		return fmt.Errorf("session: the weights after epoch %d: %w", epoch, err)
	}
	indices := runner.MapSubset(s.test.Labels, runner.MaxMapPoints)
	s.epochMaps.job = &mapJob{epoch: epoch, net: net, indices: indices, features: make([][]float64, 0, len(indices))}
	return nil
}

// RequestMap asks for the map after a finished epoch other than the first
// and the last, built over the next ticks from the weights it ended with
// (see buildMap); MapAt returns it once built.
func (s *Session) RequestMap(epoch int) error {
	if s.MapAt(epoch) == nil && !s.MapPending(epoch) {
		if _, ok := s.EpochWeights(epoch); !ok {
			return fmt.Errorf("session: the weights after epoch %d were not kept", epoch)
		}
	}
	values, _ := s.EpochWeights(epoch)
	return s.buildMap(epoch, values)
}

// networkOf returns a homework network holding values (in Params order).
func networkOf(values [][]float64) (*nn.Network, error) {
	net := nn.NewHomework(0)
	params := net.Params()
	if len(values) != len(params) {
		return nil, fmt.Errorf("%d tensors, the network has %d", len(values), len(params))
	}
	for i, p := range params {
		if len(values[i]) != len(p.Value) {
			return nil, fmt.Errorf("%s has %d values, want %d", p.Name, len(values[i]), len(p.Value))
		}
		copy(p.Value, values[i])
	}
	return net, nil
}

// toFront moves built map m to the front of the list.
func (e *epochMaps) toFront(m *Map) {
	for i, b := range e.built {
		if b == m {
			copy(e.built[1:i+1], e.built[:i])
			e.built[0] = m
			return
		}
	}
}

// tick works on the map being built for about budget (at least one
// image's features or one point's affinities), and makes the map once
// they are all done; a map that cannot be made is left out, as a run's
// own map is. It reports whether there was a job to work on.
func (e *epochMaps) tick(s *Session, budget time.Duration) bool {
	job := e.job
	if job == nil {
		return false
	}
	start := time.Now()
	for len(job.features) < len(job.indices) {
		f, err := job.net.Bottleneck(s.test.Image(job.indices[len(job.features)]), 1)
		if err != nil {
			e.job = nil
			return true
		}
		job.features = append(job.features, f[0])
		if time.Since(start) >= budget {
			return true
		}
	}
	if job.builder == nil {
		b, err := tsne.NewBuilder(job.features, mapOptions(len(job.indices)))
		if err != nil {
			e.job = nil
			return true
		}
		job.builder = b
	}
	for job.builder.Step(1) {
		if time.Since(start) >= budget {
			return true
		}
	}
	e.job = nil
	emb, err := job.builder.Embedding()
	if err != nil {
		return true
	}
	pm := pendingMap{epoch: job.epoch, indices: job.indices, features: job.features,
		predicted: s.history[job.epoch-1].Test.Predicted, weights: &epochWeights{net: job.net}}
	m := assembleMap(pm, s.test, emb)
	e.built = append([]*Map{m}, e.built...)
	if len(e.built) > keptEpochMaps {
		e.built = e.built[:keptEpochMaps]
	}
	return true
}

// step settles the map asked for last, if it is built.
func (e *epochMaps) step() {
	if len(e.built) > 0 {
		e.built[0].step(mapBudget)
	}
}
