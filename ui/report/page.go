package report

import (
	"net/url"
	"strings"
)

// writePage writes the report's HTML page from v, section by section.
func writePage(v *view) []byte {
	w := &writer{}
	w.b.Grow(v.size())
	w.b.WriteString("<!DOCTYPE html>\n")
	w.start("html", "lang", "en")
	w.start("head")
	w.el("meta", "charset", "utf-8")
	w.el("meta", "http-equiv", "Content-Security-Policy", "content", v.CSP)
	w.el("meta", "name", "viewport", "content", "width=device-width, initial-scale=1")
	w.elem("title", v.Title+" · ConvLab report")
	w.start("style")
	w.b.WriteString(style) // the package's own stylesheet, allowed by its hash
	w.end("style")
	w.end("head")
	w.start("body")
	writeCover(w, v)
	w.start("main")
	writeSetup(w, v)
	writeCurves(w, v)
	writeResults(w, v)
	for _, r := range v.Runs {
		writeRun(w, r)
	}
	writeAppendix(w, v)
	w.end("main")
	w.start("footer")
	w.elem("p", "Made with ConvLab, a convolutional network written from scratch in Go that trains in the browser. "+
		"MNIST is by Yann LeCun, Corinna Cortes and Christopher J.C. Burges, under the Creative Commons Attribution-Share Alike 3.0 licence.")
	w.end("footer")
	w.end("body")
	w.end("html")
	w.b.WriteString("\n")
	return []byte(w.b.String())
}

// writeCover writes the title, the summary, when and with what the
// report was made, the link, and the contents.
func writeCover(w *writer, v *view) {
	w.start("header", "class", "cover")
	w.elem("p", "ConvLab · experiment report", "class", "kicker")
	w.elem("h1", v.Title)
	w.elem("p", v.Intro, "class", "lead")
	w.start("dl", "class", "meta")
	w.elem("dt", "Made")
	w.elem("dd", v.Generated)
	w.elem("dt", "ConvLab")
	w.elem("dd", v.Version)
	w.elem("dt", "Reproduce")
	w.start("dd")
	link(w, v.Link, v.Link)
	w.end("dd")
	w.end("dl")
	w.start("nav", "class", "contents")
	for _, c := range [][2]string{{"setup", "Setup"}, {"curves", "Error per epoch"}, {"results", "Results"}} {
		w.elem("a", c[1], "href", "#"+c[0])
		w.chars(" ")
	}
	for _, r := range v.Runs {
		w.elem("a", "Run "+r.Number+": "+r.Label, "href", "#"+r.ID)
		w.chars(" ")
	}
	w.elem("a", "Appendix", "href", "#appendix")
	w.end("nav")
	w.end("header")
}

// link writes a link to address, or only its text when address is not
// a web or file address or a query (a link must not run script).
func link(w *writer, address, text string) {
	u, err := url.Parse(address)
	if err != nil || !(u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "file" || u.Scheme == "" && strings.HasPrefix(address, "?")) {
		w.chars(text)
		return
	}
	w.elem("a", text, "href", address)
}

// table writes a table with a header row and body rows; a cell is text,
// or markup to put before the text (a run's colour swatch) when given.
type cell struct {
	text   string
	before markup
	num    bool // right-aligned, a number
}

func table(w *writer, class string, head []cell, rows [][]cell) {
	w.start("div", "class", "table-wrap")
	w.start("table", "class", class)
	w.start("thead")
	w.start("tr")
	for _, c := range head {
		writeCell(w, "th", c)
	}
	w.end("tr")
	w.end("thead")
	w.start("tbody")
	for _, r := range rows {
		w.start("tr")
		for _, c := range r {
			writeCell(w, "td", c)
		}
		w.end("tr")
	}
	w.end("tbody")
	w.end("table")
	w.end("div")
}

func writeCell(w *writer, tag string, c cell) {
	if c.num {
		w.start(tag, "class", "num")
	} else {
		w.start(tag)
	}
	w.raw(c.before)
	w.chars(c.text)
	w.end(tag)
}

// heads makes header cells: those whose title starts with "#" are
// numbers (the "#" is dropped).
func heads(titles ...string) []cell {
	out := make([]cell, len(titles))
	for i, t := range titles {
		n, ok := strings.CutPrefix(t, "#")
		out[i] = cell{text: n, num: ok}
	}
	return out
}

