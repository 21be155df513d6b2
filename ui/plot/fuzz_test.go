package plot

import (
	"math"
	"testing"
)

// FuzzNiceTicks checks that any input gives either nil or a strictly
// increasing, finite tick list within the budget that covers the range.
func FuzzNiceTicks(f *testing.F) {
	f.Add(0.0, 1.0, 5)
	f.Add(-3.2, 7.9, 8)
	f.Add(5.0, 5.0, 2)
	f.Add(1e-300, 2e-300, 1000000)
	f.Add(-1e300, 1e300, 3)
	f.Fuzz(func(t *testing.T, lo, hi float64, maxTicks int) {
		ticks := NiceTicks(lo, hi, maxTicks)
		if ticks == nil {
			return
		}
		limit := min(max(maxTicks, 3), MaxTicks)
		if len(ticks) < 2 || len(ticks) > limit {
			t.Fatalf("NiceTicks(%v, %v, %d): %d ticks, limit %d", lo, hi, maxTicks, len(ticks), limit)
		}
		for i, v := range ticks {
			if math.IsNaN(v) || math.IsInf(v, 0) || (i > 0 && v <= ticks[i-1]) {
				t.Fatalf("NiceTicks(%v, %v, %d) = %v", lo, hi, maxTicks, ticks)
			}
		}
		if a, b := min(lo, hi), max(lo, hi); ticks[0] > a || ticks[len(ticks)-1] < b {
			t.Fatalf("NiceTicks(%v, %v, %d) = %v does not cover the range", lo, hi, maxTicks, ticks)
		}
	})
}
