package plot

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestNiceTicks(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	tests := []struct {
		name     string
		lo, hi   float64
		maxTicks int
		want     []float64
	}{
		{"unit interval", 0, 1, 5, []float64{0, 0.5, 1}},
		{"percent", 0, 100, 6, []float64{0, 20, 40, 60, 80, 100}},
		{"reversed bounds", 100, 0, 6, []float64{0, 20, 40, 60, 80, 100}},
		{"loose ends", 0.13, 2.37, 5, []float64{0, 1, 2, 3}},
		{"negative to positive", -3.2, 7.9, 8, []float64{-4, -2, 0, 2, 4, 6, 8}},
		{"small decimals", 0.001, 0.0042, 5, []float64{0.001, 0.002, 0.003, 0.004, 0.005}},
		{"tenths without float noise", 0.1, 0.7, 7, []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7}},
		{"large", 1200, 98000, 6, []float64{0, 20000, 40000, 60000, 80000, 100000}},
		{"equal bounds", 5, 5, 5, []float64{4.5, 5, 5.5}},
		{"equal at zero", 0, 0, 5, []float64{-1, -0.5, 0, 0.5, 1}},
		{"too few ticks asked", 0, 1, 1, []float64{0, 0.5, 1}},
		{"straddling zero with three ticks", -0.3, 0.8, 3, []float64{-1, 0, 1}},
		{"NaN", nan, 1, 5, nil},
		{"infinite", 0, inf, 5, nil},
		{"span overflows", -1e308, 1e308, 5, nil},
		{"step overflows", 0, 1.7e308, 2, nil},
	}
	for _, tt := range tests {
		got := NiceTicks(tt.lo, tt.hi, tt.maxTicks)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: NiceTicks(%v, %v, %d) = %v, want %v", tt.name, tt.lo, tt.hi, tt.maxTicks, got, tt.want)
		}
	}
}

// For random ranges the ticks cover the range, fit the budget, are evenly
// spaced by a 1-2-5 step, and that step is the smallest that fits.
func TestNiceTicksInvariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		scale := math.Pow(10, float64(rng.IntN(16)-8))
		lo := (rng.Float64()*2 - 1) * scale
		hi := lo + rng.Float64()*scale
		maxTicks := 3 + rng.IntN(12)
		ticks := NiceTicks(lo, hi, maxTicks)
		if len(ticks) < 2 || len(ticks) > maxTicks {
			t.Fatalf("NiceTicks(%v, %v, %d) gave %d ticks", lo, hi, maxTicks, len(ticks))
		}
		first, last := ticks[0], ticks[len(ticks)-1]
		if lo != hi && (first > lo || last < hi) {
			t.Fatalf("NiceTicks(%v, %v, %d) = %v does not cover the range", lo, hi, maxTicks, ticks)
		}
		st := ticks[1] - ticks[0]
		mant := st / math.Pow(10, math.Floor(math.Log10(st)))
		if !near(mant, 1) && !near(mant, 2) && !near(mant, 5) && !near(mant, 10) {
			t.Fatalf("step %v of %v is not 1, 2 or 5 times a power of ten", st, ticks)
		}
		for i := 1; i < len(ticks); i++ {
			if !near(ticks[i]-ticks[i-1], st) {
				t.Fatalf("uneven ticks %v", ticks)
			}
		}
		if smaller := smallerNiceStep(st); lo != hi && countTicks(lo, hi, smaller) <= maxTicks {
			t.Fatalf("NiceTicks(%v, %v, %d) used step %v, but %v also fits", lo, hi, maxTicks, st, smaller)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(math.Abs(a), math.Abs(b)) }

// smallerNiceStep returns the 1-2-5 step just below st.
func smallerNiceStep(st float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(st)+1e-9))
	switch m := math.Round(st / p); m {
	case 1:
		return p / 2
	case 2:
		return p
	default:
		return 2 * p
	}
}

func countTicks(lo, hi, st float64) int {
	return int(math.Ceil(hi/st)-math.Floor(lo/st)) + 1
}

func TestFormatTick(t *testing.T) {
	tests := []struct {
		v, step float64
		want    string
	}{
		{0.30000000000000004, 0.1, "0.3"},
		{20, 10, "20"},
		{-40, 20, "-40"},
		{0.15, 0.05, "0.15"},
		{1, 0.5, "1.0"},
		{-1e-17, 0.1, "0.0"},
		{0.0042, 0.001, "0.004"},
		{3e6, 1e6, "3e+06"},
		{1.2e7, 2e6, "1.2e+07"},
		{0, 1e6, "0"},
		{5e-5, 5e-5, "5e-05"},
		{1.5e-4, 5e-5, "1.5e-04"},
		{2.5, 0, "2.5"},
		{2.5, math.NaN(), "2.5"},
		{math.NaN(), 1, "NaN"},
		{math.Inf(-1), 1, "-Inf"},
	}
	for _, tt := range tests {
		if got := FormatTick(tt.v, tt.step); got != tt.want {
			t.Errorf("FormatTick(%v, %v) = %q, want %q", tt.v, tt.step, got, tt.want)
		}
	}
}

func TestFormatPercent(t *testing.T) {
	tests := []struct {
		v, step float64
		want    string
	}{
		{0.25, 0.05, "25%"},
		{0.125, 0.025, "12.5%"},
		{1, 0.2, "100%"},
		{0.987, 0.001, "98.7%"},
	}
	for _, tt := range tests {
		if got := FormatPercent(tt.v, tt.step); got != tt.want {
			t.Errorf("FormatPercent(%v, %v) = %q, want %q", tt.v, tt.step, got, tt.want)
		}
	}
}

func TestTicksAndLabelsTogether(t *testing.T) {
	ticks := NiceTicks(0, 0.7, 8)
	var labels []string
	for _, v := range ticks {
		labels = append(labels, FormatTick(v, ticks[1]-ticks[0]))
	}
	want := []string{"0.0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"}
	if !slices.Equal(labels, want) {
		t.Errorf("labels %q, want %q", labels, want)
	}
}