func writeSetup(w *writer, v *view) {
	w.start("section", "id", "setup")
	w.elem("h2", "1 Setup")
	w.elem("h3", "Network")
	var layers [][]cell
	for _, l := range v.Layers {
		layers = append(layers, []cell{{text: l.Layer}, {text: l.Output}, {text: l.Params, num: true}})
	}
	layers = append(layers, []cell{{text: "in all"}, {}, {text: v.Params, num: true}})
	table(w, "layers", heads("layer", "output", "#parameters"), layers)
	w.elem("p", "Weights start from He's uniform initialisation, U(±√(6/fan_in)), for the layers that feed a ReLU and LeCun's, "+
		"U(±√(3/fan_in)), for the output layer; biases start at 0. Each mini-batch's gradient g is the mean over its images, "+
		"and the training set is reshuffled every epoch.")
	if len(v.Optimizers) > 0 {
		w.elem("h3", "Optimizers")
		w.start("ul", "class", "rules")
		for _, o := range v.Optimizers {
			w.start("li")
			w.elem("b", o.Name+":")
			w.chars(" ")
			w.elem("span", o.Rule, "class", "rule")
			w.end("li")
		}
		w.end("ul")
	}
	w.elem("h3", "Runs")
	var runs [][]cell
	for _, r := range v.Setup {
		runs = append(runs, []cell{{text: r.Label, before: r.Swatch}, {text: r.Optimizer}, {text: r.LR, num: true},
			{text: r.Alpha, num: true}, {text: r.Rho, num: true}, {text: r.Batch, num: true}, {text: r.Epochs, num: true},
			{text: r.Train, num: true}, {text: r.Test, num: true}, {text: r.Seed, num: true}})
	}
	table(w, "setup", heads("run", "optimizer", "#η", "#α", "#ρ", "#batch", "#epochs", "#training images", "#test images", "#seed"), runs)
	if len(v.Data) > 0 {
		w.elem("h3", "Data")
		for _, d := range v.Data {
			w.elem("p", d)
		}
	}
	w.elem("h3", "Reproducing")
	w.start("p")
	w.chars("Opening ")
	link(w, v.Link, "this link")
	w.chars(" in a browser sets ConvLab up with the same runs; ")
	w.elem("i", "Start all")
	w.chars(" trains them. A run is reproducible from its seed: the same settings give the same weights and metrics, bit for bit, in any browser and natively.")
	if v.LinkNote != "" {
		w.chars(" " + v.LinkNote)
	}
	w.end("p")
	w.end("section")
}

func writeCurves(w *writer, v *view) {
	w.start("section", "id", "curves")
	w.elem("h2", "2 Error per epoch")
	w.start("figure", "class", "chart")
	w.raw(v.Chart)
	w.start("figcaption")
	w.chars("Training error (solid line, filled dots) and test error (dashed line, open dots) after each epoch, for every run. ")
	w.start("span", "class", "legend")
	for _, l := range v.Legend {
		w.start("span", "class", "item")
		w.raw(l.Swatch)
		w.chars(l.Label)
		w.end("span")
		w.chars(" ")
	}
	w.end("span")
	w.end("figcaption")
	w.end("figure")
	w.end("section")
}

func writeResults(w *writer, v *view) {
	w.start("section", "id", "results")
	w.elem("h2", "3 Results")
	var rows, classes [][]cell
	for _, r := range v.Results {
		rows = append(rows, []cell{{text: r.Label, before: r.Swatch}, {text: r.State}, {text: r.Epochs, num: true},
			{text: r.TrainErr, num: true}, {text: r.TestErr, num: true}, {text: r.TestAcc, num: true},
			{text: r.Best, num: true}, {text: r.Time, num: true}})
		row := []cell{{text: r.Label, before: r.Swatch}}
		for _, c := range r.Classes {
			row = append(row, cell{text: c, num: true})
		}
		classes = append(classes, row)
	}
	table(w, "results", heads("run", "state", "#epochs", "#train error", "#test error", "#test accuracy", "#best epoch (test error)", "#time"), rows)
	w.elem("p", "Errors and accuracy after the last epoch trained. The best epoch is the first with the lowest test error. "+
		"Time is wall-clock time in the browser, pauses excluded.", "class", "note")
	w.elem("h3", "Test accuracy per digit, %")
	table(w, "classes", heads("run", "#0", "#1", "#2", "#3", "#4", "#5", "#6", "#7", "#8", "#9"), classes)
	w.end("section")
}

// figure writes a figure of markup with its caption.
func figure(w *writer, class string, fig markup, caption string) {
	w.start("figure", "class", class)
	w.raw(fig)
	w.elem("figcaption", caption)
	w.end("figure")
}

func writeRun(w *writer, r runView) {
	w.start("section", "class", "run", "id", r.ID)
	w.start("h2")
	w.raw(r.Swatch)
	w.chars("Run " + r.Number + ": " + r.Label)
	w.end("h2")
	w.elem("p", strings.TrimSpace(r.Setup+" "+r.Status), "class", "setup-line")
	if r.Error != "" {
		w.elem("p", r.Error, "class", "error")
	}
	for _, n := range r.Notes {
		w.elem("p", n, "class", "note")
	}
	if r.Confusion != "" || r.Kernels != "" {
		w.start("div", "class", "pair")
		if r.Confusion != "" {
			figure(w, "confusion-figure", r.Confusion, r.ConfusionCaption)
		}
		if r.Kernels != "" {
			figure(w, "kernels-figure", r.Kernels, r.KernelsCaption)
		}
		w.end("div")
	}
	if len(r.Maps) > 0 {
		w.start("div", "class", "pair maps")
		for _, m := range r.Maps {
			fig := m.SVG
			if fig == "" {
				fig = `<div class="missing"></div>`
			}
			figure(w, "tsne-figure", fig, "t-SNE map of the bottleneck (the 49 values after the first dense layer). "+m.Caption+
				" Each image is drawn as its digit in the digit's colour; a circle marks one the network got wrong.")
		}
		w.end("div")
	}
	if r.Activations != "" {
		figure(w, "activations-figure", r.Activations, r.ActivationsCaption)
	}
	w.end("section")
}

func writeAppendix(w *writer, v *view) {
	w.start("section", "id", "appendix")
	w.elem("h2", "Appendix A: the MNIST images used")
	if len(v.Indices) == 0 {
		w.elem("p", "No run was trained here.", "class", "note")
	} else {
		w.elem("p", "Indices in MNIST's files, counting from 0, in file order; a–b stands for every index from a to b.", "class", "note")
	}
	for _, ix := range v.Indices {
		w.elem("h3", ix.Title)
		w.elem("p", ix.Ranges, "class", "indices")
	}
	w.end("section")
}
