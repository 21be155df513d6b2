package ui

import (
	"image"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"convlab/assets"
	"convlab/ui/api"
	"convlab/ui/experiment"
	"convlab/ui/report"
	"convlab/ui/reportdata"
	"convlab/ui/runner"
	"convlab/ui/settings"
)

// fileHost is a Host that keeps the files saved, knows an address, and
// writes reports as the page's worker does.
type fileHost struct {
	saved   []savedFile
	written chan struct{} // a report has been written, and handed over
	reports int           // reports asked for
}

func newFileHost() *fileHost { return &fileHost{written: make(chan struct{}, 1)} }

type savedFile struct {
	name, mime string
	data       []byte
}

func (h *fileHost) Save(name, mime string, data []byte) {
	h.saved = append(h.saved, savedFile{name, mime, data})
}
func (h *fileHost) OpenModel() {}
func (h *fileHost) RenderPNG(w, hh, scale float64, draw func(Canvas)) ([]byte, error) {
	return nil, image.ErrFormat
}
func (h *fileHost) Address() string { return "https://example.org/convlab/" }

// WriteReport writes the report as the page's worker does: from the
// encoded description, on another goroutine.
func (h *fileHost) WriteReport(data []byte, done func([]byte, error)) {
	h.reports++
	go func() {
		defer func() { h.written <- struct{}{} }()
		r, err := reportdata.Decode(data)
		if err != nil {
			done(nil, err)
			return
		}
		done(report.Build(r))
	}()
}

// report() on the optimizers' comparison: the page's file, downloaded as
// HTML, with a row per run, both t-SNE maps of each, and a link that sets
// the same runs up again.
func TestReportCall(t *testing.T) {
	a := newTestApp(t, "epochs=2&perclass=10&testper=2&batch=10")
	h := NewHandle(a)
	noHost := post(t, h, Request{Call: api.CallReport})
	h.Update(Input{})
	if res, done := noHost(); !done || res.Error != errNoReports.Error() {
		t.Errorf("report() without a page: %+v, want %q", res, errNoReports)
	}
	host := newFileHost()
	a.SetHost(host)
	post(t, h, Request{Call: api.CallCompare, Text: "optimizers"})
	post(t, h, Request{Call: api.CallStart})
	runUntil(t, h, 5000, "three finished runs with settled maps", func() bool {
		for _, r := range a.lab.Runs() {
			first, last := r.Maps()
			if r.State() != runner.Finished || first == nil || last == nil || !last.Done() {
				return false
			}
		}
		return len(a.lab.Runs()) == 3
	})
	rep := post(t, h, Request{Call: api.CallReport})
	again := post(t, h, Request{Call: api.CallReport}) // joins the first
	h.Update(Input{})                                  // asks the host for the report
	if _, done := rep(); done {
		t.Fatal("report() was answered before the report was written")
	}
	<-host.written
	h.Update(Input{}) // saves it and answers
	if host.reports != 1 {
		t.Errorf("the host was asked for %d reports, want 1 for both calls", host.reports)
	}
	res, _ := rep()
	if !res.OK || res.HTML == "" {
		t.Fatalf("report(): %+v", res.Error)
	}
	if res2, done := again(); !done || res2.HTML != res.HTML {
		t.Error("a second report() while the first was being written got another answer")
	}
	if len(host.saved) != 1 || host.saved[0].mime != "text/html" || string(host.saved[0].data) != res.HTML ||
		!strings.HasPrefix(host.saved[0].name, "convlab-report-") {
		t.Fatalf("saved %d files; want the report, as text/html, the same as report()'s html", len(host.saved))
	}
	page := res.HTML
	if n := strings.Count(page, `<section class="run"`); n != 3 {
		t.Errorf("%d run sections, want 3", n)
	}
	if n := strings.Count(page, `class="tsne"`); n != 6 {
		t.Errorf("%d t-SNE maps, want 2 for each of 3 runs", n)
	}
	want := "https://example.org/convlab/?" + experiment.Query(a.lab.Settings()).Encode()
	if !strings.Contains(page, `href="`+strings.ReplaceAll(want, "&", "&amp;")+`"`) {
		t.Errorf("the report does not link to %s", want)
	}
}

// The page holds the test images and the training labels' catalog, not
// the training images (its workers fetch those): its report still names,
// by MNIST index, every training and test image a run used.
func TestReportNamesImagesByMNISTIndex(t *testing.T) {
	full, err := library()
	if err != nil {
		t.Fatal(err)
	}
	labels, err := os.ReadFile(filepath.Join("..", "assets", filepath.FromSlash(assets.TrainBundle().Labels.Name)))
	if err != nil {
		t.Fatal(err)
	}
	catalog, err := assets.TrainBundle().Catalog(labels) // as the page reads it
	if err != nil {
		t.Fatal(err)
	}
	lib := &runner.Library{Test: full.Test, TrainCatalog: catalog}
	s := settings.Defaults()
	s.TrainPerClass, s.TestPerClass = assets.MaxTrainPerClass, assets.MaxTestPerClass
	a, err := New(lib, func() runner.Backend { return runner.NewLocal(full) }, []settings.Settings{s}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := a.reports.data(a.host, time.Now())
	for _, set := range []struct {
		name string
		got  []int
		of   *assets.Dataset
		n    int
		last int // MNIST index of the last image: the n-th of its rarest digit
	}{
		{"training", r.Runs[0].TrainIndices, full.Train, s.TrainPerClass, 5847},
		{"test", r.Runs[0].TestIndices, full.Test, s.TestPerClass, 1197},
	} {
		want, err := set.of.FirstPerClass(set.n)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(set.got, want.Indices) || set.got[len(set.got)-1] != set.last {
			t.Errorf("the report names %d %s images, up to MNIST index %d; want the %d of the native set, up to %d",
				len(set.got), set.name, slices.Max(append([]int{-1}, set.got...)), want.Len(), set.last)
		}
	}
	page, err := report.Build(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, block := range []string{"Training: the first 500 of each digit (5,000 images)", "Test: the first 100 of each digit (1,000 images)"} {
		if !strings.Contains(string(page), "<h3>"+block+"</h3>") {
			t.Errorf("the report's appendix has no block %q", block)
		}
	}
}

// The Report button in the curves' title bar saves the report.
func TestReportButton(t *testing.T) {
	a := newTestApp(t, "epochs=1&perclass=10&testper=1")
	host := newFileHost()
	a.SetHost(host)
	a.Update(Input{})
	var p *curves
	for _, slot := range a.panels {
		if c, ok := slot.panel.(*curves); ok {
			p = c
		}
	}
	x, y := centre(p.report.Rect)
	a.Update(Input{Events: click(x, y)})
	<-host.written
	a.Update(Input{})
	if len(host.saved) != 1 || host.saved[0].mime != "text/html" {
		t.Fatalf("the Report button saved %d files, want the report", len(host.saved))
	}
	if len(a.notices.list) > 0 {
		t.Errorf("notices after the report: %q", a.notices.list)
	}
}
