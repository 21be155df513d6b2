// Package api is the contract of window.convlab, the page's JavaScript
// handle: the shape of status(), the arguments every call accepts, what
// each returns, and the README's tables of them. It builds natively, so
// the page (convlab/wasm) encodes status() from the same types the browser
// tests decode it into, and it reads arguments from plain Go values, so
// their checks are tested without a browser.
//
// Calls that change the dashboard (start, pause, reset, step, clearPad)
// are queued and applied at the start of the next frame, never in the
// middle of one; each returns a Promise of a Result. Calls that only read
// (status, classify, model) answer at once from what the last frame
// published.
package api

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"

	"convlab/nn"
	"convlab/ui/session"
	"convlab/ui/settings"
)

// Call names one of window.convlab's functions.
type Call string

// The functions of window.convlab.
const (
	CallStatus      Call = "status"
	CallStart       Call = "start"
	CallPause       Call = "pause"
	CallReset       Call = "reset"
	CallStep        Call = "step"
	CallClassify    Call = "classify"
	CallModel       Call = "model"
	CallClearPad    Call = "clearPad"
	CallRuns        Call = "runs"
	CallAddRun      Call = "addRun"
	CallCompare     Call = "compare"
	CallSelectRun   Call = "selectRun"
	CallSelectEpoch Call = "selectEpoch"
	CallExportCSV   Call = "exportCSV"
	CallLoadModel   Call = "loadModel"
	CallSave        Call = "save"
	CallReport      Call = "report"
	CallGradients   Call = "gradients"

	CallSaveExperiment Call = "saveExperiment"
	CallExperiment     Call = "experiment"
	CallLoadExperiment Call = "loadExperiment"
	CallClear          Call = "clear"
)

// Status is what window.convlab.status() returns: the run's snapshot
// (session.Status) and what only the dashboard knows.
type Status struct {
	session.Status
	Ready     bool            `json:"ready"`
	Frame     int             `json:"frame"`
	FPS       float64         `json:"fps"`
	TPS       float64         `json:"tps"`
	Messages  []string        `json:"messages"`
	Pad       Pad             `json:"pad"`
	Layout    map[string]Rect `json:"layout"`
	Selected  int             `json:"selected"`
	Shown     Shown           `json:"shown"`
	Runs      []Run           `json:"runs"`
	Gradients Gradients       `json:"gradients"`
	// DownloadingData is set while MNIST's full files download for a run
	// that asked for more images than the bundle holds; FullData once the
	// page holds them.
	DownloadingData bool `json:"downloadingData"`
	FullData        bool `json:"fullData"`
}

// Gradients is status().gradients: the activation panel's backward view.
type Gradients struct {
	Shown bool `json:"shown"`
	// Target is the class the gradients are for, −1 while none are shown
	// (or none are finite, which a diverging network could cause: then
	// the figures below are left out too);
	// Chosen says it was chosen rather than the default (the label, or
	// the class predicted for a drawing).
	Target   int             `json:"target"`
	Chosen   bool            `json:"chosen"`
	Loss     float64         `json:"loss"`     // −log p(target)
	Saliency []float64       `json:"saliency"` // ∂L/∂x, 784 values row by row
	Layers   []GradientLayer `json:"layers"`
	// Computed counts the backward passes the view has run: it grows when
	// the image, the weights or the target change, not every frame.
	Computed int `json:"computed"`
	// Kernels says whose ∂L/∂W the kernels show: KernelsImage (the image
	// shown) or KernelsBatch (the last mini-batch trained).
	Kernels string `json:"kernels"`
	// BatchKernels sums up the kernels' gradient of the last mini-batch
	// the run trained (the mean-loss gradient the optimizer was given),
	// shown or not; nil when the run has sent none.
	BatchKernels *BatchKernels `json:"batchKernels"`
}

// Whose ∂L/∂W the backward view's kernels show (Gradients.Kernels,
// gradients({kernels})).
const (
	KernelsImage = "image"
	KernelsBatch = "batch"
)

// BatchKernels is status().gradients.batchKernels.
type BatchKernels struct {
	// ImagesTrained counts the images the run had trained after that
	// mini-batch.
	ImagesTrained int `json:"imagesTrained"`
	// Layers holds conv1's and conv2's kernels' gradient: its RMS and its
	// largest |value|, the end of its colour scale.
	Layers []KernelGradient `json:"layers"`
}

// KernelGradient is one conv layer's kernels' gradient in
// status().gradients.batchKernels.
type KernelGradient struct {
	Layer  string  `json:"layer"`
	RMS    float64 `json:"rms"`
	AbsMax float64 `json:"absMax"`
}

