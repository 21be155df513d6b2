package manifest

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

func sample() *Manifest {
	return &Manifest{
		Dataset: "MNIST",
		Source:  Source{Module: "example.com/m", Version: "v1.0.0", Files: []File{{Name: "a.gz", SHA256: "00"}}},
		Train: Set{Rule: "r", Labels: File{Name: "l.gz", Size: 9, SHA256: "01", CRC32: 0xfedcba98},
			Tiers:         []Tier{{UpTo: 1, Images: File{Name: "i1.gz", Size: 10, SHA256: "02"}}, {UpTo: 2, Images: File{Name: "i2.gz", Size: 11, SHA256: "03"}}},
			CountPerClass: [10]int{2}, Indices: []int{3, 17}},
		Test: Set{CountPerClass: [10]int{0, 1}, Indices: []int{5}},
	}
}

func TestMarshalParseRoundTrip(t *testing.T) {
	m := sample()
	data, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(`"indices": [3,17]`)) {
		t.Errorf("indices not on one line:\n%s", data)
	}
	got, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if !reflect.DeepEqual(got, m) {
		t.Errorf("round trip = %+v, want %+v", got, m)
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name, json, wantErr string
	}{
		{"unknown field", `{"surprise": 1}`, "unknown field"},
		{"indices disagree with counts", `{"train": {"countPerClass": [1,0,0,0,0,0,0,0,0,0], "indices": []}}`, "train set lists 0 indices"},
		{"not json", `nope`, "manifest"},
		{"tiers out of order", `{"test": {"tiers": [{"upTo": 5}, {"upTo": 5}]}}`, "test set: tier 2 ends at image 5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.json))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Parse error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}
