//go:build !js

package browsertest

// status mirrors window.convlab.status() (JSAPI.md). Fields the tests do
// not read are left out.
type status struct {
	State           string    `json:"state"`
	Error           string    `json:"error"`
	Config          runConfig `json:"config"`
	Epoch           int       `json:"epoch"`
	Batch           int       `json:"batch"`
	BatchesPerEpoch int       `json:"batchesPerEpoch"`
	ImagesTrained   int       `json:"imagesTrained"`
	ImagesPerSecond float64   `json:"imagesPerSecond"`
	// ComputeImagesPerSecond is the app's throughput of the training code
	// alone. It is not in JSAPI.md; the tests only log it.
	ComputeImagesPerSecond float64        `json:"computeImagesPerSecond"`
	FPS                    float64        `json:"fps"`
	ElapsedSeconds         float64        `json:"elapsedSeconds"`
	TrainingSeconds        float64        `json:"trainingSeconds"`
	TrainingIn             string         `json:"trainingIn"`
	Epochs                 []epochMetrics `json:"epochs"`
	Messages               []string       `json:"messages"`
	Pad                    padState       `json:"pad"`
	TSNE                   struct {
		First *tsneMap `json:"first"`
		Last  *tsneMap `json:"last"`
	} `json:"tsne"`
	Layout struct {
		Pad rect `json:"pad"`
	} `json:"layout"`
}

// runConfig is status().config.
type runConfig struct {
	Optimizer     string  `json:"optimizer"`
	LearningRate  float64 `json:"learningRate"`
	BatchSize     int     `json:"batchSize"`
	Epochs        int     `json:"epochs"`
	TrainPerClass int     `json:"trainPerClass"`
	TestPerClass  int     `json:"testPerClass"`
	Seed          float64 `json:"seed"`
}

// epochMetrics is one entry of status().epochs.
type epochMetrics struct {
	Epoch         int         `json:"epoch"`
	TrainLoss     float64     `json:"trainLoss"`
	TrainError    float64     `json:"trainError"`
	TrainAccuracy float64     `json:"trainAccuracy"`
	TestLoss      float64     `json:"testLoss"`
	TestError     float64     `json:"testError"`
	TestAccuracy  float64     `json:"testAccuracy"`
	ClassAccuracy []float64   `json:"classAccuracy"`
	Confusion     [][]float64 `json:"confusion"`
}

// tsneMap is one of status().tsne's maps.
type tsneMap struct {
	Epoch     int          `json:"epoch"`
	Iteration int          `json:"iteration"`
	Done      bool         `json:"done"`
	Points    [][2]float64 `json:"points"`
	Labels    []int        `json:"labels"`
}

// padState is status().pad.
type padState struct {
	Empty     bool      `json:"empty"`
	Input     []float64 `json:"input"`
	Probs     []float64 `json:"probs"`
	Predicted int       `json:"predicted"`
}

// rect is a rectangle in CSS pixels.
type rect struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
	W float64 `json:"w"`
	H float64 `json:"h"`
}
