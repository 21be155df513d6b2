package ui

import (
	"fmt"
	"strings"

	"convlab/ui/runner"
)

// header is the title bar with the selected run's status line.
type header struct{}

func (header) update(*frame) []action { return nil }

func (header) draw(c *canvas, f *frame) {
	r := f.rect
	c.FillRect(r, colPanel)
	c.Line(r.X, r.Y+r.H, r.X+r.W, r.Y+r.H, 1, colBorder)
	c.boldText("ConvLab", r.X+12, r.Y+8, 17, colAccent, AlignLeft)
	line := statusLine(f.run(), f.fps)
	if len(f.runs) > 1 {
		line = fmt.Sprintf("%s (run %d of %d)  ·  %s", f.run().label, f.selected+1, len(f.runs), line)
	}
	c.Text(line, r.X+100, r.Y+10, 13, colText, AlignLeft)
	c.Text("MNIST: LeCun, Cortes & Burges (CC BY-SA 3.0)", r.X+r.W-10, r.Y+11, 11, colMuted, AlignRight)
}

// statusLine summarises a run: state, epoch, batch, speed, time,
// accuracy, and the frame rate.
func statusLine(r run, fps float64) string {
	epoch, batch, per := r.Progress()
	st := r.Settings()
	state := r.State().String()
	parts := []string{
		strings.ToUpper(state[:1]) + state[1:],
		fmt.Sprintf("epoch %d/%d", min(epoch+1, st.Epochs), st.Epochs),
		fmt.Sprintf("batch %d/%d", batch, per),
		fmt.Sprintf("%.0f img/s", r.ImagesPerSecond()),
		fmt.Sprintf("%.1f s", r.Elapsed().Seconds()),
	}
	if r.State() == runner.Finished {
		parts[1] = fmt.Sprintf("epoch %d/%d", epoch, st.Epochs)
		parts[2] = fmt.Sprintf("batch %d/%d", per, per)
	}
	if h := r.History(); len(h) > 0 {
		m := h[len(h)-1]
		parts = append(parts, fmt.Sprintf("train acc %.1f%%  test acc %.1f%%", 100*m.Train.Accuracy, 100*m.Test.Accuracy))
	}
	if r.TrainingIn() == runner.InPage && r.State() == runner.Running {
		parts = append(parts, "on the page's thread (no Web Worker)")
	}
	parts = append(parts, fmt.Sprintf("%.0f fps", fps))
	return strings.Join(parts, "  ·  ")
}
