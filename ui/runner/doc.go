// Package runner trains one ConvLab run wherever it runs — in a Web Worker
// of its own, or time-sliced on the page's thread — and defines the
// messages between the page and that run.
//
// # Protocol
//
// The page sends commands; the run answers with events. Both travel in one
// binary format (EncodeCommand, EncodeEvents; see encoding.go for the
// layout), settings included, exact for every float64, so a worker's
// metrics and weights arrive bit for bit. Every message starts with
// WireVersion, and a message of another version is refused with a
// VersionError rather than misread.
//
// Commands:
//
//   - Configure{Run, Settings}: discard the current run and set up run
//     number Run (chosen by the page) with the given settings, Idle.
//   - Restore{Run, Settings, Checkpoint, TrainingTime}: discard the
//     current run and set up run number Run as it stood at the
//     checkpoint's epoch end (nn.ResumeTrainer), Paused, or Finished after
//     its last epoch, without training: a run kept in a file or in the
//     browser, come back, that Start continues bit for bit.
//   - Start: train until the last epoch, or until Pause.
//   - Pause: stop after the current unit of work.
//   - Step: train one mini-batch, then stay Paused.
//   - Cancel: discard the run.
//
// A unit of work is at most 10 images of a mini-batch or a chunk of an
// end-of-epoch evaluation (see nn.Trainer), and the run looks at new
// commands between units, so Pause, Step, Configure and Cancel take effect
// within one mini-batch.
//
// Events, each carrying the number of its run so that the page can drop
// those of a run it has replaced:
//
//   - StateChanged: the run is Idle, Running, Paused, Finished or Failed,
//     and whether a Step is under way.
//   - Progress: the mini-batches completed since the last Progress, each
//     with its size and mean loss; images trained; the epoch and batch
//     counters; the time spent in the training code and its recent rate
//     in images per second.
//   - EpochEnded: the epoch's nn.EpochMetrics (training and test loss,
//     error, accuracy, per-class accuracy, confusion matrix, predictions),
//     exactly as nn.Trainer measured them; nn.Trainer.Stalled's warning
//     when the run has stopped learning (dead ReLUs, a training loss that
//     does not fall), which does not stop it; and the trainer's state as
//     the epoch left it (nn.Checkpoint less what the page already has):
//     the weights, which the page keeps for every epoch and loads as that
//     moment's weight snapshot, and the optimizer's state and shuffling
//     position, from which a later session resumes bit for bit.
//   - Weights: every parameter of the network — after a Step, on Pause,
//     and at most about three times a second while training (an epoch's
//     end sends its weights in EpochEnded). The page loads them into its
//     own copy of the network to draw activation maps and kernels and to
//     classify the pad's drawing. Weights and EpochEnded also carry the
//     conv layers' gradient of the last mini-batch trained, as the
//     optimizer was given it, which the page draws beside the kernels.
//   - Features: the 49 bottleneck values of up to 200 test images (see
//     MapSubset) after the first and the last epoch, for the t-SNE maps,
//     which the page builds.
//   - StepExplained: after a Step that trained a mini-batch from its
//     start (nn.Trainer.ExplainStep), the batch's loss before and after
//     the update and, per parameter tensor, the root mean square of its
//     weights, gradient, update and optimizer state; the first image's
//     gradient per stage.
//   - Failure: training diverged (with nn.DivergedError's details), the
//     settings cannot make a run, or the worker crashed. The run is then
//     Failed.
//
// # Engine and backends
//
// An Engine owns one run's nn.Trainer: Handle applies a command, Work
// trains for a bounded time, TakeEvents hands over what happened. A
// Backend is how a session drives a run wherever it trains: Send a
// command, Poll for events. Local runs an Engine on the caller's thread,
// training for Poll's budget each call; the browser's worker backend (in
// package wasm) posts commands to a Worker whose Engine trains between
// short yields to its event loop. A worker posts at least every
// Heartbeat, and a Watchdog tells the page when one has been silent for
// longer than SilenceLimit: closed, hung, or gone without an error.
//
// A run's states and the commands that move it between them are written
// once, in Lifecycle. The Engine's Lifecycle decides; a session keeps one
// that applies the commands it sends at once and follows the Engine's
// StateChanged events for the rest (a step's end, finishing, failing), and
// the dashboard and the experiment read the session's.
//
// Determinism: every run with the same seed starts from the same weights
// (nn.NewHomework) and visits the training images in the same order
// (nn.Trainer's shuffle draws from its own seeded source, once per epoch),
// whatever its optimizer or mini-batch size, so runs that race each other
// are compared fairly; and since nn computes the same bits natively and
// under WebAssembly, a run trained in a worker reproduces one trained by
// nn natively.
package runner
