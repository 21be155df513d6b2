// Package report writes the homework report of an experiment: one
// self-contained HTML file, readable offline and printable to PDF from a
// browser, that holds for every run its setup, the training and test error
// per epoch (one chart for all runs), the results (final accuracy, best
// epoch, accuracy per digit), the confusion matrix, the activation maps of
// one test image per digit at both conv layers, the first conv layer's
// kernels and the t-SNE maps of the bottleneck after the first and the last
// epoch, and a link that sets the experiment up again.
//
// Build takes a plain description of the runs (package reportdata),
// gathered by the dashboard, and returns the file's bytes. In the browser
// it runs in a Web Worker of its own (wasm/reportworker), a program
// loaded when the first report is asked for, so the app's download does
// not carry it and no frame waits for it. The page and its figures (inline SVG) are written by hand with
// a writer that escapes every label; the activation maps are one PNG per
// run in a data: URL. The file needs no network: a
// Content-Security-Policy in the file itself allows nothing but its own
// stylesheet (by hash) and data: images, and it has no script at all.
package report

import (
	_ "embed"
	"fmt"
	"strings"

	"convlab/ui/reportdata"
)

// The report is written from reportdata's plain description.
type (
	Report  = reportdata.Report
	Run     = reportdata.Run
	Map     = reportdata.Map
	Example = reportdata.Example
)

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
	v := newView(r)
	for i, run := range r.Runs {
		rv := runSection(i, run, r)
		if err := addActivations(&rv, run, r.Examples); err != nil {
			return nil, fmt.Errorf("report: run %d (%s): %w", i+1, run.Label, err)
		}
		v.Runs = append(v.Runs, rv)
	}
	return writePage(v), nil
}

// policy is the report's Content-Security-Policy: nothing but the
// stylesheet in the file (identified by its hash) and images from data:
// URLs; no script, no fetch, no form, no <base>. It is the page's policy
// (serve/static) without what only the app needs.
func policy() string {
	return "default-src 'none'; style-src '" + styleHash + "'; img-src data:; base-uri 'none'; form-action 'none'"
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
