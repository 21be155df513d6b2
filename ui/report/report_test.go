package report

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"html"
	"image/color"
	"io"
	"math"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"convlab/assets"
	"convlab/nn"
	"convlab/ui/reportdata"
	"convlab/ui/settings"
)

// sampleReport is an experiment of the three optimizers, each with
// epochs finished epochs of made-up metrics, t-SNE maps of 100 points and
// a freshly initialised network.
func sampleReport(t testing.TB, epochs int) Report {
	t.Helper()
	test, err := assets.Test()
	if err != nil {
		t.Fatal(err)
	}
	train, err := assets.Train()
	if err != nil {
		t.Fatal(err)
	}
	r := Report{Examples: reportdata.Examples(test), Link: "http://127.0.0.1:8080/?compare=optimizers&epochs=15",
		Version: "commit 0123456789ab, go1.26", Generated: time.Date(2026, 5, 1, 14, 3, 0, 0, time.UTC)}
	for d := range r.ClassColours {
		r.ClassColours[d] = color.RGBA{uint8(20 * d), 80, 160, 255}
	}
	for i, opt := range nn.OptimizerKinds() {
		s := settings.Defaults()
		s.Optimizer, s.Epochs = opt, 15
		run := Run{
			Label: []string{"SGD", "Momentum", "RMSProp"}[i], Settings: s, State: "finished", WallSeconds: 5.2,
			Colour:       color.RGBA{0, 0x72, 0xb2, 0xff},
			Network:      nn.NewHomework(uint64(i + 1)),
			WeightsFinal: true,
			TrainIndices: reportdata.FirstPerClassIndices(train.Catalog(), s.TrainPerClass),
			TestIndices:  reportdata.FirstPerClassIndices(test.Catalog(), s.TestPerClass),
		}
		run.History = history(i, epochs, s.TestPerClass)
		if epochs > 0 {
			run.First, run.Last = sampleMap(1, i), sampleMap(epochs, i)
		}
		r.Runs = append(r.Runs, run)
	}
	return r
}

// history makes up per-epoch metrics whose errors fall with the epochs.
func history(seed, epochs, perClass int) []nn.EpochMetrics {
	var out []nn.EpochMetrics
	for e := 1; e <= epochs; e++ {
		errRate := 0.9 / float64(e+seed)
		m := nn.EpochMetrics{Epoch: e, Train: nn.Evaluation{Error: errRate * 0.8, Accuracy: 1 - errRate*0.8},
			Test: nn.Evaluation{Error: errRate, Accuracy: 1 - errRate}}
		for c := range nn.NumClasses {
			wrong := int(math.Round(errRate * float64(perClass)))
			m.Test.Confusion[c][c] = perClass - wrong
			m.Test.Confusion[c][(c+1)%nn.NumClasses] = wrong
			m.Test.ClassAccuracy[c] = float64(perClass-wrong) / float64(perClass)
		}
		out = append(out, m)
	}
	return out
}

// sampleMap scatters 100 points, 10 of each digit, around one centre per
// digit; one in ten is predicted wrong.
func sampleMap(epoch, seed int) *Map {
	rng := rand.New(rand.NewPCG(uint64(epoch), uint64(seed)))
	m := &Map{Epoch: epoch, Settled: true, Iteration: 500}
	for i := range 100 {
		d := i % nn.NumClasses
		m.Points = append(m.Points, [2]float64{float64(d%4)*10 + rng.NormFloat64(), float64(d/4)*10 + rng.NormFloat64()})
		m.Labels = append(m.Labels, d)
		p := d
		if i%10 == 3 {
			p = (d + 1) % nn.NumClasses
		}
		m.Predicted = append(m.Predicted, p)
	}
	return m
}

func build(t *testing.T, r Report) string {
	t.Helper()
	b, err := Build(r)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return string(b)
}

// sections splits the page at each run's section: the part before the
// first, then one part per run.
func sections(page string) []string {
	return strings.Split(page, `<section class="run"`)
}

// tableRows returns the rows of the body of the table of class class.
func tableRows(t *testing.T, page, class string) int {
	t.Helper()
	re := regexp.MustCompile(`(?s)<table class="` + class + `">.*?<tbody>(.*?)</tbody>`)
	m := re.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no table of class %q", class)
	}
	return strings.Count(m[1], "<tr>")
}

