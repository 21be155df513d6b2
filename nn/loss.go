package nn

import "math"

// Softmax writes the probabilities softmax(logits) into probs (same length)
// using the max-shift, so any finite logits give finite probabilities.
func Softmax(logits, probs []float64) {
	m := math.Inf(-1)
	for _, v := range logits {
		m = max(m, v)
	}
	total := 0.0
	for i, v := range logits {
		probs[i] = exp(v - m)
		total += probs[i]
	}
	for i := range probs {
		probs[i] /= total
	}
}

// logSumExp returns log Σ exp(v) computed stably.
func logSumExp(logits []float64) float64 {
	m := math.Inf(-1)
	for _, v := range logits {
		m = max(m, v)
	}
	total := 0.0
	for _, v := range logits {
		total += exp(v - m)
	}
	return m + log(total)
}

// CrossEntropy computes the mean softmax cross-entropy of a batch of logits
// (batch×classes) against integer labels (one-hot targets), and writes the
// gradient of that mean with respect to the logits into grad:
//
//	loss = (1/B) Σ_b [ logΣ_j exp(z_bj) − z_b,y_b ]
//	∂loss/∂z_bj = (softmax(z_b)_j − [j = y_b]) / B
//
// The log-sum-exp form keeps the loss finite for logits as large as ±1000.
// grad may be nil when only the loss is wanted.
func CrossEntropy(logits []float64, labels []int, classes int, grad []float64) float64 {
	batch := len(labels)
	total := 0.0
	for b, y := range labels {
		z := logits[b*classes : (b+1)*classes]
		lse := logSumExp(z)
		total += lse - z[y]
		if grad == nil {
			continue
		}
		g := grad[b*classes : (b+1)*classes]
		for j, v := range z {
			g[j] = exp(v-lse) / float64(batch)
		}
		g[y] -= 1 / float64(batch)
	}
	return total / float64(batch)
}
