package runner

import (
	"convlab/nn"
)

// stageGradients names the stages whose gradient StepExplained reports
// for the batch's first image, with the layer whose output each is.
var stageGradients = []struct{ stage, layer string }{
	{"conv1", nn.LayerReLU1}, {"pool1", nn.LayerPool1}, {"conv2", nn.LayerReLU2},
	{"pool2", nn.LayerPool2}, {"hidden", nn.LayerReLU3}, {"output", nn.LayerOutput},
}

// explained sums up an explained step (nn.StepReport) for the page: the
// report's tensors are as large as the network, its figures small.
func explained(run RunID, r *nn.StepReport, params []*nn.Param) StepExplained {
	ev := StepExplained{RunID: run, Epoch: r.Epoch, Batch: r.Batch, Images: r.Images,
		LossBefore: r.LossBefore, LossAfter: r.LossAfter, StateName: r.StateName,
		FirstIndex: r.FirstIndex, FirstLabel: r.FirstLabel}
	for _, p := range params {
		ev.Tensors = append(ev.Tensors, TensorStep{Name: p.Name, Weight: nn.RMS(p.Value),
			Gradient: nn.RMS(r.Gradient[p.Name]), Update: nn.RMS(r.Update[p.Name]), State: nn.RMS(r.State[p.Name])})
	}
	ev.FirstGradient = append(ev.FirstGradient, StageRMS{"input", nn.RMS(r.First.Input)})
	for _, s := range stageGradients {
		ev.FirstGradient = append(ev.FirstGradient, StageRMS{s.stage, nn.RMS(r.First.Outputs[s.layer])})
	}
	return ev
}