func TestReportStructure(t *testing.T) {
	page := build(t, sampleReport(t, 15))
	if n := strings.Count(page, `class="chart error-chart"`); n != 1 {
		t.Errorf("%d error charts, want 1", n)
	}
	if n := strings.Count(page, "<polyline"); n != 3*2 {
		t.Errorf("%d curves in the chart, want a train and a test curve for each of 3 runs", n)
	}
	for _, table := range []string{"setup", "results", "classes"} {
		if n := tableRows(t, page, table); n != 3 {
			t.Errorf("table %s has %d rows, want one per run (3)", table, n)
		}
	}
	runs := sections(page)
	if len(runs) != 1+3 {
		t.Fatalf("%d run sections, want 3", len(runs)-1)
	}
	for i, sec := range runs[1:] {
		for _, want := range []struct {
			what  string
			count int
		}{
			{`class="tsne"`, 2}, {`class="confusion"`, 1}, {`class="kernels"`, 1}, {`class="activations"`, 1},
			{"After epoch 1 (the first)", 1}, {"After epoch 15 (the last)", 1},
			{"data:image/png;base64,", 1},
		} {
			if n := strings.Count(sec, want.what); n != want.count {
				t.Errorf("run %d: %q %d times, want %d", i+1, want.what, n, want.count)
			}
		}
		// 100 digits per map, and the one in ten predicted wrong circled.
		if n := strings.Count(sec, "<circle"); n != 2*10 {
			t.Errorf("run %d: %d circled points, want 20", i+1, n)
		}
	}
	for _, want := range []string{
		`<a href="http://127.0.0.1:8080/?compare=optimizers&amp;epochs=15">`, // the link, escaped
		"commit 0123456789ab", "1 May 2026, 14:03 (UTC+00:00)", "10,661", // version, date, parameter count
		"w ← w − η·g", "v ← α·v − η·g", "s ← ρ·s + (1−ρ)·g²", // each optimizer's rule
	} {
		if !strings.Contains(html.UnescapeString(page), html.UnescapeString(want)) {
			t.Errorf("the report lacks %q", want)
		}
	}
	checkPolicy(t, page)
	checkSVG(t, page)
	checkWellFormed(t, page)
}

// checkWellFormed parses the whole page as XML: every element the writer
// opened is closed, in order. (The page is HTML; it is written so that it
// is XML too.)
func checkWellFormed(t *testing.T, page string) {
	t.Helper()
	body, ok := strings.CutPrefix(page, "<!DOCTYPE html>\n")
	if !ok {
		t.Fatal("the page does not start with <!DOCTYPE html>")
	}
	d := xml.NewDecoder(strings.NewReader(body))
	var open []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the page is not well-formed (inside %v): %v", open, err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			open = append(open, e.Name.Local)
		case xml.EndElement:
			open = open[:len(open)-1]
		}
	}
	if len(open) != 0 {
		t.Errorf("elements left open: %v", open)
	}
}

// checkPolicy requires the page's Content-Security-Policy to allow its
// stylesheet by hash, and nothing that loads from the network.
func checkPolicy(t *testing.T, page string) {
	t.Helper()
	csp := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)"/?>`).FindStringSubmatch(page)
	css := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(page)
	if csp == nil || css == nil {
		t.Fatal("the report has no Content-Security-Policy or no stylesheet")
	}
	policy := html.UnescapeString(csp[1]) // as the browser reads the attribute
	sum := sha256.Sum256([]byte(css[1]))
	want := "style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	if !strings.Contains(policy, want) {
		t.Errorf("the policy %q does not allow the stylesheet (%s)", policy, want)
	}
	if !strings.HasPrefix(policy, "default-src 'none';") || strings.Contains(policy, "script-src") {
		t.Errorf("the policy %q allows more than the stylesheet and data: images", policy)
	}
	for _, bad := range []string{"<script", "style=", "http://www.w3.org/2000/svg\" href", "src=\"http", "href=\"//"} {
		if strings.Contains(page, bad) {
			t.Errorf("the report holds %q", bad)
		}
	}
}

// checkSVG parses every inline figure as XML: the hand-written SVG must
// be well-formed whatever the labels hold.
func checkSVG(t *testing.T, page string) {
	t.Helper()
	figures := regexp.MustCompile(`(?s)<svg .*?</svg>`).FindAllString(page, -1)
	if len(figures) == 0 {
		t.Fatal("no SVG figures")
	}
	for _, f := range figures {
		d := xml.NewDecoder(strings.NewReader(f))
		for {
			_, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("a figure is not well-formed XML: %v\n%.300s", err, f)
			}
		}
	}
}

// The policy's hash of the stylesheet is the stylesheet's.
func TestStyleHash(t *testing.T) {
	sum := sha256.Sum256([]byte(style))
	if want := "sha256-" + base64.StdEncoding.EncodeToString(sum[:]); styleHash != want {
		t.Errorf("report.css changed: set styleHash in report.go to %q", want)
	}
}

func TestReportEscapesLabels(t *testing.T) {
	r := sampleReport(t, 3)
	hostile := `<script>alert("x")</script> & 'q'`
	r.Runs[0].Label = hostile
	r.Runs[1].Model = `<img src=x onerror=alert(1)>.json`
	r.Runs[2].Error = `</p><script>bad()</script>`
	r.Link = `javascript:alert(1)`
	page := build(t, r)
	for _, raw := range []string{"<script>", "<img src=x", `href="javascript`} {
		if strings.Contains(page, raw) {
			t.Errorf("the report holds %q unescaped", raw)
		}
	}
	if !strings.Contains(page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;q&#39;") {
		t.Error("the hostile label is not shown, escaped")
	}
	checkSVG(t, page)
	checkWellFormed(t, page)
}

