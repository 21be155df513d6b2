package insightview

import (
	"fmt"
	"image/color"
	"math"

	"convlab/nn"
	"convlab/ui/plot"
)

// Colours that mark, over a gradient map, where the backward pass sent
// nothing: a conv unit that was not its pooling window's maximum (max
// pooling routes the window's gradient to the winner alone), and a unit
// whose ReLU was off (output 0), which stops the gradient that reached
// it. The light grey differs from the diverging map's near-white zero,
// the dark grey from both of its arms.
var (
	NotRouted = color.RGBA{0xc8, 0xc8, 0xc8, 0xff}
	Stopped   = color.RGBA{0x40, 0x40, 0x40, 0xff}
)

// GradientScales are the ends (±) of the diverging scales the gradient
// tiles were painted with: the largest |∂L/∂A| of each stage.
type GradientScales struct {
	Input                float64 // the saliency map, ∂L/∂x
	Conv1, Conv2, Hidden float64 // pool1 shares Conv1, pool2 Conv2: a winner gets its window's gradient
	Kernel1, Kernel2     float64 // ∂L/∂W of each conv layer for this image
}

// GradientTiles returns the NumTiles heatmaps of the activation panel's
// backward view, in the places of ActivationTiles' (TileInput and the
// others): the saliency map ∂L/∂x over the image, each stage's ∂L/∂A in
// the diverging map symmetric about 0 (a pooling layer shares the scale
// of the conv layer it pools), the conv maps marked NotRouted where a
// unit was not its window's winner and Stopped where a winner's ReLU was
// off, the hidden units marked Stopped where their ReLU was off, the conv
// kernels' ∂L/∂W, and the two colour bars (the gradient map, and the
// overlay of the saliency map).
func GradientTiles(image []float64, b *nn.Backprop) ([]Tile, GradientScales, error) {
	if b == nil || b.Forward == nil {
		return nil, GradientScales{}, fmt.Errorf("insightview: no gradients")
	}
	g := b.Outputs
	k1, k2 := b.Params[nn.LayerConv1+".weight"], b.Params[nn.LayerConv2+".weight"]
	s := GradientScales{
		Input:  plot.AbsMax(b.Input),
		Conv1:  max(plot.AbsMax(g[nn.LayerReLU1]), plot.AbsMax(g[nn.LayerPool1])),
		Conv2:  max(plot.AbsMax(g[nn.LayerReLU2]), plot.AbsMax(g[nn.LayerPool2])),
		Hidden: plot.AbsMax(g[nn.LayerReLU3]), Kernel1: plot.AbsMax(k1), Kernel2: plot.AbsMax(k2),
	}
	conv1Marks := routeMarks(b.Forward.Conv1, b.Winners[nn.LayerPool1])
	conv2Marks := routeMarks(b.Forward.Conv2, b.Winners[nn.LayerPool2])
	tiles := make([]Tile, 0, NumTiles)
	for _, part := range []struct {
		name          string
		values        []float64
		marks         []color.RGBA
		side, squares int
		palette       Palette
	}{
		{"image", image, Saliency(b.Input, s.Input), side1, 1, Grey},
		{"conv1 gradient", g[nn.LayerReLU1], conv1Marks, side1, Maps, Weight(s.Conv1)},
		{"pool1 gradient", g[nn.LayerPool1], nil, side2, Maps, Weight(s.Conv1)},
		{"conv2 gradient", g[nn.LayerReLU2], conv2Marks, side2, Maps, Weight(s.Conv2)},
		{"pool2 gradient", g[nn.LayerPool2], nil, side3, Maps, Weight(s.Conv2)},
		{"hidden gradient", g[nn.LayerReLU3], reluMarks(b.Forward.Hidden), hiddenSide, 1, Weight(s.Hidden)},
	} {
		n := part.side * part.side
		if len(part.values) != part.squares*n || (part.marks != nil && len(part.marks) != len(part.values)) {
			return nil, GradientScales{}, fmt.Errorf("insightview: %s has %d values and %d marks, want %d", part.name, len(part.values), len(part.marks), part.squares*n)
		}
		for i := 0; i < len(part.values); i += n {
			t := Tile{W: part.side, H: part.side, Values: part.values[i : i+n], Palette: part.palette}
			if part.marks != nil {
				t.Marks = part.marks[i : i+n]
			}
			tiles = append(tiles, t)
		}
	}
	kernels, err := KernelGradientTiles(k1, k2, s.Kernel1, s.Kernel2)
	if err != nil {
		return nil, GradientScales{}, err
	}
	tiles = append(tiles, kernels...)
	bar := ramp(-1, 1)
	tiles = append(tiles, Tile{W: barSteps, H: 1, Values: bar, Palette: Weight(1)},
		Tile{W: barSteps, H: 1, Values: make([]float64, barSteps), Palette: Grey, Marks: Saliency(bar, 1)})
	return tiles, s, nil
}

