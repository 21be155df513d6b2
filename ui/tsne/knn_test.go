package tsne

import (
	"strings"
	"testing"
)

func TestKNNAgreement(t *testing.T) {
	// Two labelled pairs on a line: {0, 1} and {10, 11}.
	high := [][]float64{{0}, {1}, {10}, {11}}
	labels := []int{0, 0, 1, 1}
	line := [][2]float64{{0, 0}, {1, 0}, {10, 0}, {11, 0}}
	swapped := [][2]float64{{0, 0}, {10, 0}, {1, 0}, {11, 0}} // each point's nearest has the other label
	tests := []struct {
		name   string
		low    [][2]float64
		k      int
		hi, lo float64
	}{
		{"nearest neighbour kept", line, 1, 1, 1},
		{"nearest neighbour swapped", swapped, 1, 1, 0},
		{"two neighbours", line, 2, 0.5, 0.5},
		{"all neighbours", swapped, 3, 1.0 / 3, 1.0 / 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hi, lo, err := KNNAgreement(high, tc.low, labels, tc.k)
			if err != nil {
				t.Fatal(err)
			}
			if hi != tc.hi || lo != tc.lo {
				t.Errorf("got hi %v lo %v, want %v %v", hi, lo, tc.hi, tc.lo)
			}
		})
	}
}

func TestKNNAgreementBreaksTiesByIndex(t *testing.T) {
	// Points 1 and 2 are equally close to point 0; point 1 wins.
	high := [][]float64{{0}, {-1}, {1}}
	low := [][2]float64{{0, 0}, {-1, 0}, {1, 0}}
	hi, lo, err := KNNAgreement(high, low, []int{7, 7, 8}, 1)
	if err != nil {
		t.Fatal(err)
	}
	// Point 0 picks point 1 (same label); points 1 and 2 pick point 0.
	if want := 2.0 / 3; hi != want || lo != want {
		t.Errorf("got hi %v lo %v, want %v for both", hi, lo, want)
	}
}

func TestKNNAgreementRejectsBadInput(t *testing.T) {
	high := [][]float64{{0}, {1}, {2}}
	low := [][2]float64{{0, 0}, {1, 0}, {2, 0}}
	labels := []int{0, 1, 0}
	tests := []struct {
		name   string
		high   [][]float64
		low    [][2]float64
		labels []int
		k      int
		want   string
	}{
		{"short labels", high, low, labels[:2], 1, "labels"},
		{"short map", high, low[:2], labels, 1, "labels"},
		{"k zero", high, low, labels, 0, "k in [1, 2]"},
		{"k n", high, low, labels, 3, "k in [1, 2]"},
		{"ragged high", [][]float64{{0}, {1, 2}, {2}}, low, labels, 1, "point 1 has 2 coordinates"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := KNNAgreement(tc.high, tc.low, tc.labels, tc.k)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
