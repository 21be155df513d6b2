package idx

import (
	"bytes"
	"compress/gzip"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	img := Images{Count: 3, Rows: 2, Cols: 2, Pixels: []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255}}
	labels := []byte{7, 0, 9}

	var ib, lb bytes.Buffer
	if err := WriteImages(&ib, img); err != nil {
		t.Fatalf("WriteImages: %v", err)
	}
	if err := WriteLabels(&lb, labels); err != nil {
		t.Fatalf("WriteLabels: %v", err)
	}

	gotImg, err := ReadImages(&ib)
	if err != nil {
		t.Fatalf("ReadImages: %v", err)
	}
	if gotImg.Count != img.Count || gotImg.Rows != img.Rows || gotImg.Cols != img.Cols || !bytes.Equal(gotImg.Pixels, img.Pixels) {
		t.Errorf("ReadImages = %+v, want %+v", gotImg, img)
	}
	gotLabels, err := ReadLabels(&lb)
	if err != nil {
		t.Fatalf("ReadLabels: %v", err)
	}
	if !bytes.Equal(gotLabels, labels) {
		t.Errorf("ReadLabels = %v, want %v", gotLabels, labels)
	}
}

func TestWriteIsDeterministic(t *testing.T) {
	labels := []byte{1, 2, 3, 4}
	var a, b bytes.Buffer
	if err := WriteLabels(&a, labels); err != nil {
		t.Fatal(err)
	}
	if err := WriteLabels(&b, labels); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes of the same labels differ")
	}
	zr, err := gzip.NewReader(&a)
	if err != nil {
		t.Fatal(err)
	}
	if h := zr.Header; h.Name != "" || h.Comment != "" || !h.ModTime.IsZero() || h.Extra != nil {
		t.Errorf("gzip header carries metadata: %+v", h)
	}
}

func TestWriteImagesRejectsBadShape(t *testing.T) {
	tests := []struct {
		name string
		img  Images
	}{
		{"zero rows", Images{Count: 1, Rows: 0, Cols: 2, Pixels: nil}},
		{"negative count", Images{Count: -1, Rows: 1, Cols: 1}},
		{"pixel count mismatch", Images{Count: 2, Rows: 2, Cols: 2, Pixels: make([]byte, 7)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := WriteImages(new(bytes.Buffer), tt.img); err == nil {
				t.Error("WriteImages accepted a bad shape")
			}
		})
	}
}

func TestReadRejectsMagicOfOtherShape(t *testing.T) {
	var lb bytes.Buffer
	if err := WriteLabels(&lb, []byte{1}); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadImages(&lb); err == nil {
		t.Error("ReadImages accepted a labels file")
	}
}
