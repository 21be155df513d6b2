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
// evaluated a little at a time.
type evaluator struct {
	data    *Data
	next    int
	lossSum float64
	result  Evaluation
}

func newEvaluator(d *Data) *evaluator {
	return &evaluator{data: d, result: Evaluation{Predicted: make([]int, 0, d.Len())}}
}

func (e *evaluator) done() bool { return e.next >= e.data.Len() }

// step evaluates up to chunk more images.
func (e *evaluator) step(n *Network, chunk int) {
	b := min(chunk, e.data.Len()-e.next)
	labels := e.data.Labels[e.next : e.next+b]
	logits := n.Forward(e.data.Images[e.next*ImageSize:(e.next+b)*ImageSize], b)
	e.lossSum += CrossEntropy(logits, labels, NumClasses, nil) * float64(b)
	for i, y := range labels {
		p := Argmax(logits[i*NumClasses : (i+1)*NumClasses])
		e.result.Confusion[y][p]++
		e.result.Predicted = append(e.result.Predicted, p)
	}
	e.next += b
}

// finish computes the summary figures.
func (e *evaluator) finish() Evaluation {
	r := e.result
	total := e.data.Len()
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
	e := newEvaluator(d)
	for !e.done() {
		e.step(n, max(chunk, 1))
	}
	return e.finish()
}
