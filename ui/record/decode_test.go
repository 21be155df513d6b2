package record

import (
	"strings"
	"testing"

	"convlab/ui/runner"
	"convlab/ui/settings"
)

// Each damaged file is refused with an error naming what is wrong.
func TestDecodeRefusesDamagedFiles(t *testing.T) {
	run := trainedRun(t)
	good := string(EncodeExperiment(Experiment{Runs: []Run{run}}))
	replace := func(old, new string) string {
		if !strings.Contains(good, old) {
			t.Fatalf("the file has no %q to damage", old)
		}
		return strings.Replace(good, old, new, 1)
	}
	tests := []struct{ name, text, want string }{
		{"empty", "", "want an object"},
		{"not JSON", "hello", "want an object"},
		{"array", "[]", "want an object"},
		{"other format", replace(`"convlab-experiment"`, `"convlab-model"`), `format is "convlab-model"`},
		{"other version", replace(`"version":1`, `"version":2`), "version 2 is not supported"},
		{"unknown key", replace(`"selected":0`, `"selected":0,"extra":1`), `unknown key "extra"`},
		{"duplicate key", replace(`"selected":0`, `"selected":0,"selected":0`), `"selected" appears twice`},
		{"missing key", replace(`"selected":0,`, ``), `"selected" is missing`},
		{"null", replace(`"selected":0`, `"selected":null`), "null is not a value"},
		{"no runs", replace(`"runs":[{`, `"runs":[],"x":[{`), "unknown key"},
		{"selected beyond", replace(`"selected":0`, `"selected":3`), "run 3 is selected"},
		{"bad settings", replace(`opt=rmsprop`, `opt=adam`), "runs[0].settings"},
		{"bad state", replace(`"state":"paused"`, `"state":"asleep"`), `"asleep" is not a state`},
		{"negative time", replace(`"elapsedNs":1234567000`, `"elapsedNs":-1`), "elapsedNs: -1 is outside"},
		{"NaN rate", replace(`"imagesPerSecond":"123.25"`, `"imagesPerSecond":"NaN"`), "not a finite rate"},
		{"a number as a string", replace(`"imagesPerSecond":"123.25"`, `"imagesPerSecond":"fast"`), `"fast" is not a number`},
		{"wrong epoch", replace(`"metrics":{"epoch":2`, `"metrics":{"epoch":5`), "epoch 5 where epoch 2 comes"},
		{"accuracy beyond 1", strings.Replace(good, `"accuracy":"`, `"accuracy":"7`, 1), "not a fraction"},
		{"short weights", replace(`"weights":["`, `"weights":["AAAAAAAAAAA=","`), "tensors, the network has"},
		{"not base64", replace(`"weights":["`, `"weights":["!`), "not base64"},
		{"order repeats", replace(`"order":[`, `"order":[0,0,`), "entries, want"},
		{"map of an epoch never run", replace(`{"epoch":1,"indices"`, `{"epoch":9,"indices"`), "maps[0].epoch: 9 is outside"},
		{"map index beyond the test set", replace(`"indices":[0,3]`, `"indices":[0,99]`), "entry 1 is 99"},
		{"unknown layer", replace(`"layer":"conv1"`, `"layer":"conv9"`), `layer "conv9" is not one of`},
		{"layer twice", replace(`"layer":"conv2"`, `"layer":"conv1"`), "comes twice"},
		{"negative update ratio", strings.Replace(good, `"updateRatio":"`, `"updateRatio":"-`, 1), "updateRatio: -"},
		{"loss curve short of a value", replace(`"lossSamples":[2,1]`, `"lossSamples":[2,1,1]`), "values for 3 points"},
		{"loss point of no samples", replace(`"lossSamples":[2,1]`, `"lossSamples":[2,0]`), "entry 1 is 0"},
		{"trailing garbage in an object", replace(`"selected":0`, `"selected":0 0`), "invalid character"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeExperiment([]byte(tc.text))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// Values beyond a model file's bound are refused, as nn.Load refuses them.
func TestDecodeRefusesHugeWeights(t *testing.T) {
	run := trainedRun(t)
	run.Epochs[1].Weights[0][3] = 1e7
	_, err := DecodeRun(EncodeRun(run))
	if err == nil || !strings.Contains(err.Error(), "out of bounds") {
		t.Errorf("a weight of 1e7 accepted: %v", err)
	}
}

// Whatever the bytes, decoding returns a record or an error, never
// panics, and what it accepts encodes back to a record that decodes the
// same.
func FuzzDecodeExperiment(f *testing.F) {
	f.Add(EncodeExperiment(Experiment{Runs: []Run{{Settings: settings.Defaults(), State: runner.Idle}}}))
	f.Add(EncodeExperiment(Experiment{Runs: []Run{trainedRun(f)}}))
	f.Add([]byte(`{"format":"convlab-experiment","version":1,"selected":0,"runs":[null]}`))
	f.Fuzz(func(t *testing.T, text []byte) {
		x, err := DecodeExperiment(text)
		if err != nil {
			return
		}
		again, err := DecodeExperiment(EncodeExperiment(x))
		if err != nil {
			t.Fatalf("an accepted file, written again, is refused: %v", err)
		}
		if string(EncodeExperiment(again)) != string(EncodeExperiment(x)) {
			t.Fatal("an accepted file changes when written again")
		}
	})
}

func TestIsExperiment(t *testing.T) {
	file := EncodeExperiment(Experiment{Runs: []Run{{Settings: settings.Defaults()}}})
	for _, c := range []struct {
		text string
		want bool
	}{
		{string(file), true},
		{string(file[:40]), true}, // a truncated file is still one, to be refused with a reason
		{` { "format" : "convlab-experiment", "runs": []}`, true},
		{`{"runs": [], "format": "convlab-experiment"}`, false},
		{`{"format": "convlab-model"}`, false},
		{`{"layers": []}`, false},
		{`[]`, false},
		{``, false},
	} {
		if got := IsExperiment([]byte(c.text)); got != c.want {
			t.Errorf("IsExperiment(%.50q) = %v, want %v", c.text, got, c.want)
		}
	}
}
