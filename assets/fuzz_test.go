package assets

import (
	"bytes"
	"slices"
	"testing"

	"convlab/assets/internal/idx"
)

// FuzzParseIDX feeds ParseIDX arbitrary images and labels streams. With
// compress set, the inputs are gzip-compressed first, so the fuzzer works
// on the IDX content; without it, they are parsed as given, which exercises
// the gzip layer. ParseIDX must never panic, and whatever it accepts must
// be self-consistent and survive a write and re-read unchanged.
func FuzzParseIDX(f *testing.F) {
	f.Add(imagesRaw(2), labelsRaw(3, 9), true)
	f.Add(imagesRaw(0), labelsRaw(), true)
	f.Add(gz(f, imagesRaw(3)), gz(f, labelsRaw(0, 1, 2)), false)
	f.Add(imagesRaw(2)[:10], labelsRaw(1, 2), true)                // truncated header
	f.Add(imagesRaw(2)[:20], labelsRaw(1, 2), true)                // truncated data
	f.Add(append(imagesRaw(1), 7), labelsRaw(4), true)             // oversized
	f.Add(labelsRaw(1, 2), imagesRaw(2), true)                     // swapped magic numbers
	f.Add(imagesRaw(2), labelsRaw(1, 2, 3), true)                  // count mismatch
	f.Add(imagesRaw(1), labelsRaw(200), true)                      // label out of range
	f.Add(imagesRaw(1), labelsRaw(5), false)                       // not gzip
	f.Add([]byte{}, []byte{}, false)                               // empty
	f.Add(gz(f, imagesRaw(2))[:30], gz(f, labelsRaw(1, 2)), false) // gzip cut short
	f.Add(idxRaw(0x00000803, []uint32{1, 0xffffffff, 0xffffffff}, nil), labelsRaw(1), true)

	f.Fuzz(func(t *testing.T, images, labels []byte, compress bool) {
		imagesIn, labelsIn := images, labels
		if compress {
			imagesIn, labelsIn = gz(t, images), gz(t, labels)
		}
		d, err := ParseIDX(bytes.NewReader(imagesIn), bytes.NewReader(labelsIn))
		if err != nil {
			if d != nil {
				t.Fatalf("ParseIDX returned both a dataset and error %v", err)
			}
			return
		}
		assertConsistent(t, d)

		var ib, lb bytes.Buffer
		if err := idx.WriteImages(&ib, idx.Images{Count: d.Len(), Rows: d.Rows, Cols: d.Cols, Pixels: d.Pixels}); err != nil {
			t.Fatalf("writing accepted images: %v", err)
		}
		if err := idx.WriteLabels(&lb, d.Labels); err != nil {
			t.Fatalf("writing accepted labels: %v", err)
		}
		again, err := ParseIDX(&ib, &lb)
		if err != nil {
			t.Fatalf("re-reading accepted input: %v", err)
		}
		if again.Rows != d.Rows || again.Cols != d.Cols || !bytes.Equal(again.Pixels, d.Pixels) || !bytes.Equal(again.Labels, d.Labels) {
			t.Fatal("accepted input changed on a write and re-read")
		}
		if compress {
			// The accepted raw files must be exactly a header and the data.
			raw := idxRaw(0x00000803, []uint32{uint32(d.Len()), uint32(d.Rows), uint32(d.Cols)}, d.Pixels)
			if !bytes.Equal(raw, images) {
				t.Fatal("accepted images file is not its header followed by its pixels")
			}
			if !bytes.Equal(labelsRaw(d.Labels...), labels) {
				t.Fatal("accepted labels file is not its header followed by its labels")
			}
		}
	})
}

// assertConsistent checks that the parts of a parsed dataset agree.
func assertConsistent(t *testing.T, d *Dataset) {
	t.Helper()
	n := d.Len()
	if d.Rows < 1 || d.Cols < 1 {
		t.Fatalf("accepted image size %d×%d", d.Rows, d.Cols)
	}
	if len(d.Pixels) != n*d.Rows*d.Cols {
		t.Fatalf("%d pixel bytes for %d images of %d×%d", len(d.Pixels), n, d.Rows, d.Cols)
	}
	for i, l := range d.Labels {
		if l > 9 {
			t.Fatalf("label %d at %d accepted", l, i)
		}
	}
	total := 0
	for _, c := range d.CountPerClass() {
		total += c
	}
	if total != n {
		t.Fatalf("CountPerClass adds up to %d, Len is %d", total, n)
	}
	wantIndices := make([]int, n)
	for i := range wantIndices {
		wantIndices[i] = i
	}
	if !slices.Equal(d.Indices, wantIndices) {
		t.Fatalf("Indices = %v, want 0..%d", d.Indices, n-1)
	}
	if n > 0 && len(d.Image(n-1)) != d.Rows*d.Cols {
		t.Fatal("last image has the wrong size")
	}
}
