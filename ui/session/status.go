package session

import (
	"math"

	"convlab/nn"
	"convlab/ui/runner"
	"convlab/ui/settings"
)

// Status is a JSON-ready snapshot of the session, the core of what the
// page's window.convlab.status() returns.
type Status struct {
	State string `json:"state"`
	Error string `json:"error"`
	// Stalled says why the run has stopped learning, or is nil.
	Stalled         *StallStatus      `json:"stalled"`
	Config          settings.Settings `json:"config"`
	Epoch           int               `json:"epoch"`
	Batch           int               `json:"batch"`
	BatchesPerEpoch int               `json:"batchesPerEpoch"`
	ImagesTrained   int               `json:"imagesTrained"`
	ImagesPerSecond float64           `json:"imagesPerSecond"`
	// ComputeImagesPerSecond counts only the time spent training, not
	// drawing: the figure to compare with the native benchmark.
	ComputeImagesPerSecond float64 `json:"computeImagesPerSecond"`
	// ElapsedSeconds is the run's wall-clock time from Start to finished,
	// pauses excluded (Session.Elapsed).
	ElapsedSeconds float64 `json:"elapsedSeconds"`
	// TrainingSeconds is the time spent in the training code alone
	// (Session.TrainingTime).
	TrainingSeconds float64 `json:"trainingSeconds"`
	// TrainingIn is where the run trains: "worker" (a Web Worker of its
	// own) or "page" (time-sliced on the page's thread).
	TrainingIn string        `json:"trainingIn"`
	Epochs     []EpochStatus `json:"epochs"`
	TSNE       TSNEStatus    `json:"tsne"`
	// Step explains the latest step (runner.StepExplained), or is nil.
	Step *StepStatus `json:"step"`
}

// StepStatus is one explained step: the mini-batch's loss before and
// after the update, and root mean squares per tensor and per stage.
type StepStatus struct {
	Epoch         int            `json:"epoch"`
	Batch         int            `json:"batch"`
	Images        int            `json:"images"`
	LossBefore    float64        `json:"lossBefore"`
	LossAfter     float64        `json:"lossAfter"`
	State         string         `json:"state"` // "velocity", "mean square", or empty for SGD
	Tensors       []TensorStatus `json:"tensors"`
	FirstIndex    int            `json:"firstIndex"`
	FirstLabel    int            `json:"firstLabel"`
	FirstGradient []StageStatus  `json:"firstGradient"`
}

// TensorStatus is one parameter tensor's RMS of weight (after the step),
// gradient, update and optimizer state.
type TensorStatus struct {
	Name     string  `json:"name"`
	Weight   float64 `json:"weightRMS"`
	Gradient float64 `json:"gradientRMS"`
	Update   float64 `json:"updateRMS"`
	State    float64 `json:"stateRMS"`
}

// StageStatus is the RMS of the first image's gradient at one stage.
type StageStatus struct {
	Stage string  `json:"stage"`
	RMS   float64 `json:"rms"`
}

// stepStatus converts an explained step for status(); nil stays nil.
func stepStatus(ev *runner.StepExplained) *StepStatus {
	if ev == nil {
		return nil
	}
	st := &StepStatus{Epoch: ev.Epoch, Batch: ev.Batch, Images: ev.Images, LossBefore: ev.LossBefore,
		LossAfter: ev.LossAfter, State: ev.StateName, FirstIndex: ev.FirstIndex, FirstLabel: ev.FirstLabel}
	for _, t := range ev.Tensors {
		st.Tensors = append(st.Tensors, TensorStatus{t.Name, t.Weight, t.Gradient, t.Update, t.State})
	}
	for _, g := range ev.FirstGradient {
		st.FirstGradient = append(st.FirstGradient, StageStatus{g.Stage, g.RMS})
	}
	return st
}

// StallStatus is Session.Stalled for script: the banner's message and
// its parts.
type StallStatus struct {
	Message      string  `json:"message"`
	Epoch        int     `json:"epoch"`
	DeadLayer    string  `json:"deadLayer"`
	FlatEpochs   int     `json:"flatEpochs"`
	LearningRate float64 `json:"learningRate"`
}

