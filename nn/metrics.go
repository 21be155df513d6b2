package nn

import "math"

// Evaluation summarises the network's predictions on a data set.
type Evaluation struct {
	Loss      float64 // mean cross-entropy
	Error     float64 // fraction misclassified
	Accuracy  float64 // fraction correct, 1 − Error
	Confusion [NumClasses][NumClasses]int
	// ClassAccuracy is the fraction of each true class predicted correctly
	// (NaN for a class with no images).
	ClassAccuracy [NumClasses]float64
	Predicted     []int // the predicted class of each image, in order
}

// evaluator accumulates an Evaluation chunk by chunk, so a large set can be
// evaluated a little at a time. It measures the images of data that
// indices lists, in that order, or all of them if indices is nil.
type evaluator struct {
	data    *Data
	indices []int
	next    int
	lossSum float64
	result  Evaluation
	images  []float64 // the current chunk as floats, reused
	labels  []int     // the current chunk's labels, reused
}

func newEvaluator(d *Data, indices []int) *evaluator {
	e := &evaluator{data: d, indices: indices}
	e.result.Predicted = make([]int, 0, e.len())
	return e
}

// len is the number of images measured.
func (e *evaluator) len() int {
	if e.indices != nil {
		return len(e.indices)
	}
	return e.data.Len()
}

func (e *evaluator) done() bool { return e.next >= e.len() }

// step evaluates up to chunk more images, converting only them to floats.
func (e *evaluator) step(n *Network, chunk int) {
	b := min(chunk, e.len()-e.next)
	e.images, e.labels = e.images[:0], e.labels[:0]
	for k := e.next; k < e.next+b; k++ {
		i := k
		if e.indices != nil {
			i = e.indices[k]
		}
		e.images = e.data.AppendImage(e.images, i)
		e.labels = append(e.labels, e.data.Labels[i])
	}
	logits := n.Forward(e.images, b)
	e.lossSum += CrossEntropy(logits, e.labels, NumClasses, nil) * float64(b)
	for i, y := range e.labels {
		p := Argmax(logits[i*NumClasses : (i+1)*NumClasses])
		e.result.Confusion[y][p]++
		e.result.Predicted = append(e.result.Predicted, p)
	}
	e.next += b
}

// finish computes the summary figures.
func (e *evaluator) finish() Evaluation {
	r := e.result
	total := e.len()
	r.Loss = e.lossSum / float64(total)
	correct := 0
	for c := range NumClasses {
		row := 0
		for _, v := range r.Confusion[c] {
			row += v
		}
		correct += r.Confusion[c][c]
		r.ClassAccuracy[c] = math.NaN()
		if row > 0 {
			r.ClassAccuracy[c] = float64(r.Confusion[c][c]) / float64(row)
		}
	}
	r.Accuracy = float64(correct) / float64(total)
	r.Error = 1 - r.Accuracy
	return r
}

// Evaluate runs the whole data set through n, chunk images at a time.
func Evaluate(n *Network, d *Data, chunk int) Evaluation {
	e := newEvaluator(d, nil)
	for !e.done() {
		e.step(n, max(chunk, 1))
	}
	return e.finish()
}

// Measuring the training error after each epoch costs a forward pass per
// image measured; on the whole of a big set it would add a third to an
// epoch's work (a forward pass is about a third of a forward and backward
// one). A training set of more than TrainEvalLimit images (MNIST's 60,000,
// say) is therefore measured on a fixed, class-balanced part of it: the
// first TrainEvalPerClass images of each class, in set order, the same
// after every epoch and in every run of the same set. Smaller sets, the
// bundled ones among them, are measured whole. The test set is always
// measured whole.
const (
	TrainEvalLimit    = 10_000
	TrainEvalPerClass = 1_000
)

// TrainEvalIndices returns the images of a training set with the given
// labels that the end-of-epoch training error is measured on: nil (all of
// them) for a set of at most TrainEvalLimit images, else the first
// TrainEvalPerClass of each class (fewer for a class that has fewer), in
// set order.
func TrainEvalIndices(labels []int) []int {
	if len(labels) <= TrainEvalLimit {
		return nil
	}
	var taken [NumClasses]int
	out := make([]int, 0, NumClasses*TrainEvalPerClass)
	for i, l := range labels {
		if taken[l] < TrainEvalPerClass {
			taken[l]++
			out = append(out, i)
		}
	}
	return out
}
