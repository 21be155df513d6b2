package ui

import (
	"convlab/ui/geom"
	"convlab/ui/settings"
)

// panel is one part of the dashboard. update reads the frame and returns
// what the panel wants done; draw paints the panel in the frame's
// rectangle. Neither changes anything but the panel's own state.
type panel interface {
	update(f *frame) []action
	draw(c *canvas, f *frame)
}

// frame is what a panel sees in one Update or Draw: the runs and which is
// selected, the image the insight panels show, the pad's drawing, the
// messages, this frame's input and the panel's rectangle. Panels only
// read it.
type frame struct {
	runs     []run
	selected int         // index in runs of the run the pad and the insight panels show
	view     run         // that run as they show it: live, or at an epoch's end (see scrub)
	image    selection   // what the activation maps show
	grads    gradView    // whether the activation panel shows gradients, and for which class
	drawing  drawing     // the pad's drawing, as the pad published it
	thumbs   *thumbnails // the selected run's test images
	messages []string    // what the banner shows, the training error first
	input    *Input      // this frame's input; empty while drawing
	fps      float64
	rect     geom.Rect // the panel's rectangle
}

// run returns the selected run as the pad and the insight panels show it.
func (f *frame) run() run { return f.view }

// action is something a panel (or a script) wants done.
type action struct {
	kind     actionKind
	settings settings.Settings // resetRun: the new run's settings
	index    int               // selectImage: the test image; selectRun, removeRun: the run; showEpoch: the epoch; stepEpochs: by how many
	key      string            // comparePreset: the preset
}

// actionKind says what an action does.
type actionKind int

// The actions.
const (
	startRun        actionKind = iota + 1 // start or resume the selected run
	pauseRun                              // pause it
	stepRun                               // train it one mini-batch
	resetRun                              // start it over with .settings
	selectImage                           // show test image .index in the insight panels
	selectDrawing                         // show the pad's drawing there
	selectRun                             // point the pad and the insight panels at run .index
	showGradients                         // show the activation panel's backward view (.index 1) or its forward one (0)
	chooseTarget                          // take class .index as the gradients' target (−1: the default)
	chooseKernels                         // show the kernels' ∂L/∂W of the image (.index 0) or of the last mini-batch (1)
	addRun                                // add a run with .settings and select it
	removeRun                             // remove run .index
	showEpoch                             // show the selected run at the end of epoch .index (0: live) in the insight panels
	stepEpochs                            // move the epoch shown by .index epochs (past the latest: live)
	comparePreset                         // set up the runs of preset .key
	startAll                              // ask every run to train (as places in the queue free up)
	pauseAll                              // pause every run
	saveCSV                               // save every run's per-epoch metrics as CSV
	saveChart                             // save the curves as a PNG image
	saveModel                             // save the selected run's model file
	saveWeights                           // save the selected run's weights as a NumPy .npz file
	saveReport                            // save the experiment's homework report
	openModel                             // ask for a file to open: a model file (a run) or an experiment
	saveExperiment                        // save the whole experiment as one file
	newExperiment                         // start afresh: one idle run with the default settings
	clearPad                              // empty the pad
	dismissMessages                       // hide the banner's messages and the training error
)

// do returns an action of kind k.
func do(k actionKind) action { return action{kind: k} }
