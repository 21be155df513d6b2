package ui

import (
	"convlab/ui/experiment"
	"convlab/ui/geom"
	"convlab/ui/runner"
	"convlab/ui/widget"
)

// runsPanel is the experiment: a button per preset, Start all and Pause
// all, and the results table, one row per run in its colour, sortable by
// a click on a column's title. A title too long for its column is
// abbreviated (experiment.Column.Short), and the pointer over it shows it
// in full. A click on a row selects its run for the
// pad and the insight panels; the row's × removes it.
type runsPanel struct {
	presets     []widget.Button // one per experiment.Presets(), in order
	startAll    widget.Button
	pauseAll    widget.Button
	clear       widget.Button // New experiment: one idle run with the default settings
	keep        widget.Button // Save experiment: every run in one file
	exportModel widget.Button // Save model: the selected run's model file
	load        widget.Button // a model file as a new run, or an experiment file
	sortCol     int           // the column the rows are ordered by, −1 for the runs' order
	desc        bool          // descending
	hoverCol    int           // the column whose title is under the pointer, −1 for none
}

// Sizes of the runs panel.
const (
	runsToolbarH = 22.0
	runsHeaderH  = 16.0
	runsRowH     = 16.0
	runsRemoveW  = 16.0
	// In a narrow panel (a phone's column, under runsNarrow wide) the
	// toolbar takes two rows, the table shows the columns that tell runs
	// apart (see runsColumnWidths), and its rows and their × are larger
	// targets for a finger.
	runsNarrow        = 400.0
	runsNarrowRowH    = 24.0
	runsNarrowRemoveW = 28.0
)

// runsLayout places the runs panel's parts inside in.
type runsLayout struct {
	toolbar []geom.Rect // presets, then Start all and Pause all
	columns []geom.Rect // each column's header cell; empty for a column not shown
	firstY  float64     // the first row's top
	rowH    float64     // a row's height
	removeW float64     // the width of a row's × at its right end
}

// runsColumnWidths are the table columns' shares of the width: run,
// optimizer, η, batch, epochs, train err, test err, test acc, best epoch,
// time, img/s. A narrow table leaves out (share 0) η, batch, epochs, the
// training error and the speed.
func runsColumnWidths(narrow bool) []float64 {
	if narrow {
		return []float64{1.7, 1.45, 0, 0, 0, 0, 0.9, 0.9, 0.65, 0.85, 0}
	}
	return []float64{1.7, 1.45, 0.85, 0.7, 0.85, 0.95, 0.9, 0.9, 0.65, 0.85, 0.75}
}

func layoutRuns(in geom.Rect, buttons int) runsLayout {
	narrow := in.W < runsNarrow
	l := runsLayout{rowH: runsRowH, removeW: runsRemoveW}
	y := in.Y + runsToolbarH + 6
	if narrow {
		// The presets on one row, Start all and Pause all below.
		l.toolbar = append(rect(in.X, in.Y, in.W, runsToolbarH).Cols(buttons-2, 4),
			rect(in.X, in.Y+runsToolbarH+4, in.W, runsToolbarH).Cols(2, 4)...)
		y += runsToolbarH + 4
		l.rowH, l.removeW = runsNarrowRowH, runsNarrowRemoveW
	} else {
		l.toolbar = rect(in.X, in.Y, in.W, runsToolbarH).Cols(buttons, 4)
	}
	weights := runsColumnWidths(narrow)
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := in.X
	width := in.W - l.removeW
	for _, w := range weights {
		cw := width * w / total
		l.columns = append(l.columns, rect(x, y, cw, runsHeaderH))
		x += cw
	}
	l.firstY = y + runsHeaderH
	return l
}

func newRunsPanel() *runsPanel {
	p := &runsPanel{sortCol: -1, hoverCol: -1,
		startAll:    widget.Button{Label: "Start all", Enabled: true},
		pauseAll:    widget.Button{Label: "Pause all", Enabled: true},
		clear:       widget.Button{Enabled: true},
		keep:        widget.Button{Enabled: true},
		exportModel: widget.Button{Label: "Save model", Enabled: true},
		load:        widget.Button{Enabled: true}}
	for _, pr := range experiment.Presets() {
		p.presets = append(p.presets, widget.Button{Label: pr.Title, Enabled: true})
	}
	return p
}

