package ui

import (
	"image"
	"strings"
	"testing"

	"convlab/ui/api"
	"convlab/ui/experiment"
	"convlab/ui/session"
)

// fileHost is a Host that keeps the files saved and knows an address.
type fileHost struct {
	saved []savedFile
}

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

// report() on the optimizers' comparison: the page's file, downloaded as
// HTML, with a row per run, both t-SNE maps of each, and a link that sets
// the same runs up again.
func TestReportCall(t *testing.T) {
	a := newTestApp(t, "epochs=2&perclass=10&testper=2&batch=10")
	h := NewHandle(a)
	noHost := post(t, h, Request{Call: api.CallReport})
	h.Update(Input{})
	if res, done := noHost(); !done || res.Error == "" {
		t.Errorf("report() without a page: %+v, want an error", res)
	}
	host := &fileHost{}
	a.SetHost(host)
	post(t, h, Request{Call: api.CallCompare, Text: "optimizers"})
	post(t, h, Request{Call: api.CallStart})
	runUntil(t, h, 5000, "three finished runs with settled maps", func() bool {
		for _, r := range a.lab.Runs() {
			first, last := r.Maps()
			if r.State() != session.Finished || first == nil || last == nil || !last.Done() {
				return false
			}
		}
		return len(a.lab.Runs()) == 3
	})
	rep := post(t, h, Request{Call: api.CallReport})
	again := post(t, h, Request{Call: api.CallReport}) // joins the first
	steps := 0
	runUntil(t, h, 20, "report()'s answer", func() bool {
		_, done := rep()
		steps++
		return done
	})
	if steps-1 != 2*len(a.lab.Runs())+1 {
		t.Errorf("the report took %d frames, want two per run and one for the page", steps-1)
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

// The Report button in the curves' title bar saves the report.
func TestReportButton(t *testing.T) {
	a := newTestApp(t, "epochs=1&perclass=10&testper=1")
	host := &fileHost{}
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
	runUntil(t, a, 5, "the report's download", func() bool { return len(host.saved) > 0 })
	if len(host.saved) != 1 || host.saved[0].mime != "text/html" {
		t.Fatalf("the Report button saved %d files, want the report", len(host.saved))
	}
	if len(a.notices.list) > 0 {
		t.Errorf("notices after the report: %q", a.notices.list)
	}
}