func TestReportRunsWithoutEpochsOrFailed(t *testing.T) {
	r := sampleReport(t, 4)
	r.Runs[0].History, r.Runs[0].First, r.Runs[0].Last, r.Runs[0].State = nil, nil, nil, "queued"
	r.Runs[1].State, r.Runs[1].Error, r.Runs[1].Last = "failed", "training diverged in epoch 4, mini-batch 7", nil
	r.Runs[1].History[3].Train.Error, r.Runs[1].History[3].Test.Error = math.NaN(), math.NaN()
	for _, p := range r.Runs[1].Network.Params() { // diverged weights
		p.Value[0] = math.NaN()
	}
	r.Runs[2].State, r.Runs[2].WeightsFinal = "running", false
	r.Runs[2].Last.Settled = false
	page := build(t, r)
	runs := sections(page)
	if len(runs) != 4 {
		t.Fatalf("%d run sections, want 3", len(runs)-1)
	}
	for _, want := range []struct {
		part int
		text string
	}{
		{0, "SGD (no epoch finished)"},
		{1, "No epoch has finished, so there is no confusion matrix and no t-SNE map yet."},
		{1, "Queued when the report was made, after 0 of 15 epochs."},
		{2, "Failed after 4 epochs."},
		{2, "training diverged in epoch 4, mini-batch 7"},
		{2, "No map after the last epoch yet."},
		{3, "Running when the report was made, after 4 of 15 epochs."},
		{3, "still settling"},
		{3, "the latest weights, from the end of epoch 4 or part way through the next"},
	} {
		if !strings.Contains(runs[want.part], want.text) {
			t.Errorf("part %d lacks %q", want.part, want.text)
		}
	}
	if strings.Contains(runs[1], `class="tsne"`) || strings.Contains(runs[1], `class="activations"`) {
		t.Error("a run without epochs shows t-SNE or activation maps")
	}
	checkWellFormed(t, page)
	if strings.Contains(withoutImages(page), "NaN") {
		t.Error("the diverged run's NaN reached the page")
	}
	if n := tableRows(t, page, "results"); n != 3 {
		t.Errorf("%d result rows, want 3", n)
	}
	checkSVG(t, page)
}

// withoutImages drops the data: URLs' base64, whose letters may spell
// anything.
func withoutImages(page string) string {
	return regexp.MustCompile(`base64,[A-Za-z0-9+/=]+`).ReplaceAllString(page, "base64,")
}

func TestReportOfModelAndEmptyExperiments(t *testing.T) {
	r := sampleReport(t, 2)
	r.Runs[1] = Run{Label: "model m.json", Settings: settings.Defaults(), State: "finished", Model: "m.json", Network: nn.NewHomework(9)}
	page := build(t, r)
	if !strings.Contains(page, "not part of the link") || !strings.Contains(sections(page)[2], `class="activations"`) {
		t.Error("a run loaded from a model file is not described, or has no activation maps")
	}
	empty := build(t, Report{})
	if !strings.Contains(empty, "An empty experiment") || !strings.Contains(empty, "No epoch has finished yet.") {
		t.Error("an experiment without runs is not described as such")
	}
}

func TestRanges(t *testing.T) {
	for _, tc := range []struct {
		in   []int
		want string
	}{
		{nil, ""},
		{[]int{7}, "7"},
		{[]int{0, 1, 2, 3, 5, 7, 8, 10}, "0–3, 5, 7–8, 10"},
		{[]int{3, 2, 1}, "3, 2, 1"},
	} {
		if got := ranges(tc.in); got != tc.want {
			t.Errorf("ranges(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 10661: "10,661", 1234567: "1,234,567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// The page's buffer is sized from its figures: enough, and not much more.
func TestPageSizeEstimate(t *testing.T) {
	r := sampleReport(t, 3)
	v := newView(r)
	for i, run := range r.Runs {
		rv := runSection(i, run, r)
		if err := addActivations(&rv, run, r.Examples); err != nil {
			t.Fatal(err)
		}
		v.Runs = append(v.Runs, rv)
	}
	page := writePage(v)
	if est := v.size(); est < len(page) || est > len(page)+len(page)/2 {
		t.Errorf("size estimate %d for a page of %d bytes", est, len(page))
	}
}

// BenchmarkBuild builds the report of three runs of 15 epochs (the
// homework's comparison of optimizers) and reports its size. Recorded in
// the README at commit a30d42b (2-core shared machine): the report of the
// three-optimizer preset on the default data was 246 KiB of HTML (about 9
// A4 pages); writing it took 18–21 ms natively and 40–70 ms under
// WebAssembly (190 ms the first time, before the JIT had warmed up).
func BenchmarkBuild(b *testing.B) {
	r := sampleReport(b, 15)
	var size int
	for b.Loop() {
		out, err := Build(r)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size), "bytes")
}
