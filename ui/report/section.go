package report

import (
	"fmt"
	"image/color"
	"strings"

	"convlab/nn"
)

// runSection prepares run i's section but its activation maps (see
// addActivations): its setup and outcome, confusion matrix, kernels and
// t-SNE maps, with a note for each figure it cannot have yet.
func runSection(i int, run Run, r Report) runView {
	v := runView{ID: fmt.Sprintf("run-%d", i+1), Number: itoa(i + 1), Swatch: swatch(run.Colour), Label: run.Label,
		Setup: setupLine(run), Status: status(run), Error: run.Error}
	if len(run.History) > 0 {
		m := final(run)
		v.Confusion = confusionMatrix(&m.Test.Confusion, run.Label)
		v.ConfusionCaption = fmt.Sprintf("Confusion matrix after epoch %d on the %s test images: rows are the true digits, columns the predicted ones; the diagonal counts the correct answers.",
			m.Epoch, thousands(total(&m.Test.Confusion)))
	} else if run.Model == "" {
		v.Notes = append(v.Notes, "No epoch has finished, so there is no confusion matrix and no t-SNE map yet.")
	}
	if hasWeightFigures(run) {
		if c, ok := run.Network.Layer(nn.LayerConv1).(*nn.Conv2D); ok {
			v.Kernels = kernels(c.Weight.Value, run.Label)
			v.KernelsCaption = "The first conv layer's 4 kernels (5×5 weights each), with " + weightsWhen(run) + ": blue negative, red positive, white near 0."
		}
	}
	v.Maps = maps(run, r.ClassColours)
	return v
}

// hasWeightFigures reports whether the run's section shows figures drawn
// from its weights (kernels, activation maps): not before its first epoch,
// unless it shows a model file.
func hasWeightFigures(run Run) bool {
	return run.Network != nil && (len(run.History) > 0 || run.Model != "")
}

// weightsWhen says which weights the figures of the run's weights show.
func weightsWhen(run Run) string {
	switch {
	case run.Model != "":
		return "the model file's weights"
	case run.WeightsFinal:
		return fmt.Sprintf("the weights at the end of epoch %d", final(run).Epoch)
	}
	return fmt.Sprintf("the latest weights, from the end of epoch %d or part way through the next (the run had not finished)", final(run).Epoch)
}

// addActivations adds the run's activation maps to its section v: they
// run the network on the example images.
func addActivations(v *runView, run Run, examples []Example) error {
	if !hasWeightFigures(run) || len(examples) == 0 {
		return nil
	}
	fig, err := activationFigure(run.Network, examples, run.Label)
	if err != nil {
		return err
	}
	v.Activations = fig
	v.ActivationsCaption = "Activation maps of the first test image of each digit, with " + weightsWhen(run) +
		": the image as the network sees it, then the maps of channels 1 to 4 of conv1 and of conv2 (after ReLU). Each row's maps of a layer are scaled from 0 (dark) to their largest value (bright yellow). Right: the predicted digit and its probability, in red when wrong. Left: each image's index in MNIST's test file."
	return nil
}

// maps prepares the t-SNE maps after the first and the last epoch; one
// figure when they are the same epoch's.
func maps(run Run, colours [nn.NumClasses]color.RGBA) []mapView {
	if len(run.History) == 0 && run.First == nil && run.Last == nil {
		return nil
	}
	var out []mapView
	add := func(m *Map, which string) {
		if m == nil {
			out = append(out, mapView{Caption: fmt.Sprintf("No map after the %s epoch yet.", which)})
			return
		}
		c := fmt.Sprintf("After epoch %d (the %s): %s test images", m.Epoch, which, thousands(len(m.Points)))
		if !m.Settled {
			c += fmt.Sprintf(", still settling (iteration %d)", m.Iteration)
		}
		out = append(out, mapView{SVG: tsneMap(m, colours, run.Label), Caption: c + "."})
	}
	if run.First != nil && run.First == run.Last {
		add(run.First, "first and the last")
		return out
	}
	add(run.First, "first")
	add(run.Last, "last")
	return out
}

// setupLine gives a run's settings in one line.
func setupLine(r Run) string {
	if r.Model != "" {
		return "Shows the model file " + r.Model + ", trained elsewhere: its settings and training history are not known here."
	}
	s := r.Settings
	parts := []string{setting(s, "opt"), "η = " + setting(s, "lr")}
	if a := setting(s, "alpha"); a != "–" {
		parts = append(parts, "α = "+a)
	}
	if p := setting(s, "rho"); p != "–" {
		parts = append(parts, "ρ = "+p)
	}
	parts = append(parts, "mini-batches of "+setting(s, "batch"), count(s.Epochs, "epoch", "epochs"),
		fmt.Sprintf("%s training and %s test images", thousands(s.TrainSize()), thousands(s.TestSize())),
		"seed "+setting(s, "seed"))
	return strings.Join(parts, ", ") + "."
}

// status says how far the run got.
func status(r Run) string {
	if r.Model != "" {
		return ""
	}
	done := len(r.History)
	switch r.State {
	case "finished":
		return fmt.Sprintf("Finished all %s in %.1f s.", count(done, "epoch", "epochs"), r.WallSeconds)
	case "failed":
		return fmt.Sprintf("Failed after %s.", count(done, "epoch", "epochs"))
	}
	state := r.State
	if state == "" {
		state = "idle"
	}
	return fmt.Sprintf("%s when the report was made, after %d of %s.", strings.ToUpper(state[:1])+state[1:], done, count(r.Settings.Epochs, "epoch", "epochs"))
}

// total counts the images in a confusion matrix.
func total(m *[nn.NumClasses][nn.NumClasses]int) int {
	n := 0
	for _, row := range m {
		for _, v := range row {
			n += v
		}
	}
	return n
}