// GradientLayer is one stage of status().gradients.layers: input, conv1,
// pool1, conv2, pool2, hidden, output.
type GradientLayer struct {
	Name       string  `json:"name"`
	Shape      string  `json:"shape"`
	Params     int     `json:"params"`
	ActMin     float64 `json:"actMin"`
	ActMax     float64 `json:"actMax"`
	GradRMS    float64 `json:"gradRMS"`
	GradAbsMax float64 `json:"gradAbsMax"`
}

// GradientRequest is what gradients(options) asks for: the backward view
// shown or not, a target class (−1 for the default), and whose ∂L/∂W the
// kernels show (KernelsImage, KernelsBatch, or empty: as they were).
type GradientRequest struct {
	Show    bool
	Target  int
	Kernels string
}

// GradientOptions reads gradients()'s argument: nothing (show the
// gradients for the default target), or an object with show (a boolean,
// true if left out) and target (a digit 0–9, or null or left out for the
// default: the image's label, or the class predicted for a drawing) and
// kernels ("image" or "batch"; left out, as it was).
func GradientOptions(arg any) (GradientRequest, error) {
	req := GradientRequest{Show: true, Target: -1}
	if arg == nil {
		return req, nil
	}
	obj, ok := arg.(map[string]any)
	if !ok {
		return req, fmt.Errorf("%s() takes an object such as {show: true, target: 3}, not %s", CallGradients, describe(arg))
	}
	for k, v := range obj {
		switch k {
		case "show":
			b, ok := v.(bool)
			if !ok {
				return req, fmt.Errorf("%s(): show is %s, not true or false", CallGradients, describe(v))
			}
			req.Show = b
		case "target":
			if v == nil {
				continue
			}
			x, ok := v.(float64)
			if !ok || x != math.Trunc(x) || x < 0 || x >= nn.NumClasses {
				return req, fmt.Errorf("%s(): target is %s, not a digit from 0 to 9 (or null for the default)", CallGradients, describe(v))
			}
			req.Target = int(x)
		case "kernels":
			if v != KernelsImage && v != KernelsBatch {
				return req, fmt.Errorf("%s(): kernels is %s, not %q or %q", CallGradients, describe(v), KernelsImage, KernelsBatch)
			}
			req.Kernels = v.(string)
		default:
			return req, fmt.Errorf("%s(): unknown key %q (want show, target, kernels)", CallGradients, k)
		}
	}
	return req, nil
}

// Shown is status().shown: the epoch of the selected run whose end the
// insight panels show (see selectEpoch), and the map the second t-SNE
// panel shows with it.
type Shown struct {
	Epoch int                `json:"epoch"` // 0 while they show the latest weights
	Map   *session.MapStatus `json:"map"`   // that epoch's, nil while it is built; live, the last epoch's
}

// Run is one run of the experiment, as runs() and status().runs list
// them.
type Run struct {
	Label string `json:"label"`
	State string `json:"state"` // idle, queued, running, paused, finished, failed
	// Model names the model file the run shows, for a run loaded from
	// one (loadModel, the Open button), which trains no further and whose
	// settings are only the defaults; it is empty for a run that trains.
	Model           string                `json:"model"`
	Config          settings.Settings     `json:"config"`
	Epochs          []session.EpochStatus `json:"epochs"`
	ElapsedSeconds  float64               `json:"elapsedSeconds"`
	ImagesPerSecond float64               `json:"imagesPerSecond"`
	TrainingIn      string                `json:"trainingIn"`
}

// Pad is status().pad: the drawing on the pad and the network's answer.
type Pad struct {
	Empty     bool      `json:"empty"`
	Revision  int       `json:"revision"`
	Samples   int       `json:"samples"`
	Input     []float64 `json:"input"`
	Probs     []float64 `json:"probs"`
	Predicted int       `json:"predicted"`
}

// Rect is a rectangle in CSS pixels from the canvas's top-left corner,
// where it is on the canvas now: in a dashboard that scrolls, a panel
// scrolled out of sight lies above the canvas (y < 0) or below it.
type Rect struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
	W float64 `json:"w"`
	H float64 `json:"h"`
}

// Result is what a call that changes the dashboard resolves to:
// {ok: true}, or {error: "…"} saying why nothing was done.
type Result struct {
	OK    bool   `json:"ok,omitempty"`
	Error string `json:"error,omitempty"`
	// HTML is report()'s file, also downloaded, for a script to read.
	HTML string `json:"html,omitempty"`
	// Text is experiment()'s file, for a script to keep.
	Text string `json:"text,omitempty"`
}

// Done is the Result of a call that did what it was asked.
func Done() Result { return Result{OK: true} }

// Failed is the Result of a call that could not do what it was asked.
func Failed(err error) Result { return Result{Error: err.Error()} }

// JSType stands for a JavaScript value that has no Go counterpart in an
// argument (a function, a symbol, a bigint, or an object nested too deep
// to be read): its typeof, for messages.
type JSType string

