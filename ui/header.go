package ui

import (
	"fmt"
	"strings"

	"convlab/ui/layout"
	"convlab/ui/runner"
)

// header is the title bar with the selected run's status line. In a
// rectangle as tall as the desktop's header, the title, the status line
// and the data's credit share one row; in a taller one (the flow
// arrangement's narrow windows) the title and the credit share the first
// row and the status line is wrapped below them, between its parts.
type header struct{}

// Sizes of the header's stacked form.
const (
	headerTitleRow  = 28.0 // the title and the credit
	headerLine      = 16.0 // one line of the wrapped status
	headerLineText  = 12.0
	headerSeparator = "  ·  "
)

func (header) update(*frame) []action { return nil }

func (header) draw(c *canvas, f *frame) {
	r := f.rect
	c.FillRect(r, colPanel)
	c.Line(r.X, r.Y+r.H, r.X+r.W, r.Y+r.H, 1, colBorder)
	c.boldText("ConvLab", r.X+12, r.Y+8, 17, colAccent, AlignLeft)
	c.Text("MNIST: LeCun, Cortes & Burges (CC BY-SA 3.0)", r.X+r.W-10, r.Y+11, 11, colMuted, AlignRight)
	parts := statusParts(f.run(), f.fps)
	if len(f.runs) > 1 {
		parts = append([]string{fmt.Sprintf("%s (run %d of %d)", f.run().label, f.selected+1, len(f.runs))}, parts...)
	}
	if r.H <= layout.HeaderHeight {
		c.Text(strings.Join(parts, headerSeparator), r.X+100, r.Y+10, 13, colText, AlignLeft)
		return
	}
	width := r.W - 24
	lines := packParts(parts, headerSeparator, width, func(s string) float64 { return c.TextWidth(s, headerLineText) })
	for i, line := range lines {
		y := r.Y + headerTitleRow + float64(i)*headerLine
		if y+headerLine > r.Y+r.H {
			break
		}
		c.Text(fitText(c, line, width, headerLineText), r.X+12, y, headerLineText, colText, AlignLeft)
	}
}

// packParts joins parts with sep into lines no wider than width by
// measure, breaking only between parts; a part wider than width gets a
// line of its own.
func packParts(parts []string, sep string, width float64, measure func(string) float64) []string {
	var lines []string
	for _, p := range parts {
		n := len(lines)
		if n > 0 && measure(lines[n-1]+sep+p) <= width {
			lines[n-1] += sep + p
			continue
		}
		lines = append(lines, p)
	}
	return lines
}

// statusParts summarises a run: state, epoch, batch, speed, time,
// accuracy (at the epoch shown, when the scrubber shows one), and the
// frame rate. Before any training the epoch reads 0: "epoch 1" would say
// the first were under way.
func statusParts(r run, fps float64) []string {
	epoch, batch, per := r.Progress()
	st := r.Settings()
	state := r.State().String()
	current := min(epoch+1, st.Epochs)
	if r.ImagesTrained() == 0 {
		current = 0
	}
	parts := []string{
		strings.ToUpper(state[:1]) + state[1:],
		fmt.Sprintf("epoch %d/%d", current, st.Epochs),
		fmt.Sprintf("batch %d/%d", batch, per),
		fmt.Sprintf("%.0f img/s", r.ImagesPerSecond()),
		fmt.Sprintf("%.1f s", r.Elapsed().Seconds()),
	}
	if r.State() == runner.Finished {
		parts[1] = fmt.Sprintf("epoch %d/%d", epoch, st.Epochs)
		parts[2] = fmt.Sprintf("batch %d/%d", per, per)
	}
	if r.at > 0 {
		parts = append(parts, fmt.Sprintf("showing the end of epoch %d (Live to return)", r.at))
	}
	if h := r.History(); len(h) > 0 {
		m := h[len(h)-1]
		parts = append(parts, fmt.Sprintf("train acc %.1f%%  test acc %.1f%%", 100*m.Train.Accuracy, 100*m.Test.Accuracy))
	}
	if r.TrainingIn() == runner.InPage && r.State() == runner.Running {
		parts = append(parts, "on the page's thread (no Web Worker)")
	}
	return append(parts, fmt.Sprintf("%.0f fps", fps))
}
