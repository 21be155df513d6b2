package insightview

import (
	"fmt"

	"convlab/nn"
	"convlab/ui/plot"
)

// Geometry of the homework network's feature maps and kernels (see
// nn.NewHomework).
const (
	Maps       = 4 // feature maps of each conv layer
	KernelSide = 5
	side1      = nn.ImageSide // conv1
	side2      = side1 / 2    // pool1 and conv2
	side3      = side2 / 2    // pool2
	hiddenSide = 7            // the 49 hidden values as a 7×7 square
	barSteps   = 64           // samples in a colour bar
)

// Tile indices of the activation panel, in the order ActivationTiles
// returns them. Layer tiles hold one map each; conv2's kernels are
// out-major: TileKernel2 + Maps·out + in.
const (
	TileInput         = 0
	TileConv1         = TileInput + 1
	TilePool1         = TileConv1 + Maps
	TileConv2         = TilePool1 + Maps
	TilePool2         = TileConv2 + Maps
	TileHidden        = TilePool2 + Maps
	TileKernel1       = TileHidden + 1
	TileKernel2       = TileKernel1 + Maps
	TileActivationBar = TileKernel2 + Maps*Maps // viridis, 0 to 1
	TileWeightBar     = TileActivationBar + 1   // diverging, −1 to 1
	NumTiles          = TileWeightBar + 1
)

// Scales are the ends of the colour scales the tiles were painted with.
type Scales struct {
	Conv1, Conv2, Hidden float64 // tops of the activation scales; pool1 shares Conv1, pool2 Conv2
	Kernel1, Kernel2     float64 // largest |weight| of each conv layer
}

// ActivationTiles returns the NumTiles heatmaps of the activation panel
// for one 28×28 image: the image in grey, each layer's maps in viridis
// (from 0 to the layer's largest value; a pooling layer shares the scale
// of the conv layer it pools), the 49 hidden values as a 7×7 square, the
// conv kernels in the diverging map (symmetric about 0 per layer), and
// the two colour bars. kernel1 and kernel2 are the conv layers' weights,
// laid out [out][in][5][5].
func ActivationTiles(image []float64, a *nn.Activations, kernel1, kernel2 []float64) ([]Tile, Scales, error) {
	if a == nil {
		return nil, Scales{}, fmt.Errorf("insightview: no activations")
	}
	s := Scales{
		Conv1: LayerMax(a.Conv1, a.Pool1), Conv2: LayerMax(a.Conv2, a.Pool2), Hidden: LayerMax(a.Hidden),
		Kernel1: plot.AbsMax(kernel1), Kernel2: plot.AbsMax(kernel2),
	}
	tiles := make([]Tile, 0, NumTiles)
	for _, part := range []struct {
		name          string
		values        []float64
		side, squares int
		palette       Palette
	}{
		{"image", image, side1, 1, Grey},
		{"conv1", a.Conv1, side1, Maps, Activation(s.Conv1)},
		{"pool1", a.Pool1, side2, Maps, Activation(s.Conv1)},
		{"conv2", a.Conv2, side2, Maps, Activation(s.Conv2)},
		{"pool2", a.Pool2, side3, Maps, Activation(s.Conv2)},
		{"hidden", a.Hidden, hiddenSide, 1, Activation(s.Hidden)},
		{"conv1 kernels", kernel1, KernelSide, Maps, Weight(s.Kernel1)},
		{"conv2 kernels", kernel2, KernelSide, Maps * Maps, Weight(s.Kernel2)},
	} {
		n := part.side * part.side
		if len(part.values) != part.squares*n {
			return nil, Scales{}, fmt.Errorf("insightview: %s has %d values, want %d", part.name, len(part.values), part.squares*n)
		}
		for i := 0; i < len(part.values); i += n {
			tiles = append(tiles, Tile{W: part.side, H: part.side, Values: part.values[i : i+n], Palette: part.palette})
		}
	}
	tiles = append(tiles, Tile{W: barSteps, H: 1, Values: ramp(0, 1), Palette: Activation(1)}, Tile{W: barSteps, H: 1, Values: ramp(-1, 1), Palette: Weight(1)})
	return tiles, s, nil
}

// ramp returns barSteps values evenly spaced from lo to hi.
func ramp(lo, hi float64) []float64 {
	v := make([]float64, barSteps)
	for i := range v {
		v[i] = lo + (hi-lo)*float64(i)/float64(barSteps-1)
	}
	return v
}
