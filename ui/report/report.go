// Package report writes the homework report of an experiment: one
// self-contained HTML file, readable offline and printable to PDF from a
// browser, that holds for every run its setup, the training and test error
// per epoch (one chart for all runs), the results (final accuracy, best
// epoch, accuracy per digit), the confusion matrix, the activation maps of
// one test image per digit at both conv layers, the first conv layer's
// kernels and the t-SNE maps of the bottleneck after the first and the last
// epoch, and a link that sets the experiment up again.
//
// Build takes a plain description of the runs (Report), gathered by the
// dashboard, and returns the file's bytes, or a Builder does it a piece at
// a time. The page and its figures (inline SVG) are written by hand with
// a writer that escapes every label; the activation maps are one PNG per
// run in a data: URL. The file needs no network: a
// Content-Security-Policy in the file itself allows nothing but its own
// stylesheet (by hash) and data: images, and it has no script at all.
package report

import (
	_ "embed"
	"errors"
	"fmt"
	"image/color"
	"strings"
	"time"

	"convlab/nn"
	"convlab/ui/experiment"
)

// Report is what a report shows: the experiment's runs and what is shared
// by them.
type Report struct {
	Runs []Run
	// Examples are the test images whose activation maps are shown, one
	// per digit in the dashboard (see Examples).
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
	// Result is what the results table reads: label, settings, state,
	// per-epoch metrics, time.
	experiment.Result
	Colour color.RGBA // the run's colour in the dashboard
	Error  string     // why training stopped, for a failed run
	// Model names the model file a run loaded from one shows; its
	// Settings are then only the defaults and its history is empty.
	Model string
	// Network holds the weights the activation maps and kernels are drawn
	// with; nil leaves those figures out. Build only reads it.
	Network *nn.Network
	// WeightsFinal says that Network holds the weights the run's last
	// finished epoch ended with; otherwise they are a later snapshot (the
	// run was still training).
	WeightsFinal bool
	// TrainIndices and TestIndices are the indices in MNIST's training and
	// test files of the images the run trained and measured on.
	TrainIndices, TestIndices []int
	// First and Last are the t-SNE maps after the first and the last
	// epoch, nil until made.
	First, Last *Map
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

// style is the report's stylesheet.
//
//go:embed report.css
var style string

// styleHash is the SHA-256 of style, base64, which the report's
// Content-Security-Policy allows. It is written here, not computed, to
// keep crypto/sha256 (some 50 kB of gzip) out of the app;
// TestStyleHash says the value to put here after report.css changes.
const styleHash = "sha256-5aiK2/zn5jYmJv1y/5JPF/0yzLOYmfVx0avhkEAsoJY="

// Build writes the report as one HTML file.
func Build(r Report) ([]byte, error) {
	b := NewBuilder(r)
	for !b.Step() {
	}
	return b.Result()
}

// Builder writes a report a piece at a time, so that a page can draw
// frames between the pieces: each Step prepares one run's section but its
// activation maps, or its activation maps (running the network, painting
// and compressing the PNG: the slowest piece), or, last, writes the page.
// Under WebAssembly a piece takes about 12 ms, and up to 80 ms the first
// time the code runs (BenchmarkBuild). The Report must not change until
// the Builder is done: the caller gives it copies of what goes on
// changing (a training run's weights).
type Builder struct {
	r    Report
	v    *view
	next int // the next piece: 2i for run i's section, 2i+1 for its activation maps, then the page
	page []byte
	err  error
	done bool
}

// NewBuilder prepares the report's shared parts (the tables and the
// error chart, which are quick) and returns a Builder for the rest.
func NewBuilder(r Report) *Builder { return &Builder{r: r, v: newView(r)} }

// Step does the next piece of the report and reports whether the report
// is done (written, or failed).
func (b *Builder) Step() bool {
	i := b.next / 2
	switch {
	case b.done:
	case i < len(b.r.Runs) && b.next%2 == 0:
		b.v.Runs = append(b.v.Runs, runSection(i, b.r.Runs[i], b.r))
		b.next++
	case i < len(b.r.Runs):
		run := b.r.Runs[i]
		if err := addActivations(&b.v.Runs[i], run, b.r.Examples); err != nil {
			b.err, b.done = fmt.Errorf("report: run %d (%s): %w", i+1, run.Label, err), true
			break
		}
		b.next++
	default:
		b.page, b.done = writePage(b.v), true
	}
	return b.done
}

// Steps is how many Steps the report takes: two per run, and the page.
func (b *Builder) Steps() int { return 2*len(b.r.Runs) + 1 }

// Result returns the report's file once Step has reported it done.
func (b *Builder) Result() ([]byte, error) {
	switch {
	case !b.done:
		return nil, errors.New("report: not built yet")
	case b.err != nil:
		return nil, b.err
	}
	return b.page, nil
}

// policy is the report's Content-Security-Policy: nothing but the
// stylesheet in the file (identified by its hash) and images from data:
// URLs; no script, no fetch, no form, no <base>. It is the page's policy
// (serve/static) without what only the app needs.
func policy() string {
	return "default-src 'none'; style-src '" + styleHash + "'; img-src data:; base-uri 'none'; form-action 'none'"
}

// FileName names the report's file: convlab-report-<date>.html.
func FileName(generated time.Time) string {
	return "convlab-report-" + generated.Format("2006-01-02-1504") + ".html"
}

// joinLabels lists labels as prose: "a", "a and b", "a, b and c".
func joinLabels(labels []string) string {
	switch len(labels) {
	case 0:
		return ""
	case 1:
		return labels[0]
	}
	return strings.Join(labels[:len(labels)-1], ", ") + " and " + labels[len(labels)-1]
}
