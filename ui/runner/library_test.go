package runner

import (
	"strings"
	"testing"
	"time"

	"convlab/assets"
	"convlab/nn"
)

func TestMapSubset(t *testing.T) {
	labels := make([]int, 1000)
	for i := range labels {
		labels[i] = (i * 7) % 10
	}
	got := MapSubset(labels, 200)
	if len(got) != 200 {
		t.Fatalf("%d points, want 200", len(got))
	}
	var per [10]int
	for i, idx := range got {
		per[labels[idx]]++
		if i > 0 && idx <= got[i-1] {
			t.Fatalf("indices not in test-set order at %d", i)
		}
	}
	for c, n := range per {
		if n != 20 {
			t.Errorf("class %d has %d points, want 20", c, n)
		}
	}
	if small := MapSubset(labels[:50], 200); len(small) != 50 {
		t.Errorf("a 50-image test set gives %d points, want all 50", len(small))
	}
}

func TestLibrarySets(t *testing.T) {
	lib := testLibrary(t)
	s := short(nn.OptimizerSGD, 10, 1, 12)
	train, test, err := lib.Sets(s)
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 120 || test.Len() != 50 {
		t.Errorf("%d training and %d test images, want 120 and 50", train.Len(), test.Len())
	}
	for _, per := range []int{assets.MaxTestPerClass + 1, assets.AllPerClass} {
		s.TestPerClass = per
		if _, _, err := lib.Sets(s); err == nil || !strings.Contains(err.Error(), "full files are not loaded") {
			t.Errorf("%d test images per class from the bundle: error %v", per, err)
		}
	}
	s.TestPerClass, s.TrainPerClass = 10, assets.AllPerClass
	if _, _, err := lib.Sets(s); err == nil {
		t.Error("all training images from the bundle were accepted")
	}
}

func TestRate(t *testing.T) {
	var r rate
	if r.perSecond() != 0 {
		t.Error("an empty rate is not 0")
	}
	for range 300 { // 10 images every 5 ms: 2000 images/s
		r.add(10, 5*time.Millisecond)
	}
	if got := r.perSecond(); got != 2000 {
		t.Errorf("rate %g, want 2000", got)
	}
	for range 250 { // then 10 images every 10 ms, for more than the window
		r.add(10, 10*time.Millisecond)
	}
	if got := r.perSecond(); got != 1000 {
		t.Errorf("rate %g after slowing down, want the recent 1000", got)
	}
}
