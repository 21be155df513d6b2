package nn

import (
	"fmt"
	"strings"
)

// StallWarning says that a run has stopped learning without diverging, and
// why. The classic case is a learning rate that is too large: with η = 1
// the first updates push a layer's pre-activations below zero for every
// image, its ReLUs output 0 and pass back no gradient, so the layers up to
// it never change again and the network predicts the same class for every
// image (accuracy about 10%). Unlike DivergedError it does not stop
// training.
type StallWarning struct {
	// Epoch is the completed epoch (1-based) after which the run was judged.
	Epoch int
	// DeadLayer names the first layer whose ReLU output 0 for every
	// training image of that epoch, or is "" when every ReLU fired.
	DeadLayer string
	// FlatEpochs counts the latest epochs in a row whose training loss was
	// not below the first epoch's (FirstLoss); it is 0 unless at least
	// flatEpochsToWarn.
	FlatEpochs int
	// FirstLoss and Loss are the training loss after epoch 1 and after
	// Epoch.
	FirstLoss, Loss float64
	// LearningRate is the run's η.
	LearningRate float64
}

// flatEpochsToWarn is how many epochs in a row without a training loss
// below the first epoch's count as not learning. A learning run beats its
// first epoch at once (the first epoch's weights were the worst it had);
// three epochs leave room for a noisy one.
const flatEpochsToWarn = 3

// String names the cause and suggests a learning rate ten times smaller.
func (w *StallWarning) String() string {
	var causes []string
	if w.DeadLayer != "" {
		causes = append(causes, fmt.Sprintf("the ReLUs after %s output 0 for every training image in epoch %d, "+
			"so the layers up to %s get no gradient and every image gets the same prediction", w.DeadLayer, w.Epoch, w.DeadLayer))
	}
	if w.FlatEpochs > 0 {
		causes = append(causes, fmt.Sprintf("the training loss has not fallen below epoch 1's %.3f in %d epochs (it is %.3f after epoch %d)",
			w.FirstLoss, w.FlatEpochs, w.Loss, w.Epoch))
	}
	return fmt.Sprintf("not learning: %s; the learning rate %g is probably too large: try a smaller one, such as %g",
		strings.Join(causes, "; and "), w.LearningRate, w.LearningRate/10)
}

// stallDetector watches a run for the two signs of a stall: a layer of
// dead ReLUs, seen in the training forward passes, and a training loss
// that stays above its first value, seen in the epoch metrics.
type stallDetector struct {
	relus  []*ReLU  // the network's ReLU layers, in order
	inputs []string // the name of the layer feeding each
	fired  []bool   // whether each has output a positive value this epoch
}

func newStallDetector(n *Network) *stallDetector {
	d := &stallDetector{}
	for i, l := range n.Layers {
		if r, ok := l.(*ReLU); ok && i > 0 {
			d.relus = append(d.relus, r)
			d.inputs = append(d.inputs, n.Layers[i-1].Name())
		}
	}
	d.fired = make([]bool, len(d.relus))
	return d
}

// observe notes which ReLUs output a positive value in the last forward
// pass. A ReLU seen firing this epoch is skipped, and the scan of the
// others stops at the first positive value, so a learning network costs
// one short scan per layer and epoch. Only a dead layer is scanned in full
// every time: about 4,000 comparisons per image for the homework network,
// against about 170,000 multiply-adds in its forward pass.
func (d *stallDetector) observe() {
	for i, r := range d.relus {
		if !d.fired[i] && anyPositive(r.out) {
			d.fired[i] = true
		}
	}
}

func anyPositive(xs []float64) bool {
	for _, x := range xs {
		if x > 0 {
			return true
		}
	}
	return false
}

// endEpoch judges the epoch whose metrics end history, run with learning
// rate lr, and starts watching the next. It returns nil if the run shows
// no sign of a stall.
func (d *stallDetector) endEpoch(history []EpochMetrics, lr float64) *StallWarning {
	last := history[len(history)-1]
	w := &StallWarning{Epoch: last.Epoch, FirstLoss: history[0].Train.Loss, Loss: last.Train.Loss, LearningRate: lr}
	for i, fired := range d.fired {
		if !fired && w.DeadLayer == "" {
			w.DeadLayer = d.inputs[i]
		}
		d.fired[i] = false
	}
	if n := flatEpochs(history); n >= flatEpochsToWarn {
		w.FlatEpochs = n
	}
	if w.DeadLayer == "" && w.FlatEpochs == 0 {
		return nil
	}
	return w
}

// flatEpochs counts the latest epochs in a row, after the first, whose
// training loss is not below the first epoch's.
func flatEpochs(history []EpochMetrics) int {
	n := 0
	for i := len(history) - 1; i > 0 && !(history[i].Train.Loss < history[0].Train.Loss); i-- {
		n++
	}
	return n
}
