package api

import (
	"fmt"
	"strings"
)

// Function describes one member of window.convlab, for the README and for
// the page, which offers exactly these.
type Function struct {
	Call    Call   // the function's name
	Usage   string // how it is called
	Queued  bool   // it changes the dashboard: applied on the next frame, it returns a Promise of a Result
	Returns string // what it returns, if it is not queued
	// Resolves is what a queued call's Promise settles to when that is
	// more than {ok: true} or {error: "…"}.
	Resolves string
	Does     string
}

// Functions lists window.convlab's functions in the README's order.
func Functions() []Function {
	return []Function{
		{Call: CallStatus, Usage: "status()", Returns: "a plain object, described below",
			Does: "what the dashboard showed at its last frame"},
		{Call: CallStart, Usage: "start(settings?)", Queued: true,
			Does: "start or resume every run that can still train (as places in the queue free up); with an object of URL-style keys (" + settingKeys() + ") start the selected run over with those settings first, keys left out keeping their values. `{error}` for bad settings, or when every run has finished or failed"},
		{Call: CallPause, Usage: "pause()", Queued: true, Does: "pause every run"},
		{Call: CallReset, Usage: "reset()", Queued: true, Does: "start the selected run over with its settings"},
		{Call: CallStep, Usage: "step()", Queued: true,
			Does: "train one mini-batch over the next frames, while idle or paused (otherwise `{error}`)"},
		{Call: CallClassify, Usage: "classify(pixels)", Returns: "10 probabilities, or `{error: \"…\"}`",
			Does: "runs 784 numbers in [0, 1] (1 = ink, row by row), in an Array or a typed array (`Float32Array`, `Float64Array`, `Uint8ClampedArray`…), through the network as it was at the last frame (at the epoch `selectEpoch` shows, if any); values are taken as they are, so grey levels 0–255 must be divided by 255 first"},
		{Call: CallModel, Usage: "model()", Returns: "a string",
			Does: "the network's weights at the last frame (at the epoch `selectEpoch` shows, if any), as a model file (JSON, read by `nn.Load`)"},
		{Call: CallClearPad, Usage: "clearPad()", Queued: true, Does: "clear the drawing pad"},
		{Call: CallRuns, Usage: "runs()", Returns: "an array, one object per run",
			Does: "the experiment's runs, as `status().runs` lists them: `label`, `state`, `model`, `config`, `epochs`, `elapsedSeconds`, `imagesPerSecond`, `trainingIn`"},
		{Call: CallAddRun, Usage: "addRun(settings?)", Queued: true,
			Does: "add a run with the selected run's settings changed by an object of URL-style keys, and select it (at most 6 runs)"},
		{Call: CallCompare, Usage: "compare(preset)", Queued: true,
			Does: "set up a comparison: `'optimizers'` (SGD, Momentum, RMSProp), `'batch'` (mini-batches of 1, 10, 50, 100) or `'epochs'` (a 50-epoch run beside the selected run), on the selected run's seed and data; `start()` then trains them all"},
		{Call: CallSelectRun, Usage: "selectRun(i)", Queued: true,
			Does: "point the pad and the insight panels at run i (its index in `runs()`)"},
		{Call: CallSelectEpoch, Usage: "selectEpoch(run, epoch)", Queued: true,
			Does: "select run `run` (its index in `runs()`) and show it as it was at the end of `epoch` (from 1 to the epochs it has finished) in the activation maps, kernels, confusion matrix, per-class accuracy, the pad's prediction, `classify()` and `model()`, as the scrubber under the curves does; the second t-SNE map becomes that epoch's, built over the next frames (`status().shown`); `epoch` 0 returns to the latest weights"},
		{Call: CallExportCSV, Usage: "exportCSV()", Returns: "a string",
			Does: "the per-epoch metrics of every run as CSV: a header with units, then one row per run per finished epoch (settings, losses, error rates and accuracies, and per layer with weights its gradient RMS and update ratio, as `status().epochs[i].layers`)"},
		{Call: CallLoadModel, Usage: "loadModel(json)", Queued: true,
			Does: "add a run that shows the model in a model file's text (validated by `nn.Load`) and select it; it trains no further"},
		{Call: CallSave, Usage: "save(what)", Queued: true,
			Does: "download, as the buttons do, `'csv'` (every run's per-epoch metrics), `'png'` (the curves at twice the resolution, 1800×1120 pixels), `'model'` (the selected run's model file, at the epoch `selectEpoch` shows if any), `'npz'` (the selected run's weights for NumPy, likewise: one float64 array per tensor, named as in the model file) or `'report'` (the homework report, as `report()`)"},
		{Call: CallReport, Usage: "report()", Queued: true, Resolves: "a Promise of `{ok: true, html: \"…\"}` or `{error: \"…\"}`",
			Does: "download the experiment's homework report, as the Report button does: one self-contained HTML file (setup, error per epoch of every run, results, and per run its confusion matrix, kernels, activation maps and t-SNE maps), readable offline and printable to PDF; it is written in a Web Worker (the first report loads its program, `report.wasm`) and settles once saved; `html` is the file's text"},
		{Call: CallSaveExperiment, Usage: "saveExperiment()", Queued: true,
			Does: "download the whole experiment as one file, as the Save experiment button does: every run's settings, state, per-epoch metrics, weights after every epoch, the optimizer's state and shuffling position to go on training, and the t-SNE maps' features (JSON, format `convlab-experiment`; see Keeping an experiment)"},
		{Call: CallExperiment, Usage: "experiment()", Queued: true, Resolves: "a Promise of `{ok: true, text: \"…\"}`",
			Does: "the experiment file `saveExperiment()` downloads, as text, without downloading it"},
		{Call: CallLoadExperiment, Usage: "loadExperiment(text)", Queued: true,
			Does: "replace every run with those of an experiment file's text, as opening or dropping the file does: shown at once as they were saved, nothing training; a run that was training comes back paused at its last finished epoch, and `start()` goes on from there exactly as if it had never stopped. The file is checked first (exact keys, sizes, bounds); `{error}` says what is wrong, and then nothing changes"},
		{Call: CallClear, Usage: "clear()", Queued: true,
			Does: "start a new experiment, as the New experiment button does: one idle run with the default settings, every other run discarded"},
		{Call: CallGradients, Usage: "gradients(options?)", Queued: true,
			Does: "show the activation panel's backward view, as its Show gradients button does, for the class `target` (a digit; left out or null: the image's label, or the class predicted for a drawing), as clicking a class in its target row does, and `kernels`: `\"image\"` or `\"batch\"` to show the kernels' ∂L/∂W of the image or of the last mini-batch trained, as the switch between their blocks does (left out: as it was); `{show: false}` goes back to the activations. `status().gradients` then holds what it shows"},
	}
}

