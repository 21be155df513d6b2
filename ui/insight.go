package ui

import (
	"convlab/ui/layout"
)

// insight holds the state of the insight panels: activation maps and
// kernels, the confusion matrix and the t-SNE maps.
type insight struct{}

func newInsight() *insight { return &insight{} }

// reset forgets selections that belonged to the previous run.
func (s *insight) reset() {}

func (s *insight) update(a *App, in *pointerInput) {}

func (s *insight) draw(c *canvas, a *App, d layout.Dashboard) {
	c.panel(d.Activations, "Activation maps and kernels")
	c.panel(d.Confusion, "Confusion matrix (test set)")
	c.panel(d.TSNEFirst, "t-SNE after the first epoch")
	c.panel(d.TSNELast, "t-SNE after the last epoch")
}