// buttons returns the toolbar's buttons in order.
func (p *runsPanel) buttons() []*widget.Button {
	out := make([]*widget.Button, 0, len(p.presets)+2)
	for i := range p.presets {
		out = append(out, &p.presets[i])
	}
	return append(out, &p.startAll, &p.pauseAll)
}

// titleBarWide is the card width from which the title bar's buttons have
// their full labels; a narrower card (a phone's column) shortens them.
const titleBarWide = 420.0

// placeTitleButtons lays out the title bar's buttons in the card r: New
// experiment, Save experiment, Save model and Open file (a model file or
// an experiment; package record tells which).
func (p *runsPanel) placeTitleButtons(r geom.Rect) {
	labels := []string{"New experiment", "Save experiment", "Open file"}
	widths := []float64{94, 100, 74, 66}
	if r.W < titleBarWide {
		labels = []string{"New", "Save exp.", "Open"}
		widths = []float64{40, 66, 74, 44}
	}
	p.clear.Label, p.keep.Label, p.load.Label = labels[0], labels[1], labels[2]
	tb := titleButtons(r, widths...)
	p.clear.Rect, p.keep.Rect, p.exportModel.Rect, p.load.Rect = tb[0], tb[1], tb[2], tb[3]
}

// order returns the runs' indices in the table's order.
func (p *runsPanel) order(res []experiment.Result) []int {
	return experiment.SortOrder(res, p.sortCol, p.desc)
}

// rowRect is the rectangle of the table's k-th row.
func rowRect(in geom.Rect, l runsLayout, k int) geom.Rect {
	return rect(in.X, l.firstY+float64(k)*l.rowH, in.W, l.rowH)
}

func (p *runsPanel) update(f *frame) []action {
	in := panelInner(f.rect)
	l := layoutRuns(in, len(p.presets)+2)
	for i, b := range p.buttons() {
		b.Rect = l.toolbar[i]
	}
	training := false
	for _, r := range f.runs {
		training = training || r.queued || r.State() == runner.Running
	}
	p.pauseAll.Enabled = training
	p.placeTitleButtons(f.rect)
	p.hoverCol = -1
	for c, r := range l.columns {
		if r.Contains(f.input.X, f.input.Y) {
			p.hoverCol = c
		}
	}
	var acts []action
	for _, e := range f.input.Events {
		switch {
		case p.clear.Handle(e):
			acts = append(acts, do(newExperiment))
		case p.keep.Handle(e):
			acts = append(acts, do(saveExperiment))
		case p.exportModel.Handle(e):
			acts = append(acts, do(saveModel))
		case p.load.Handle(e):
			acts = append(acts, do(openModel))
		}
		for i := range p.presets {
			if p.presets[i].Handle(e) {
				acts = append(acts, action{kind: comparePreset, key: experiment.Presets()[i].Key})
			}
		}
		switch {
		case p.startAll.Handle(e):
			acts = append(acts, do(startAll))
		case p.pauseAll.Handle(e):
			acts = append(acts, do(pauseAll))
		}
	}
	for k := range f.runs {
		if f.input.pressed(KeyRun1 + Key(k)) {
			acts = append(acts, action{kind: selectRun, index: k})
		}
	}
	for _, e := range f.input.presses(in.Contains) {
		if act, ok := p.press(f, in, l, e.X, e.Y); ok {
			acts = append(acts, act)
		}
	}
	return acts
}

// press handles a click in the table: a column title sorts by it (again:
// the other way), a row's × removes its run, the rest of a row selects it.
func (p *runsPanel) press(f *frame, in geom.Rect, l runsLayout, x, y float64) (action, bool) {
	for c, r := range l.columns {
		if r.Contains(x, y) {
			if p.sortCol == c {
				p.desc = !p.desc
			} else {
				p.sortCol, p.desc = c, false
			}
			return action{}, false
		}
	}
	for k, i := range p.order(results(f.runs)) {
		row := rowRect(in, l, k)
		if !row.Contains(x, y) {
			continue
		}
		if x >= row.X+row.W-l.removeW {
			return action{kind: removeRun, index: i}, true
		}
		return action{kind: selectRun, index: i}, true
	}
	return action{}, false
}

