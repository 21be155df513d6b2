package workload

import (
	"reflect"
	"testing"
)

func TestRunIsReproducible(t *testing.T) {
	train, test, err := Data(3, 1)
	if err != nil {
		t.Fatal(err)
	}
	first, err := Run(train, test, 4, 2)
	if err != nil {
		t.Fatal(err)
	}
	second, _ := Run(train, test, 4, 2)
	if len(first) != 2 || len(first[1].Predicted) != test.Len() || len(first[1].WeightSums) != 8 {
		t.Fatalf("got %d epochs (last: %d predictions, %d weight sums), want 2 epochs, %d predictions and 8 sums",
			len(first), len(first[len(first)-1].Predicted), len(first[len(first)-1].WeightSums), test.Len())
	}
	if !reflect.DeepEqual(first, second) {
		t.Error("two runs of one setup differ")
	}
}

func TestMeasureTimesBothPhases(t *testing.T) {
	train, test, err := Data(3, 1)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Measure(train, test, 5)
	if err != nil {
		t.Fatal(err)
	}
	if s.Batch != 5 || !(s.Train > 0) || !(s.Inference > 0) || s.SIMD {
		t.Errorf("Measure = %+v, want batch 5, positive speeds and no SIMD natively", s)
	}
}