// KernelGradientTiles returns the tiles of the conv kernels' ∂L/∂W, k1
// conv1's 100 and k2 conv2's 400 values, in the places of the kernels
// (TileKernel1 and following), each layer's painted in the diverging map
// of ±scale1 or ±scale2: those of one image (GradientTiles), or of the
// last mini-batch trained, which the backward view shows instead on
// request.
func KernelGradientTiles(k1, k2 []float64, scale1, scale2 float64) ([]Tile, error) {
	const n = KernelSide * KernelSide
	if len(k1) != Maps*n || len(k2) != Maps*Maps*n {
		return nil, fmt.Errorf("insightview: kernel gradients of %d and %d values, want %d and %d", len(k1), len(k2), Maps*n, Maps*Maps*n)
	}
	tiles := make([]Tile, 0, Maps+Maps*Maps)
	for _, part := range []struct {
		values []float64
		scale  float64
	}{{k1, scale1}, {k2, scale2}} {
		for i := 0; i < len(part.values); i += n {
			tiles = append(tiles, Tile{W: KernelSide, H: KernelSide, Values: part.values[i : i+n], Palette: Weight(part.scale)})
		}
	}
	return tiles, nil
}

// routeMarks marks each unit of conv maps (after ReLU) that max pooling
// sent no gradient, NotRouted, and each winner whose ReLU was off,
// Stopped. winners are the pooling layer's (nn.Backprop.Winners).
func routeMarks(maps []float64, winners []int32) []color.RGBA {
	marks := make([]color.RGBA, len(maps))
	for i := range marks {
		marks[i] = NotRouted
	}
	for _, w := range winners {
		if int(w) < len(maps) {
			marks[w] = color.RGBA{}
			if !(maps[w] > 0) {
				marks[w] = Stopped
			}
		}
	}
	return marks
}

// reluMarks marks each unit whose ReLU was off (output not positive)
// Stopped.
func reluMarks(out []float64) []color.RGBA {
	marks := make([]color.RGBA, len(out))
	for i, v := range out {
		if !(v > 0) {
			marks[i] = Stopped
		}
	}
	return marks
}

// Saliency returns the overlay that shows a saliency map over its image:
// each pixel the diverging map's end for its gradient's sign (red where
// more ink would raise the loss, blue where it would lower it, i.e. make
// the target likelier), with opacity |g|/scale, so that the image shows
// through where the gradient is small.
func Saliency(grad []float64, scale float64) []color.RGBA {
	out := make([]color.RGBA, len(grad))
	for i, v := range grad {
		t := plot.Signed(v, scale)
		if t == 0 || math.IsNaN(t) {
			continue
		}
		c := plot.Diverging(math.Copysign(1, t))
		c.A = uint8(math.Round(255 * math.Abs(t)))
		out[i] = c
	}
	return out
}

// LayerFigures is one row of the layer strip: a stage of the network, its
// shape and parameters, and the range of its activation and the size of
// its gradient for the image shown.
type LayerFigures struct {
	Name       string  `json:"name"`
	Shape      string  `json:"shape"`  // C×H×W of its output
	Params     int     `json:"params"` // trainable values of the layer that makes it
	ActMin     float64 `json:"actMin"`
	ActMax     float64 `json:"actMax"`
	GradRMS    float64 `json:"gradRMS"`    // root mean square of ∂L/∂A
	GradAbsMax float64 `json:"gradAbsMax"` // largest |∂L/∂A|: the end of its colour scale
}

// Strip returns the layer strip for one image: input, conv1, pool1,
// conv2, pool2, hidden (the stages shown, conv and hidden after ReLU)
// and output (the logits; its activation range is that of the
// probabilities). paramsOf gives the trainable values of a layer by
// name (nn.Network.ParamCount).
func Strip(image []float64, b *nn.Backprop, paramsOf func(layer string) int) []LayerFigures {
	f := b.Forward
	rows := []struct {
		name, shape, layer string
		act, grad          []float64
	}{
		{"input", "1×28×28", "", image, b.Input},
		{"conv1", "4×28×28", nn.LayerConv1, f.Conv1, b.Outputs[nn.LayerReLU1]},
		{"pool1", "4×14×14", nn.LayerPool1, f.Pool1, b.Outputs[nn.LayerPool1]},
		{"conv2", "4×14×14", nn.LayerConv2, f.Conv2, b.Outputs[nn.LayerReLU2]},
		{"pool2", "4×7×7", nn.LayerPool2, f.Pool2, b.Outputs[nn.LayerPool2]},
		{"hidden", "49", nn.LayerHidden, f.Hidden, b.Outputs[nn.LayerReLU3]},
		{"output", "10", nn.LayerOutput, f.Probs, b.Outputs[nn.LayerOutput]},
	}
	out := make([]LayerFigures, 0, len(rows))
	for _, r := range rows {
		lo, hi, _ := plot.MinMax(r.act)
		params := 0
		if r.layer != "" {
			params = paramsOf(r.layer)
		}
		out = append(out, LayerFigures{Name: r.name, Shape: r.shape, Params: params, ActMin: lo, ActMax: hi,
			GradRMS: nn.RMS(r.grad), GradAbsMax: plot.AbsMax(r.grad)})
	}
	return out
}