// EpochStatus is one epoch's metrics. Rates are fractions in [0, 1].
type EpochStatus struct {
	Epoch         int                               `json:"epoch"`
	TrainLoss     float64                           `json:"trainLoss"`
	TrainError    float64                           `json:"trainError"`
	TrainAccuracy float64                           `json:"trainAccuracy"`
	TestLoss      float64                           `json:"testLoss"`
	TestError     float64                           `json:"testError"`
	TestAccuracy  float64                           `json:"testAccuracy"`
	ClassAccuracy [nn.NumClasses]float64            `json:"classAccuracy"`
	Confusion     [nn.NumClasses][nn.NumClasses]int `json:"confusion"`
	// Layers holds, per parameterised layer, the epoch's gradient size and
	// how far it moved the weights (nn.LayerStats).
	Layers []LayerStatus `json:"layers"`
}

// LayerStatus is one layer's nn.LayerStats for script; a figure that is
// not a finite number (weights that overflowed) is −1, since JSON has no
// NaN or infinity.
type LayerStatus struct {
	Layer       string  `json:"layer"`
	GradientRMS float64 `json:"gradientRMS"`
	UpdateRatio float64 `json:"updateRatio"`
}

// NewEpochStatus returns an epoch's metrics as status() reports them.
func NewEpochStatus(m nn.EpochMetrics) EpochStatus {
	e := EpochStatus{
		Epoch: m.Epoch, TrainLoss: m.Train.Loss, TrainError: m.Train.Error, TrainAccuracy: m.Train.Accuracy,
		TestLoss: m.Test.Loss, TestError: m.Test.Error, TestAccuracy: m.Test.Accuracy,
		ClassAccuracy: finiteOrMinusOne(m.Test.ClassAccuracy), Confusion: m.Test.Confusion,
		Layers: make([]LayerStatus, len(m.Layers)),
	}
	for i, l := range m.Layers {
		e.Layers[i] = LayerStatus{Layer: l.Layer, GradientRMS: finiteOr(l.GradRMS, -1), UpdateRatio: finiteOr(l.UpdateRatio, -1)}
	}
	return e
}

// TSNEStatus holds the two maps, each nil until its epoch has ended.
type TSNEStatus struct {
	First *MapStatus `json:"first"`
	Last  *MapStatus `json:"last"`
}

// MapStatus is one t-SNE map as it stands.
type MapStatus struct {
	Epoch     int          `json:"epoch"`
	Iteration int          `json:"iteration"`
	Done      bool         `json:"done"`
	Points    [][2]float64 `json:"points"`
	Labels    []int        `json:"labels"`
}

// Status returns a snapshot of the session.
func (s *Session) Status() Status {
	epoch, batch, perEpoch := s.Progress()
	st := Status{
		State: s.State().String(), Config: s.config,
		Epoch: epoch, Batch: batch, BatchesPerEpoch: perEpoch,
		ImagesTrained: s.imagesTrained, ImagesPerSecond: s.ImagesPerSecond(),
		ComputeImagesPerSecond: s.ComputeImagesPerSecond(),
		ElapsedSeconds:         s.Elapsed().Seconds(), TrainingSeconds: s.trainingTime.Seconds(),
		TrainingIn: s.TrainingIn(), Epochs: []EpochStatus{},
		TSNE: TSNEStatus{First: mapStatus(s.tsneFirst), Last: mapStatus(s.tsneLast)},
		Step: stepStatus(s.lastStep),
	}
	if err := s.Err(); err != nil {
		st.Error = err.Error()
	}
	if w := s.Stalled(); w != nil {
		st.Stalled = &StallStatus{Message: w.String(), Epoch: w.Epoch, DeadLayer: w.DeadLayer,
			FlatEpochs: w.FlatEpochs, LearningRate: w.LearningRate}
	}
	for _, m := range s.History() {
		st.Epochs = append(st.Epochs, NewEpochStatus(m))
	}
	return st
}

// finiteOrMinusOne replaces NaN (a class with no test images) by −1, since
// JSON has no NaN.
func finiteOrMinusOne(v [nn.NumClasses]float64) [nn.NumClasses]float64 {
	for i, x := range v {
		v[i] = finiteOr(x, -1)
	}
	return v
}

// finiteOr returns x, or instead where x is NaN or infinite.
func finiteOr(x, instead float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return instead
	}
	return x
}

// StatusOfMap returns map m as status() describes one, nil for nil.
func StatusOfMap(m *Map) *MapStatus { return mapStatus(m) }

func mapStatus(m *Map) *MapStatus {
	if m == nil {
		return nil
	}
	return &MapStatus{Epoch: m.Epoch, Iteration: m.Iteration(), Done: m.Done(), Points: m.Points(), Labels: m.Labels}
}
