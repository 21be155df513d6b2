package assets

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// gz returns raw gzip-compressed.
func gz(t testing.TB, raw []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// idxRaw returns an uncompressed IDX file: magic, dimension sizes, body.
func idxRaw(magic uint32, dims []uint32, body []byte) []byte {
	raw := binary.BigEndian.AppendUint32(nil, magic)
	for _, d := range dims {
		raw = binary.BigEndian.AppendUint32(raw, d)
	}
	return append(raw, body...)
}

// imagesRaw returns an uncompressed IDX images file of count 2×2 images
// with pixel bytes 0, 1, 2, ….
func imagesRaw(count int) []byte {
	body := make([]byte, count*4)
	for i := range body {
		body[i] = byte(i)
	}
	return idxRaw(0x00000803, []uint32{uint32(count), 2, 2}, body)
}

// labelsRaw returns an uncompressed IDX labels file.
func labelsRaw(labels ...byte) []byte {
	return idxRaw(0x00000801, []uint32{uint32(len(labels))}, labels)
}

func TestParseIDX(t *testing.T) {
	d, err := ParseIDX(bytes.NewReader(gz(t, imagesRaw(3))), bytes.NewReader(gz(t, labelsRaw(7, 0, 9))))
	if err != nil {
		t.Fatalf("ParseIDX: %v", err)
	}
	want := &Dataset{
		Rows: 2, Cols: 2,
		Pixels:  []uint8{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
		Labels:  []uint8{7, 0, 9},
		Indices: []int{0, 1, 2},
	}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("ParseIDX = %+v, want %+v", d, want)
	}
}

func TestParseIDXErrors(t *testing.T) {
	validImages := gz(t, imagesRaw(2))
	validLabels := gz(t, labelsRaw(1, 2))
	badChecksum := bytes.Clone(validImages)
	badChecksum[len(badChecksum)-8] ^= 0xff // first byte of the CRC-32 trailer

	tests := []struct {
		name           string
		images, labels []byte
		wantErr        []string // all must appear in the message
	}{
		{"images header truncated", gz(t, imagesRaw(2)[:10]), validLabels, []string{"images", "truncated header", "10 of 16"}},
		{"labels header truncated", validImages, gz(t, labelsRaw(1, 2)[:5]), []string{"labels", "truncated header", "5 of 8"}},
		{"images data truncated", gz(t, imagesRaw(2)[:16+7]), validLabels, []string{"images", "truncated data", "7 of 8"}},
		{"labels data truncated", validImages, gz(t, labelsRaw(1, 2)[:9]), []string{"labels", "truncated data", "1 of 2"}},
		{"images oversized", gz(t, append(imagesRaw(2), 0, 0, 0)), validLabels, []string{"images", "oversized", "3 bytes after the 8"}},
		{"labels oversized", validImages, gz(t, append(labelsRaw(1, 2), 3)), []string{"labels", "oversized", "1 bytes after the 2"}},
		{"images wrong magic", validLabels, validLabels, []string{"images", "wrong magic", "0x00000801, want 0x00000803"}},
		{"labels wrong magic", validImages, validImages, []string{"labels", "wrong magic", "0x00000803, want 0x00000801"}},
		{"wrong element type", gz(t, idxRaw(0x00000d03, []uint32{2, 2, 2}, make([]byte, 32))), validLabels, []string{"images", "wrong magic"}},
		{"count mismatch", validImages, gz(t, labelsRaw(1, 2, 3)), []string{"images holds 2 images", "labels holds 3 labels"}},
		{"label out of range", validImages, gz(t, labelsRaw(1, 10)), []string{"labels", "label 10 at position 1", "out of range 0..9"}},
		{"images not gzip", imagesRaw(2), validLabels, []string{"images", "not a gzip stream"}},
		{"labels not gzip", validImages, labelsRaw(1, 2), []string{"labels", "not a gzip stream"}},
		{"images empty", nil, validLabels, []string{"images", "not a gzip stream"}},
		{"images gzip cut short", validImages[:len(validImages)-6], validLabels, []string{"images", "cut short"}},
		{"images gzip checksum", badChecksum, validLabels, []string{"images", "corrupt gzip data", "checksum"}},
		{"zero rows", gz(t, idxRaw(0x00000803, []uint32{2, 0, 2}, nil)), validLabels, []string{"images", "rows and columns must be at least 1"}},
		{"absurd image size of no images", gz(t, idxRaw(0x00000803, []uint32{0, 0x10000, 0x10000}, nil)), gz(t, labelsRaw()), []string{"images", "more than"}},
		{"absurd dimensions", gz(t, idxRaw(0x00000803, []uint32{0xffffffff, 0xffffffff, 0xffffffff}, nil)), validLabels, []string{"images", "more than"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseIDX(bytes.NewReader(tt.images), bytes.NewReader(tt.labels))
			if err == nil {
				t.Fatalf("ParseIDX accepted bad input and returned %d images", d.Len())
			}
			for _, want := range tt.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
		})
	}
}

func TestReadIDXFiles(t *testing.T) {
	dir := t.TempDir()
	imagesPath := filepath.Join(dir, "imgs.gz")
	labelsPath := filepath.Join(dir, "labels.gz")
	if err := os.WriteFile(imagesPath, gz(t, imagesRaw(2)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(labelsPath, gz(t, labelsRaw(4, 5)), 0o644); err != nil {
		t.Fatal(err)
	}

	d, err := ReadIDXFiles(imagesPath, labelsPath)
	if err != nil {
		t.Fatalf("ReadIDXFiles: %v", err)
	}
	if d.Len() != 2 || !bytes.Equal(d.Labels, []uint8{4, 5}) {
		t.Errorf("ReadIDXFiles = %+v", d)
	}

	// A fault is reported with the path of the faulty file.
	if err := os.WriteFile(labelsPath, gz(t, labelsRaw(4, 50)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadIDXFiles(imagesPath, labelsPath); err == nil || !strings.Contains(err.Error(), labelsPath) {
		t.Errorf("error = %v, want one naming %s", err, labelsPath)
	}
	missing := filepath.Join(dir, "missing.gz")
	if _, err := ReadIDXFiles(missing, labelsPath); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("error = %v, want one naming %s", err, missing)
	}
}