// Arguments reach the functions below as the Go values of the JavaScript
// ones: nil for undefined and null, float64, string and bool for those
// types, []any for an Array or a typed array (a Float32Array, a
// Uint8ClampedArray…, its entries as they read in JavaScript),
// map[string]any for another object, and JSType for anything else.

// StartQuery reads start()'s optional argument: an object of settings with
// URL-style keys, such as {opt: "sgd", lr: 0.01}, whose values are numbers,
// strings or booleans. given is false when there is no argument (undefined
// or null). The settings themselves are checked when they are applied, by
// settings.Apply.
func StartQuery(arg any) (q url.Values, given bool, err error) {
	if arg == nil {
		return nil, false, nil
	}
	obj, ok := arg.(map[string]any)
	if !ok {
		return nil, true, fmt.Errorf("%s() takes an object of settings such as {opt: \"sgd\", lr: 0.01}, not %s", CallStart, describe(arg))
	}
	q = url.Values{}
	for k, v := range obj {
		switch v := v.(type) {
		case float64:
			q.Set(k, strconv.FormatFloat(v, 'g', -1, 64))
		case string:
			q.Set(k, v)
		case bool:
			q.Set(k, strconv.FormatBool(v))
		default:
			return nil, true, fmt.Errorf("%s(): the value of %q is %s, not a number, a string or a boolean", CallStart, k, describe(v))
		}
	}
	return q, true, nil
}

// Pixels reads classify()'s argument: an array (an Array or a typed
// array) of nn.ImageSize numbers in [0, 1], 1 being ink, row by row.
//
// Values are taken as they are, whatever holds them: a number means the
// same in a Uint8ClampedArray as in a Float64Array, so grey levels 0–255
// (what a canvas's getImageData gives, one channel of four) must be
// divided by 255 first; the error for a value above 1 says so.
func Pixels(arg any) ([]float64, error) {
	want := fmt.Errorf("%s() needs an array of %d numbers in [0, 1]", CallClassify, nn.ImageSize)
	list, ok := arg.([]any)
	if !ok {
		return nil, fmt.Errorf("%w, not %s", want, describe(arg))
	}
	if len(list) != nn.ImageSize {
		return nil, fmt.Errorf("%w, not %d values", want, len(list))
	}
	img := make([]float64, nn.ImageSize)
	for i, v := range list {
		x, ok := v.(float64)
		if !ok || math.IsNaN(x) || x < 0 || x > 1 {
			hint := ""
			if ok && x > 1 && x <= 255 {
				hint = " (values are not scaled: divide grey levels 0–255 by 255 first)"
			}
			return nil, fmt.Errorf("%s(): pixel %d is %s, want a number in [0, 1]%s", CallClassify, i, describe(v), hint)
		}
		img[i] = x
	}
	return img, nil
}

// describe names an argument's value for a message.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "undefined or null"
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case string:
		return strconv.Quote(v)
	case bool:
		return strconv.FormatBool(v)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	case JSType:
		return "a " + string(v)
	}
	return fmt.Sprintf("%T", v)
}

// RunIndex reads the run argument of selectRun() and selectEpoch() (call):
// a run's index in runs(), a whole number from 0 to runs−1.
func RunIndex(call Call, arg any, runs int) (int, error) {
	x, ok := arg.(float64)
	if !ok || x != math.Trunc(x) || x < 0 || x >= float64(runs) {
		return 0, fmt.Errorf("%s() takes a run's index in runs(), a whole number from 0 to %d, not %s", call, runs-1, describe(arg))
	}
	return int(x), nil
}

// EpochNumber reads selectEpoch()'s second argument: an epoch, a whole
// number from 0 (live) up; whether the run has finished it is checked when
// the call is applied.
func EpochNumber(arg any) (int, error) {
	x, ok := arg.(float64)
	if !ok || x != math.Trunc(x) || x < 0 || x > math.MaxInt32 {
		return 0, fmt.Errorf("%s() takes an epoch the run has finished, from 1, or 0 for the latest weights, not %s", CallSelectEpoch, describe(arg))
	}
	return int(x), nil
}

// Text reads the string argument of compare() (a preset's key), of
// loadModel() (a model file's text) and of loadExperiment() (an experiment
// file's text).
func Text(call Call, arg any) (string, error) {
	s, ok := arg.(string)
	if !ok {
		return "", fmt.Errorf("%s() takes a string, not %s", call, describe(arg))
	}
	return s, nil
}

// ErrBusy is the error of a call made while too many others wait for the
// next frame.
var ErrBusy = errors.New("too many calls are waiting for the next frame; await the ones made before")

// settingKeys lists start()'s keys, as the settings table gives them.
func settingKeys() string {
	var keys []string
	for _, f := range settings.Fields() {
		keys = append(keys, f.Key)
	}
	return strings.Join(keys, ", ")
}
