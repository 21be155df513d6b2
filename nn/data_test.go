package nn

import (
	"math"
	"slices"
	"testing"
)

// Every byte converts to the float64 that the whole-set conversion of
// earlier versions stored (float64(p)/255), bit for bit, so a run that
// converts one chunk at a time sees exactly the values it saw before.
func TestAppendImageConvertsEachByteAsBefore(t *testing.T) {
	pixels := make([]uint8, 2*ImageSize)
	for i := range pixels {
		pixels[i] = uint8(i * 7)
	}
	d, err := NewData(pixels, []uint8{3, 9})
	if err != nil {
		t.Fatal(err)
	}
	got := d.AppendImage([]float64{-1}, 1)
	if len(got) != 1+ImageSize || got[0] != -1 {
		t.Fatalf("AppendImage returned %d values starting %v; want the 1 given plus %d", len(got), got[0], ImageSize)
	}
	for k, v := range got[1:] {
		want := float64(pixels[ImageSize+k]) / 255
		if math.Float64bits(v) != math.Float64bits(want) {
			t.Fatalf("pixel %d: %v, want %v", k, v, want)
		}
	}
	if !slices.Equal(d.Image(1), got[1:]) {
		t.Error("Image and AppendImage disagree")
	}
	if &d.Pixels[0] != &pixels[0] {
		t.Error("NewData copied the pixels; it should share them")
	}
}

// A set of at most TrainEvalLimit images is measured whole; a larger one
// on the first TrainEvalPerClass images of each class, in set order, and
// all of a class that has fewer.
func TestTrainEvalIndices(t *testing.T) {
	if got := TrainEvalIndices(make([]int, TrainEvalLimit)); got != nil {
		t.Errorf("a set of %d images: measured on %d of them, want all (nil)", TrainEvalLimit, len(got))
	}
	// Class c has 2000 images, interleaved, except class 9, which has 10.
	var labels []int
	for range 2000 {
		for c := range 9 {
			labels = append(labels, c)
		}
	}
	for range 10 {
		labels = append(labels, 9)
	}
	got := TrainEvalIndices(labels)
	if want := 9*TrainEvalPerClass + 10; len(got) != want {
		t.Fatalf("%d images measured, want %d", len(got), want)
	}
	if !slices.IsSorted(got) {
		t.Error("the measured images are not in set order")
	}
	var per [NumClasses]int
	for _, i := range got {
		per[labels[i]]++
	}
	for c, n := range per {
		if want := min(TrainEvalPerClass, map[bool]int{true: 10, false: 2000}[c == 9]); n != want {
			t.Errorf("class %d: %d measured, want %d", c, n, want)
		}
	}
	if got[0] != 0 || got[TrainEvalPerClass*9-1] != TrainEvalPerClass*9-1 {
		t.Errorf("not the first images of each class: %d… %d", got[0], got[TrainEvalPerClass*9-1])
	}
}
