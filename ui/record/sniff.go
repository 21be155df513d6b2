package record

import (
	"bytes"
	"encoding/json"
)

// sniffBytes is how much of a file IsExperiment reads: the format is the
// file's first member, so a few hundred bytes hold it.
const sniffBytes = 512

// IsExperiment reports whether text begins as an experiment file does: a
// JSON object whose first member is "format": "convlab-experiment". A
// page that is given a file (dropped, or picked) opens it as an
// experiment when it is one, even a damaged one, so that DecodeExperiment
// says what is wrong with it, and as a model file otherwise. It reads
// only the file's start, so it is cheap for a large file.
func IsExperiment(text []byte) bool {
	d := json.NewDecoder(bytes.NewReader(text[:min(len(text), sniffBytes)]))
	want := []json.Token{json.Delim('{'), "format", Format}
	for _, w := range want {
		t, err := d.Token()
		if err != nil || t != w {
			return false
		}
	}
	return true
}
