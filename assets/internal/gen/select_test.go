package main

import (
	"bytes"
	"reflect"
	"testing"

	"convlab/assets/internal/idx"
	"convlab/assets/internal/manifest"
)

func TestFirstPerClass(t *testing.T) {
	labels := []byte{3, 1, 3, 3, 0, 1, 9, 1}
	tests := []struct {
		n    int
		want []int
	}{
		{1, []int{0, 1, 4, 6}},
		{2, []int{0, 1, 2, 4, 5, 6}},
		{5, []int{0, 1, 2, 3, 4, 5, 6, 7}},
	}
	for _, tt := range tests {
		if got := firstPerClass(labels, tt.n); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("firstPerClass(%v, %d) = %v, want %v", labels, tt.n, got, tt.want)
		}
	}
}

func TestFirstNotIn(t *testing.T) {
	labels := []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 0, 5, 1, 2, 3, 4, 6, 7, 8}
	got, err := firstNotIn(labels, []int{0, 1, 2, 3, 4, 5, 6, 7, 8})
	if err != nil {
		t.Fatal(err)
	}
	want := []int{9, 11, 12, 13, 14, 15, 16, 17, 18, 19}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("firstNotIn = %v, want %v", got, want)
	}
	if _, err := firstNotIn(labels[:10], []int{3}); err == nil {
		t.Error("firstNotIn found an image of digit 3 where none is left")
	}
}

func TestSubset(t *testing.T) {
	s := source{
		images: idx.Images{Count: 3, Rows: 1, Cols: 2, Pixels: []byte{10, 11, 20, 21, 30, 31}},
		labels: []byte{4, 5, 6},
	}
	images, labels := subset(s, []int{0, 2})
	if images.Count != 2 || !bytes.Equal(images.Pixels, []byte{10, 11, 30, 31}) || !bytes.Equal(labels, []byte{4, 6}) {
		t.Errorf("subset = %+v %v", images, labels)
	}
}

func TestLabelsFile(t *testing.T) {
	s := source{labels: []byte{3, 1, 3, 3, 0, 1, 9, 1, 3}}
	set := firstPerClass(s.labels, 2) // 0, 1, 2, 4, 5, 6
	if got := labelsFile(s, set, labelsPrefix); !bytes.Equal(got, []byte{3, 1, 3, 3, 0, 1, 9}) {
		t.Errorf("prefix labels %v, want every label through index 6", got)
	}
	if got := labelsFile(s, []int{3, 8}, labelsOfSet); !bytes.Equal(got, []byte{3, 3}) {
		t.Errorf("labels of the set %v, want one per image", got)
	}
}

func TestSplitTiers(t *testing.T) {
	labels := []byte{3, 1, 3, 3, 0, 1, 9, 1, 3}
	got := splitTiers(labels, []int{1, 3})
	want := [][]int{{0, 1, 4, 6}, {2, 3, 5, 7}} // the fourth 3 (position 8) is in no tier
	if !reflect.DeepEqual(got, want) {
		t.Errorf("splitTiers = %v, want %v", got, want)
	}
}

func TestTierName(t *testing.T) {
	if got := tierName("data/test", []int{100}, 0); got != "data/test-images-idx3-ubyte.gz" {
		t.Errorf("one tier: %s", got)
	}
	if got := tierName("data/train", []int{100, 500}, 1); got != "data/train-images-101to500-idx3-ubyte.gz" {
		t.Errorf("second of two tiers: %s", got)
	}
}

func TestBundleSource(t *testing.T) {
	m := &manifest.Manifest{
		Train: manifest.Set{Labels: manifest.File{Name: "data/l.gz", Size: 3, SHA256: "ab", CRC32: 0x0102abcd},
			Tiers: []manifest.Tier{{UpTo: 2, Images: manifest.File{Name: "data/i.gz", Size: 4, SHA256: "cd", CRC32: 7}}}},
	}
	code, err := bundleSource(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"func TrainBundle() Bundle", "func TestBundle() Bundle", `Set:    "training"`,
		`Labels: File{Name: "data/l.gz", Size: 3, CRC32: 0x0102abcd}`,
		`{UpTo: 2, Images: File{Name: "data/i.gz", Size: 4, CRC32: 0x00000007}}`,
	} {
		if !bytes.Contains(code, []byte(want)) {
			t.Errorf("generated source lacks %s:\n%s", want, code)
		}
	}
}
