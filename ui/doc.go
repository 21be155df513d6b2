// Package ui is ConvLab's dashboard: the settings, the training curves,
// the draw-to-classify pad and the insight panels (activation maps and
// kernels, confusion matrix, t-SNE maps), each a panel of its own.
//
// Data flows one way. Every Update, the App builds a frame (a read-only
// view of the runs, the selection, the pad's drawing, this frame's input
// and the panel's rectangle) and hands it to each panel; a panel answers
// with actions (start, pause, step, reset with settings, select an image
// or a run, clear the pad, dismiss the messages), which the App applies.
// Panels draw from the frame onto a Canvas. A Handle around the App serves
// the page's JavaScript calls (package api): those that change the
// dashboard are queued and applied at the start of a frame, those that
// read answer from a snapshot published after each frame.
//
// The package does not import ebiten: convlab/ui/screen reads the input,
// implements the Canvas and runs the game loop, so everything here is
// tested natively. The run itself lives in convlab/ui/session, and the
// pure pieces (layout, widgets, plots, the pad's preprocessing, t-SNE) in
// their own packages.
package ui