func (p *runsPanel) draw(c *canvas, f *frame) {
	in := c.card(f.rect, "Runs")
	l := layoutRuns(in, len(p.presets)+2)
	for _, b := range p.buttons() {
		c.buttonSized(b, 11)
	}
	for _, b := range []*widget.Button{&p.clear, &p.keep, &p.exportModel, &p.load} {
		c.smallButton(b)
	}
	cols := experiment.Columns()
	for i, r := range l.columns {
		if r.Empty() {
			continue
		}
		title := columnTitle(c, cols[i], r.W-2)
		if i == p.sortCol {
			title += map[bool]string{false: " ▲", true: " ▼"}[p.desc]
		}
		c.Text(fitText(c, title, r.W-2, 10), r.X+1, r.Y+1, 10, colMuted, AlignLeft)
	}
	defer p.drawFullTitle(c, in, l, cols) // over the rows
	c.Line(in.X, l.firstY-1, in.X+in.W, l.firstY-1, 1, colBorder)
	res := results(f.runs) // read once a frame, for the order and the cells
	for k, i := range p.order(res) {
		row := rowRect(in, l, k)
		if row.Y+row.H > in.Y+in.H+4 {
			break
		}
		if i == f.selected {
			c.FillRect(row, colAccentSoft)
		}
		c.FillRect(rect(row.X, row.Y+3, 4, row.H-6), runColour(i))
		ty := row.Y + 1 + (row.H-runsRowH)/2 // the text in the middle of a tall row
		for j, col := range cols {
			r := l.columns[j]
			if r.Empty() {
				continue
			}
			text := col.Cell(res[i])
			if j == 0 {
				text = fitText(c, text, r.W-10, 11)
				c.Text(text, r.X+8, ty, 11, colText, AlignLeft)
				continue
			}
			c.Text(fitText(c, text, r.W-2, 10.5), r.X+1, ty, 10.5, colText, AlignLeft)
		}
		c.Text("×", row.X+row.W-l.removeW/2, row.Y+(row.H-runsRowH)/2, 13, colMuted, AlignCenter)
	}
}

// columnTitle is col's title if it fits in width, else its short form.
func columnTitle(c *canvas, col experiment.Column, width float64) string {
	if col.Short == "" || c.TextWidth(col.Title, 10) <= width {
		return col.Title
	}
	return col.Short
}

// drawFullTitle shows the title under the pointer in full, in a box
// below it, when the column shows less of it.
func (p *runsPanel) drawFullTitle(c *canvas, in geom.Rect, l runsLayout, cols []experiment.Column) {
	if p.hoverCol < 0 || p.hoverCol >= len(cols) || l.columns[p.hoverCol].Empty() {
		return
	}
	r, title := l.columns[p.hoverCol], cols[p.hoverCol].Title
	if columnTitle(c, cols[p.hoverCol], r.W-2) == title && c.TextWidth(title, 10) <= r.W-2 {
		return
	}
	text := title + " (click to sort)"
	w := c.TextWidth(text, 11) + 10
	box := rect(max(in.X, min(r.X, in.X+in.W-w)), r.Y+r.H, w, 18)
	c.FillRect(box, colText)
	c.Text(text, box.X+5, box.Y+2, 11, colPanel, AlignLeft)
}

// results returns what the table shows of each run.
func results(runs []run) []experiment.Result {
	out := make([]experiment.Result, len(runs))
	for i, r := range runs {
		state := r.State().String()
		if r.queued {
			state = "queued"
		}
		out[i] = experiment.Result{Label: r.label, Settings: r.Settings(), State: state, History: r.History(),
			WallSeconds: r.Elapsed().Seconds(), ImagesPerSecond: r.ImagesPerSecond()}
	}
	return out
}

// fitText shortens s with an ellipsis until it is at most w wide.
func fitText(c *canvas, s string, w, size float64) string {
	if c.TextWidth(s, size) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && c.TextWidth(string(r)+"…", size) > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
