// Package record is an experiment written down: every run's settings,
// per-epoch metrics, weights at every epoch's end, the state it needs to
// resume training, and the features of its t-SNE maps. It encodes and
// decodes that record, one run at a time (what the page keeps in
// IndexedDB, one entry per run) or the whole experiment (the file a
// student saves and opens), and it checks what it decodes as strictly as
// nn.Load checks a model file: exact keys, each once, no others, no null;
// every number within its bounds and every list of the size the run's
// settings imply; an error that names where the problem is. It knows
// nothing of sessions or of the page: package session turns a Run into a
// session and back, package experiment an Experiment into a Lab.
//
// # Format
//
// A record is JSON. A float64 is written as a string in Go's shortest
// exact form ("0.125", "NaN"), and a list of float64s as the base64 of
// their IEEE-754 bytes, little-endian: both exact, bit for bit, which a
// resumed run needs, and the list form takes 11 characters a value where
// decimal takes about 20. Settings are the run's URL query
// ("opt=rmsprop&lr=0.001&…"), read back by settings.FromQuery, so a
// record accepts exactly the settings a link does.
//
//	{"format": "convlab-experiment", "version": 1, "selected": 0, "runs": [run, …]}
//
// and a run:
//
//	{"settings": "…", "model": "", "state": "paused", "error": "",
//	 "elapsedNs": 0, "trainingNs": 0, "imagesPerSecond": "0", "computeImagesPerSecond": "0",
//	 "modelWeights": [], "stall": null or {…},
//	 "epochs": [{"metrics": {…}, "weights": [base64 per tensor]}, …],
//	 "resume": {"optimizerState": […], "shuffle": "base64", "order": [int, …]},
//	 "maps": [{"epoch": 1, "indices": [int, …], "features": "base64"}, …],
//	 "lossCurve": "base64 (x, y, lo, hi of each point)", "lossSamples": [int, …]}
//
// "stall" may be null (the run learns), the one place null is a value.
// The metrics' keys are listed once, in metrics.go.
package record

import (
	"time"

	"convlab/nn"
	"convlab/ui/curve"
	"convlab/ui/runner"
	"convlab/ui/settings"
)

// Format and Version name the experiment file format.
const (
	Format  = "convlab-experiment"
	Version = 1
)

// MaxRuns bounds the runs of an experiment record (the dashboard holds
// fewer; see experiment.MaxRuns).
const MaxRuns = 16

// MaxBytes bounds the text Decode reads: a 50-epoch run of the homework
// network with RMSProp takes about 12 MB (two weight-sized tensors a
// epoch, base64), so this holds the largest experiment the dashboard can
// train.
const MaxBytes = 256 << 20

// Experiment is every run of an experiment and which one is selected.
type Experiment struct {
	Runs     []Run
	Selected int // index into Runs
}

// Run is one run as it stood when recorded: what it was set up with, what
// it measured, and enough of its trainer's state to go on training.
type Run struct {
	Settings settings.Settings
	// Model names the model file a run shows that was loaded from one;
	// ModelWeights are then that network's, and the run has no epochs.
	Model        string
	ModelWeights [][]float64
	// State is where the run was: a run that was training is recorded as
	// it was (running, queued as idle or paused) and comes back paused at
	// its last finished epoch.
	State runner.State
	Error string // why it failed, for a failed run
	// Elapsed and TrainingTime are session.Session's Elapsed and
	// TrainingTime; ImagesPerSecond and ComputeRate its rates.
	Elapsed, TrainingTime        time.Duration
	ImagesPerSecond, ComputeRate float64
	// Stall is the latest epoch's stall warning, nil while the run learns.
	Stall *nn.StallWarning
	// Epochs holds each finished epoch, oldest first.
	Epochs []Epoch
	// Resume is the trainer's state at the last epoch's end besides its
	// weights (empty before the first).
	Resume runner.Resume
	// Maps holds the bottleneck features the t-SNE maps are made from.
	Maps []Map
	// LossCurve is the smoothed mini-batch loss chart's points, as
	// curve.Series.Points returned them.
	LossCurve []curve.Point
}

// MaxLossPoints bounds a run's loss curve (the session keeps 2,048).
const MaxLossPoints = 4096

// Epoch is one finished epoch: its metrics and the weights it ended with,
// one slice per parameter in the order of nn.Network.Params.
type Epoch struct {
	Metrics nn.EpochMetrics
	Weights [][]float64
}

// Map is the bottleneck features of some test images after an epoch, from
// which its t-SNE map is made again (the embedding is seeded, so it comes
// out as it was).
type Map struct {
	Epoch    int
	Indices  []int       // test-set index of each point
	Features [][]float64 // the bottleneck values of each point
}
