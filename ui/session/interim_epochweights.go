package session

import "slices"

// EpochWeights returns the weights epoch (1-based) ended with, in
// nn.Network.Params order, if a snapshot brought them; the caller must not
// change them.
//
// Interim: it keeps only the snapshots taken exactly at an epoch's end,
// which rate-limited worker snapshots may skip. It gives way to the
// session's own record of every epoch's end when that lands.
func (s *Session) EpochWeights(epoch int) (values [][]float64, ok bool) {
	values, ok = s.interimEpochEnds[epoch]
	return values, ok
}

// keepIfEpochEnd keeps the network's weights when they are those an
// epoch ended with.
func (s *Session) keepIfEpochEnd(images int) {
	n := len(s.history)
	if n == 0 || images != n*s.config.TrainSize() {
		return
	}
	if s.interimEpochEnds == nil {
		s.interimEpochEnds = make(map[int][][]float64)
	}
	var values [][]float64
	for _, p := range s.net.Params() {
		values = append(values, slices.Clone(p.Value))
	}
	s.interimEpochEnds[n] = values
}
