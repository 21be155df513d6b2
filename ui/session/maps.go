package session

import (
	"errors"
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
// the test images after one epoch, settling a little every tick. It keeps
// those features and the weights the epoch ended with, so that a new
// image (the pad's drawing) can be placed among its points.
type Map struct {
	Epoch     int
	Indices   []int // test-set index of each point
	Labels    []int // true class of each point
	Predicted []int // class predicted for each point after that epoch
	emb       *tsne.Embedding
	features  [][]float64   // the 49 bottleneck values of each point
	weights   *epochWeights // the network the features were computed with
}

// epochWeights are the weights an epoch ended with. The run sends them in
// the weight snapshot that follows the epoch's features, so a map may
// exist a little before they do.
type epochWeights struct {
	images int         // training images processed when the epoch ended
	net    *nn.Network // nil until the snapshot of those images arrives
}

// ErrNoWeightsYet is returned by Map.Bottleneck before the weights of the
// map's epoch have arrived.
var ErrNoWeightsYet = errors.New("session: the weights of the map's epoch have not arrived yet")

func newMap(pm pendingMap, test *nn.Data) (*Map, error) {
	emb, err := tsne.New(pm.features, mapOptions(len(pm.indices)))
	if err != nil {
		return nil, fmt.Errorf("t-SNE after epoch %d: %w", pm.epoch, err)
	}
	return assembleMap(pm, test, emb), nil
}

// mapOptions are the t-SNE options of a map of n points.
func mapOptions(n int) tsne.Options {
	opts := tsne.DefaultOptions()
	opts.Perplexity = min(opts.Perplexity, float64(n-1)/3)
	opts.Iterations = 500
	return opts
}

// assembleMap makes the Map of pm's points, embedded by emb.
func assembleMap(pm pendingMap, test *nn.Data, emb *tsne.Embedding) *Map {
	m := &Map{Epoch: pm.epoch, Indices: pm.indices, emb: emb, features: pm.features, weights: pm.weights}
	for _, i := range pm.indices {
		m.Labels = append(m.Labels, test.Labels[i])
		m.Predicted = append(m.Predicted, pm.predicted[i])
	}
	return m
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

// Features returns the 49 bottleneck values of each point, as the run
// computed them after the map's epoch. The caller must not change them.
func (m *Map) Features() [][]float64 { return m.features }

// Bottleneck returns the 49 bottleneck values of a 28×28 image with the
// weights the map's epoch ended with: the space the map's points live in,
// whatever the network has learned since. Before those weights have
// arrived it returns ErrNoWeightsYet.
func (m *Map) Bottleneck(image []float64) ([]float64, error) {
	if m.weights == nil || m.weights.net == nil {
		return nil, ErrNoWeightsYet
	}
	if len(image) != nn.ImageSize {
		return nil, fmt.Errorf("session: the bottleneck of %d values: %w", len(image), nn.ErrImageSize)
	}
	f, err := m.weights.net.Bottleneck(image, 1)
	if err != nil {
		return nil, err
	}
	return f[0], nil
}

// PlaceNeighbours is how many nearest points Place weighs.
const PlaceNeighbours = 5

// Place puts a point given by its bottleneck values (see Bottleneck)
// among the map's points: it finds the PlaceNeighbours points whose
// bottleneck values are nearest and returns the mean of their current map
// positions weighted by inverse distance (tsne.Place). t-SNE has no exact
// place for a point it was not given, so this is an approximation: a
// point whose nearest test images share a class lands in their cluster.
func (m *Map) Place(features []float64) (tsne.Placement, error) {
	return tsne.Place(features, m.features, m.Points(), PlaceNeighbours)
}

// pendingMap holds the bottleneck features the run took at the end of an
// epoch, until the next tick builds their t-SNE map.
type pendingMap struct {
	epoch     int
	indices   []int       // test-set index of each point
	features  [][]float64 // 49 values per point
	predicted []int       // the class predicted for every test image after that epoch
	weights   *epochWeights
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
	// The counters of the epoch's end came before its features; its
	// weights come after them, unless the network shows them already.
	w := &epochWeights{images: s.imagesTrained}
	if s.weightsAt == s.imagesTrained {
		w.net = s.copyNetwork()
	} else {
		s.awaiting = append(s.awaiting, w)
	}
	s.pending = append(s.pending, pendingMap{epoch: f.Epoch, indices: f.Indices, features: f.Values, predicted: predicted, weights: w})
}

// weightsArrived gives the maps waiting for the weights of an epoch's end
// those in the network, now that it shows the first images trained.
// Weights that a snapshot has passed will not come; their maps go
// without.
func (s *Session) weightsArrived(images int) {
	kept := s.awaiting[:0]
	for _, w := range s.awaiting {
		switch {
		case w.images == images:
			w.net = s.copyNetwork()
		case w.images > images:
			kept = append(kept, w)
		}
	}
	s.awaiting = kept
}

// copyNetwork returns a copy of the page's network.
func (s *Session) copyNetwork() *nn.Network {
	c := nn.NewHomework(0)
	dst := c.Params()
	for i, p := range s.net.Params() {
		copy(dst[i].Value, p.Value)
	}
	return c
}

// tickMaps builds one pending map, or else works on the map being built
// on demand (see buildMap), or else advances the maps for about mapBudget
// each (at least one iteration).
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
	if s.epochMaps.tick(s, mapBudget) {
		return
	}
	s.tsneFirst.step(mapBudget)
	if s.tsneLast != s.tsneFirst {
		s.tsneLast.step(mapBudget)
	}
	s.epochMaps.step()
}
