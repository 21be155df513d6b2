package session

import (
	"fmt"
	"time"

	"convlab/nn"
	"convlab/ui/tsne"
)

// Budgets of the t-SNE maps: each settles for about 1.5 ms a tick (an
// iteration for 200 points takes about 0.3 ms under WebAssembly), and a
// map shows at most 200 test images so building and stepping it stay
// cheap whatever the test-set size.
const (
	mapBudget    = 1500 * time.Microsecond
	maxMapPoints = 200
)

// mapSubset picks at most limit test images for a map, the same number
// from each class (the first ones in order), in test-set order.
func mapSubset(labels []int, limit int) []int {
	perClass := max(1, limit/nn.NumClasses)
	var taken [nn.NumClasses]int
	var out []int
	for i, l := range labels {
		if taken[l] < perClass && len(out) < limit {
			taken[l]++
			out = append(out, i)
		}
	}
	return out
}

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
		return nil, fmt.Errorf("t-SNE after epoch %d: %w", pm.metrics.Epoch, err)
	}
	m := &Map{Epoch: pm.metrics.Epoch, Indices: pm.indices, emb: emb}
	for _, i := range pm.indices {
		m.Labels = append(m.Labels, test.Labels[i])
		m.Predicted = append(m.Predicted, pm.metrics.Test.Predicted[i])
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

// pendingMap holds the bottleneck features taken at the end of an epoch,
// until the next tick builds their t-SNE map.
type pendingMap struct {
	metrics  nn.EpochMetrics
	indices  []int
	features [][]float64
}

// epochEnded takes the bottleneck features for the t-SNE maps after the
// first and the last epoch, while the weights are as that epoch left them
// (Advance stops at each epoch's end). The map itself is built next tick.
func (s *Session) epochEnded(m nn.EpochMetrics) {
	if m.Epoch != 1 && m.Epoch != s.config.Epochs {
		return
	}
	indices := mapSubset(s.test.Labels, maxMapPoints)
	images := make([]float64, 0, len(indices)*nn.ImageSize)
	for _, i := range indices {
		images = append(images, s.test.Image(i)...)
	}
	features, err := s.net.Bottleneck(images, 25)
	if err != nil {
		return // a map that cannot be made is left out, not fatal
	}
	s.pending = append(s.pending, pendingMap{metrics: m, indices: indices, features: features})
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
		if pm.metrics.Epoch == 1 {
			s.tsneFirst = mp
		}
		if pm.metrics.Epoch == s.config.Epochs {
			s.tsneLast = mp
		}
		return
	}
	s.tsneFirst.step(mapBudget)
	if s.tsneLast != s.tsneFirst {
		s.tsneLast.step(mapBudget)
	}
}