// Calls returns the names of every function, in the README's order.
func Calls() []Call {
	var out []Call
	for _, f := range Functions() {
		out = append(out, f.Call)
	}
	return out
}

// Field describes one key of status(). A key whose value is an object (or
// a list or map of objects) names all of that object's keys, in
// backquotes, in its Meaning.
type Field struct {
	Key, Meaning string
}

// StatusFields describes every key of status(), in the README's order.
func StatusFields() []Field {
	return []Field{
		{"state", "where the run is: idle, running, paused, finished or failed"},
		{"error", "why training stopped (it diverged), or empty"},
		{"stalled", "null while the run learns; once an epoch shows it has stopped learning (a layer's ReLUs output 0 for every training image, or the training loss has not fallen below epoch 1's for 3 epochs; training goes on): `message` (the cause and a smaller learning rate to try, as the banner shows it), `epoch` (the epoch judged), `deadLayer` (the layer whose ReLUs died, or empty), `flatEpochs` (epochs in a row without a loss below epoch 1's, 0 if fewer than 3), `learningRate`"},
		{"config", "the run's settings: `optimizer`, `learningRate`, `momentum`, `rho`, `batchSize`, `epochs`, `trainPerClass`, `testPerClass`, `seed`"},
		{"epoch", "epochs finished"},
		{"batch", "mini-batches trained in the current epoch"},
		{"batchesPerEpoch", "mini-batches in an epoch"},
		{"imagesTrained", "training images processed so far, counted once per epoch"},
		{"imagesPerSecond", "recent training speed per second of wall-clock time, drawing included"},
		{"computeImagesPerSecond", "recent throughput of the training code alone, comparable with `make bench`"},
		{"elapsedSeconds", "the run's wall-clock time from start to finished, pauses excluded"},
		{"trainingSeconds", "time spent in the training code alone so far"},
		{"trainingIn", "where the run trains: \"worker\" (a Web Worker of its own) or \"page\" (time-sliced on the page's thread, where workers are unavailable or `worker=0` asks for it)"},
		{"epochs", "per finished epoch: `epoch`, `trainLoss`, `trainError`, `trainAccuracy`, `testLoss`, `testError`, `testAccuracy` (rates are fractions), `classAccuracy` (per digit; −1 for a digit without test images), `confusion` (counts; rows: true digit, columns: predicted), `layers` (per layer with weights, conv1, conv2, hidden, output: `layer`, its name; `gradientRMS`, the root mean square of the epoch's mini-batch gradients, over the layer's weights and bias and the mini-batches; `updateRatio`, how far the epoch moved the layer's weights and bias, ‖w after − w before‖ / ‖w before‖; −1 where not a finite number)"},
		{"step", "while the last mini-batch the run trained was a step (`step()`, the Step button or `s`) from the start of a mini-batch, that step explained, else null: `epoch`, `batch`, `images`, the batch's mean loss before and after the update (`lossBefore`, `lossAfter`), `state` (what the optimizer keeps: velocity, mean square, or empty for SGD), `tensors` (per parameter tensor: `name`, the root mean square of its weights after the step `weightRMS`, of the gradient `gradientRMS`, of the update `updateRMS` and of the optimizer's state `stateRMS`), and the batch's first image, `firstIndex` (in the training set) and `firstLabel`, with `firstGradient` (per stage, `stage` and the `rms` of ∂L/∂A for its label, with the weights before the step)"},
		{"tsne", "the t-SNE maps after the `first` and the `last` epoch, each null until that epoch has ended: `epoch`, `iteration`, `done`, `points` (x, y per test image shown), `labels`"},
		{"ready", "true once the dashboard has drawn a frame"},
		{"frame", "frames the dashboard has run: poll it to know the page has seen an input"},
		{"fps", "frames drawn per second"},
		{"tps", "updates per second"},
		{"messages", "the notices in the banner (problems with the URL's settings, a reset that failed)"},
		{"pad", "the drawing pad: `empty`, `revision` (counts the drawing's changes), `samples` (pointer samples received, every press, move and release: wait for it to know the pad has seen an input), the drawing as 784 `input` values (1 = ink), the network's `probs` for it and the `predicted` digit (−1 when empty)"},
		{"layout", "each panel's rectangle in CSS pixels from the canvas's top-left corner, where it is on the canvas now, `x`, `y`, `w`, `h`, by name: header, controls, pad (the drawing surface), padPanel, curves, runs, confusion, activations, tsneFirst, tsneLast; and `dashboard`, the whole dashboard, which on a phone or tablet is taller than the canvas and scrolls: its `y` is minus how far it is scrolled, and a panel scrolled out of sight has a `y` below 0 or beyond the canvas's height (see Phones and tablets); and `step`, while the curves panel explains the selected run's step (paused after a `step()`, in place of its loss chart), where that table is"},
		{"downloadingData", "true while MNIST's full files download, for a run that asked for more images per class than the 500 training and 100 test bundled (the run is set up, with its settings, when they are in)"},
		{"fullData", "true once the page holds MNIST's full files, so that any number of images per class up to `all` is set up at once"},
		{"selected", "the index in `runs` of the run the pad, the insight panels and the keys above describe"},
		{"gradients", "the activation panel's backward view (see Gradients): `shown`, `target` (the class whose loss −log p is differentiated; −1 while nothing is shown), `chosen` (the target was chosen, not the default), `loss`, `saliency` (∂L/∂x, 784 values row by row), `layers` (input, conv1, pool1, conv2, pool2, hidden, output, each with its `name`, `shape`, `params`, `actMin`, `actMax` and its gradient's `gradRMS` and `gradAbsMax`), `computed` (backward passes run so far: it grows when the image, the weights or the target change, never every frame), `kernels` (whose ∂L/∂W the kernels show: `image` or `batch`), `batchKernels` (the last mini-batch's gradient of the conv kernels, the mean-loss gradient the optimizer was given, null until the run has trained one: `imagesTrained` after that batch, and `layers` conv1 and conv2 with their `layer`, `rms` and `absMax`)"},
		{"shown", "what the insight panels show of that run: `epoch` (the epoch whose end they show, 0 while they show the latest weights) and `map` (the second t-SNE map: that epoch's, null while it is built, or the last epoch's while live; `epoch`, `iteration`, `done`, `points`, `labels` as in `tsne`)"},
		{"runs", "the experiment's runs: `label` (what sets it apart), `state` (idle, queued, running, paused, finished or failed), `model` (the model file a loaded run shows, which trains no further; empty for a run that trains), `config` (`optimizer`, `learningRate`, `momentum`, `rho`, `batchSize`, `epochs`, `trainPerClass`, `testPerClass` (1048576 for all), `seed`), `epochs` (as above: `epoch`, `trainLoss`, `trainError`, `trainAccuracy`, `testLoss`, `testError`, `testAccuracy`, `classAccuracy`, `confusion`, `layers` with `layer`, `gradientRMS`, `updateRatio`), `elapsedSeconds`, `imagesPerSecond`, `trainingIn`"},
	}
}

// Markdown returns the README's two tables: window.convlab's functions,
// and the keys of status().
func Markdown() string {
	var b strings.Builder
	b.WriteString("| call | returns | what it does |\n|---|---|---|\n")
	b.WriteString("| `convlab.ready` | a boolean | `true` once the app has drawn its first frame |\n")
	for _, f := range Functions() {
		returns := f.Returns
		switch {
		case f.Resolves != "":
			returns = f.Resolves
		case f.Queued:
			returns = "a Promise of `{ok: true}` or `{error: \"…\"}`"
		}
		fmt.Fprintf(&b, "| `convlab.%s` | %s | %s |\n", f.Usage, returns, f.Does)
	}
	b.WriteString("\n| `status()` key | meaning |\n|---|---|\n")
	for _, f := range StatusFields() {
		fmt.Fprintf(&b, "| `%s` | %s |\n", f.Key, f.Meaning)
	}
	return b.String()
}
