// Package ui is ConvLab's dashboard, drawn with ebiten: controls, the
// training curves, the draw-to-classify pad, and the insight panels
// (activation maps and kernels, confusion matrix, t-SNE maps). It keeps
// the browser responsive by training only a few milliseconds per Update.
//
// The package only draws and routes input; the run itself lives in
// convlab/ui/session, and the pure pieces (layout, widgets, plots, the
// digit pad's preprocessing, t-SNE) in their own packages with native
// tests.
package ui
