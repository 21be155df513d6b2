package session

import (
	"fmt"
	"time"

	"convlab/nn"
	"convlab/ui/runner"
	"convlab/ui/tsne"
)

// mapBudget is how long each t-SNE map settles a tick: an iteration for
// 200 points (runner.MaxMapPoints) takes about 0.3 ms under WebAssembly.
const mapBudget = 1500 * time.Microsecond

// Map is a t-SNE embedding of the bottleneck features of (up to 200 of)
// the test images after one epoch, settling a little every tick.
type Map struct {
	Epoch     int
	Indices   []int // test-set index of each point
	Labels    []int // true class of each point
	Predicted []int // class predicted for each point after that epoch
	emb       *tsne.Embedding
}

func newMap(pm pendingMap, test *nn.Data) (*Map, error) {
	opts := tsne.DefaultOptions()
	opts.Perplexity = min(opts.Perplexity, float64(len(pm.indices)-1)/3)
	opts.Iterations = 500
	emb, err := tsne.New(pm.features, opts)
	if err != nil {
		return nil, fmt.Errorf("t-SNE after epoch %d: %w", pm.epoch, err)
	}
	m := &Map{Epoch: pm.epoch, Indices: pm.indices, emb: emb}
	for _, i := range pm.indices {
		m.Labels = append(m.Labels, test.Labels[i])
		m.Predicted = append(m.Predicted, pm.predicted[i])
	}
	return m, nil
}

// step runs iterations for about budget, at least one, unless the map is
// nil or settled.
func (m *Map) step(budget time.Duration) {
	if m == nil {
		return
	}
	start := time.Now()
	for !m.emb.Done() {
		m.emb.Step(1)
		if time.Since(start) >= budget {
			return
		}
	}
}

// Points returns the current 2-D positions, one per point.
func (m *Map) Points() [][2]float64 { return m.emb.Points() }

// Iteration is how many t-SNE iterations have run.
func (m *Map) Iteration() int { return m.emb.Iteration() }

// Done reports whether the map has settled (all iterations run).
func (m *Map) Done() bool { return m.emb.Done() }

// pendingMap holds the bottleneck features the run took at the end of an
// epoch, until the next tick builds their t-SNE map.
type pendingMap struct {
	epoch     int
	indices   []int       // test-set index of each point
	features  [][]float64 // 49 values per point
	predicted []int       // the class predicted for every test image after that epoch
}

// featuresArrived keeps the features of the first and the last epoch for
// the next tick, with the predictions of that epoch (whose metrics the run
// sends first).
func (s *Session) featuresArrived(f runner.Features) {
	var predicted []int
	for _, m := range s.history {
		if m.Epoch == f.Epoch {
			predicted = m.Test.Predicted
		}
	}
	for _, i := range f.Indices {
		if i < 0 || i >= s.test.Len() || i >= len(predicted) {
			return // a map that cannot be made is left out, not fatal
		}
	}
	s.pending = append(s.pending, pendingMap{epoch: f.Epoch, indices: f.Indices, features: f.Values, predicted: predicted})
}

// tickMaps builds one pending map, or else advances the maps for about
// mapBudget each (at least one iteration).
func (s *Session) tickMaps() {
	if len(s.pending) > 0 {
		pm := s.pending[0]
		s.pending = s.pending[1:]
		mp, err := newMap(pm, s.test)
		if err != nil {
			return
		}
		if pm.epoch == 1 {
			s.tsneFirst = mp
		}
		if pm.epoch == s.config.Epochs {
			s.tsneLast = mp
		}
		return
	}
	s.tsneFirst.step(mapBudget)
	if s.tsneLast != s.tsneFirst {
		s.tsneLast.step(mapBudget)
	}
}
