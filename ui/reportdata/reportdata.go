// Package reportdata is the plain description of an experiment that its
// homework report is written from (package report): each run's settings,
// per-epoch metrics, t-SNE maps and weights, the test images shown through
// the networks, and how to set the experiment up again. The dashboard
// gathers it; Encode and Decode carry it to the Web Worker that writes the
// report, so that the code that writes it (about 100 kB of gzip) is not
// part of the app every visitor downloads, and no frame waits for it.
package reportdata

import (
	"image/color"
	"time"

	"convlab/nn"
	"convlab/ui/settings"
)

// Report is what a report shows: the experiment's runs and what is shared
// by them.
type Report struct {
	Runs []Run
	// Examples are the test images whose activation maps are shown, one
	// per digit (see Examples).
	Examples []Example
	// Link is the page's address with the experiment's query: opening it
	// sets up the same runs.
	Link string
	// Version names the ConvLab build that wrote the report (see Version).
	Version   string
	Generated time.Time
	// ClassColours are the digits' colours in the t-SNE maps, as the
	// dashboard draws them.
	ClassColours [nn.NumClasses]color.RGBA
}

// Run is one run of the experiment.
type Run struct {
	Label       string // what sets it apart from the other runs
	Settings    settings.Settings
	State       string            // as status() names it: idle, queued, running, paused, finished, failed
	History     []nn.EpochMetrics // per finished epoch, oldest first; Evaluation.Predicted is not kept
	WallSeconds float64           // wall-clock time spent training
	Colour      color.RGBA        // the run's colour in the dashboard
	Error       string            // why training stopped, for a failed run
	// Model names the model file a run loaded from one shows; its
	// Settings are then only the defaults and its history is empty.
	Model string
	// Network holds the weights the activation maps and kernels are drawn
	// with; nil leaves those figures out. It must not change while the
	// report is written.
	Network *nn.Network
	// WeightsFinal says that Network holds the weights the run's last
	// finished epoch ended with; otherwise they are a later snapshot (the
	// run was still training).
	WeightsFinal bool
	// TrainIndices and TestIndices are the indices in MNIST's training and
	// test files of the images the run trained and measured on.
	TrainIndices, TestIndices []int
	// First and Last are the t-SNE maps after the first and the last
	// epoch, nil until made; the same map for a run of one epoch.
	First, Last *Map
}

// BestEpoch is the first epoch with the lowest test error, or 0 before
// the first epoch ends (as the dashboard's results table has it,
// experiment.Result.BestEpoch).
func (r Run) BestEpoch() int {
	return nn.BestEpoch(r.History)
}

// Map is a t-SNE map of the bottleneck of some test images after an epoch.
type Map struct {
	Epoch     int
	Points    [][2]float64 // one per image
	Labels    []int        // true digit of each image
	Predicted []int        // the digit predicted after Epoch, or nil
	Settled   bool         // every iteration has run
	Iteration int          // iterations run
}

// Example is a test image shown through the network.
type Example struct {
	Index int       // in MNIST's test file
	Label int       // its digit
	Image []float64 // 784 values in [0, 1], 1 = ink
}
