package nn

// Small dense matrix kernels for the layers. The matrices here are tiny
// (4 output channels, 25–100 patch rows, at most 784 columns), so plain
// loops over contiguous rows do well: gonum's Dgemm splits products with
// more than a few 64-column blocks across goroutines, which in the
// browser's single thread only adds scheduling. Every kernel accumulates
// into c (c += …); all matrices are row-major and dense.
//
// The kernels fold four rows of one operand into each pass over a row of
// c, so c is loaded and stored once per four products instead of once per
// product. The additions still happen one product at a time in a fixed
// order, so results do not depend on the platform.

// mulAdd computes c += a·b for a (m×k), b (k×n) and c (m×n).
func mulAdd(m, n, k int, a, b, c []float64) {
	for i := 0; i < m; i++ {
		addRows(a[i*k:(i+1)*k], 1, b, n, c[i*n:(i+1)*n])
	}
}

// mulAddTransA computes c += aᵀ·b for a (k×m), b (k×n) and c (m×n).
func mulAddTransA(m, n, k int, a, b, c []float64) {
	for i := 0; i < m; i++ {
		addRows(a[i:], m, b, n, c[i*n:(i+1)*n])
	}
}

// addRows computes ci += Σ_l coef[l·stride]·b_l over the k = len(b)/n rows
// b_l of b, four rows at a time.
func addRows(coef []float64, stride int, b []float64, n int, ci []float64) {
	k := len(b) / n
	l := 0
	for ; l+4 <= k; l += 4 {
		a0, a1, a2, a3 := coef[l*stride], coef[(l+1)*stride], coef[(l+2)*stride], coef[(l+3)*stride]
		b0 := b[l*n : (l+1)*n]
		b1 := b[(l+1)*n : (l+2)*n]
		b2 := b[(l+2)*n : (l+3)*n]
		b3 := b[(l+3)*n : (l+4)*n]
		b1, b2, b3, ci = b1[:len(b0)], b2[:len(b0)], b3[:len(b0)], ci[:len(b0)]
		for j, v := range b0 {
			s := ci[j] + a0*v
			s += a1 * b1[j]
			s += a2 * b2[j]
			s += a3 * b3[j]
			ci[j] = s
		}
	}
	for ; l < k; l++ {
		axpy(coef[l*stride], b[l*n:(l+1)*n], ci)
	}
}

// mulAddTransB computes c += a·bᵀ for a (m×k), b (n×k) and c (m×n): each
// entry is a dot product of two rows, four entries at a time.
func mulAddTransB(m, n, k int, a, b, c []float64) {
	for i := 0; i < m; i++ {
		ai := a[i*k : (i+1)*k]
		ci := c[i*n : (i+1)*n]
		j := 0
		for ; j+4 <= n; j += 4 {
			b0 := b[j*k : (j+1)*k]
			b1 := b[(j+1)*k : (j+2)*k][:len(b0)]
			b2 := b[(j+2)*k : (j+3)*k][:len(b0)]
			b3 := b[(j+3)*k : (j+4)*k][:len(b0)]
			x := ai[:len(b0)]
			var s0, s1, s2, s3 float64
			for t, v := range x {
				s0 += v * b0[t]
				s1 += v * b1[t]
				s2 += v * b2[t]
				s3 += v * b3[t]
			}
			ci[j] += s0
			ci[j+1] += s1
			ci[j+2] += s2
			ci[j+3] += s3
		}
		for ; j < n; j++ {
			ci[j] += dot(ai, b[j*k:(j+1)*k])
		}
	}
}

// axpy computes y += alpha·x over len(x) elements.
func axpy(alpha float64, x, y []float64) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += alpha * v
	}
}

// dot returns Σ x[i]·y[i] over len(x) elements, summed left to right.
func dot(x, y []float64) float64 {
	y = y[:len(x)]
	s := 0.0
	for i, v := range x {
		s += v * y[i]
	}
	return s
}
