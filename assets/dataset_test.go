package assets

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// tiny returns a 1×2-pixel dataset whose image i holds pixels {i, 100+i}.
func tiny(labels ...uint8) *Dataset {
	d := &Dataset{Rows: 1, Cols: 2, Labels: labels}
	for i := range labels {
		d.Pixels = append(d.Pixels, uint8(i), uint8(100+i))
		d.Indices = append(d.Indices, 1000+i)
	}
	return d
}

// everyClass returns labels 0..9 repeated times times, in that order.
func everyClass(times int) []uint8 {
	var labels []uint8
	for range times {
		for c := range uint8(10) {
			labels = append(labels, c)
		}
	}
	return labels
}

func TestImageIsAViewOfItsImage(t *testing.T) {
	d := tiny(3, 4, 5)
	img := d.Image(1)
	if !bytes.Equal(img, []uint8{1, 101}) {
		t.Fatalf("Image(1) = %v, want [1 101]", img)
	}
	img[0] = 42
	if d.Pixels[2] != 42 {
		t.Error("Image(1) is a copy, want a view into Pixels")
	}
	if cap(img) != 2 {
		t.Errorf("cap(Image(1)) = %d, want 2 so appends cannot spill into image 2", cap(img))
	}
}

func TestCountPerClass(t *testing.T) {
	d := tiny(3, 3, 0, 9, 3)
	want := [10]int{0: 1, 3: 3, 9: 1}
	if got := d.CountPerClass(); got != want {
		t.Errorf("CountPerClass = %v, want %v", got, want)
	}
	if got := d.Len(); got != 5 {
		t.Errorf("Len = %d, want 5", got)
	}
}

func TestFirstPerClass(t *testing.T) {
	// Labels 0..9, then 9..0, then 0..9 again: image i has index 1000+i.
	labels := append(everyClass(1), 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
	labels = append(labels, everyClass(1)...)

	tests := []struct {
		name        string
		n           int
		wantIndices []int // nil when an error is expected
		wantErr     string
	}{
		{name: "one per class", n: 1, wantIndices: []int{1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009}},
		{name: "two per class keeps file order", n: 2, wantIndices: []int{
			1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009,
			1010, 1011, 1012, 1013, 1014, 1015, 1016, 1017, 1018, 1019}},
		{name: "all", n: 3, wantIndices: func() []int {
			var all []int
			for i := range 30 {
				all = append(all, 1000+i)
			}
			return all
		}()},
		{name: "zero", n: 0, wantErr: "n must be at least 1"},
		{name: "negative", n: -2, wantErr: "n must be at least 1"},
		{name: "more than a class has", n: 4, wantErr: "class 0 has only 3 images"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tiny(labels...)
			got, err := d.FirstPerClass(tt.n)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("FirstPerClass(%d) error = %v, want one containing %q", tt.n, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("FirstPerClass(%d): %v", tt.n, err)
			}
			if !reflect.DeepEqual(got.Indices, tt.wantIndices) {
				t.Errorf("Indices = %v, want %v", got.Indices, tt.wantIndices)
			}
			for want, c := range got.CountPerClass() {
				if c != tt.n {
					t.Errorf("class %d: %d images, want %d", want, c, tt.n)
				}
			}
			// Each kept image must carry its own pixels and label.
			for i, index := range got.Indices {
				src := index - 1000
				if !bytes.Equal(got.Image(i), d.Image(src)) || got.Labels[i] != d.Labels[src] {
					t.Errorf("image %d is not source image %d", i, src)
				}
			}
			got.Pixels[0] = 255
			if d.Pixels[0] == 255 {
				t.Error("FirstPerClass shares pixels with its source, want a copy")
			}
		})
	}
}

func TestFirstPerClassRejectsInconsistentDataset(t *testing.T) {
	tests := []struct {
		name   string
		mangle func(*Dataset)
	}{
		{"missing pixels", func(d *Dataset) { d.Pixels = d.Pixels[:len(d.Pixels)-1] }},
		{"missing indices", func(d *Dataset) { d.Indices = nil }},
		{"empty image size", func(d *Dataset) { d.Rows = 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tiny(everyClass(1)...)
			tt.mangle(d)
			if _, err := d.FirstPerClass(1); err == nil {
				t.Error("FirstPerClass accepted an inconsistent dataset")
			}
		})
	}
}
