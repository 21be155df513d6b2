package insightview

import (
	"strings"
	"testing"

	"convlab/nn"
	"convlab/ui/plot"
)

// homework returns the activations of a fresh homework network for a
// bar-shaped image, with its conv kernels.
func homework(t *testing.T) (image []float64, a *nn.Activations, k1, k2 []float64) {
	t.Helper()
	net := nn.NewHomework(1)
	image = make([]float64, nn.ImageSize)
	for y := 4; y < 24; y++ {
		image[y*nn.ImageSide+14] = 1
	}
	a, err := net.Activations(image)
	if err != nil {
		t.Fatal(err)
	}
	k1 = net.Layer(nn.LayerConv1).(*nn.Conv2D).Weight.Value
	k2 = net.Layer(nn.LayerConv2).(*nn.Conv2D).Weight.Value
	return image, a, k1, k2
}

func TestActivationTilesShapes(t *testing.T) {
	image, a, k1, k2 := homework(t)
	tiles, _, err := ActivationTiles(image, a, k1, k2)
	if err != nil {
		t.Fatal(err)
	}
	if len(tiles) != NumTiles {
		t.Fatalf("%d tiles, want %d", len(tiles), NumTiles)
	}
	side := func(i int) int {
		switch {
		case i < TilePool1:
			return 28
		case i < TilePool2:
			return 14
		case i < TileHidden:
			return 7
		case i == TileHidden:
			return 7
		default:
			return 5
		}
	}
	for i := range TileActivationBar {
		if tiles[i].W != side(i) || tiles[i].H != side(i) {
			t.Errorf("tile %d is %d×%d, want %d×%[4]d", i, tiles[i].W, tiles[i].H, side(i))
		}
	}
	for _, i := range []int{TileActivationBar, TileWeightBar} {
		if tiles[i].W != barSteps || tiles[i].H != 1 {
			t.Errorf("colour bar %d is %d×%d, want %d×1", i, tiles[i].W, tiles[i].H, barSteps)
		}
	}
	// Tiles are the layers' own values in order: the last conv2 kernel is
	// the last 25 weights, map 2 of pool1 its third 196 values.
	if got, want := tiles[TileKernel2+Maps*Maps-1].Values[24], k2[len(k2)-1]; got != want {
		t.Errorf("last conv2 weight %v, want %v", got, want)
	}
	if got, want := &tiles[TilePool1+2].Values[0], &a.Pool1[2*196]; got != want {
		t.Error("pool1 map 2 does not start at value 392")
	}
}

func TestActivationTilesScales(t *testing.T) {
	image, a, k1, k2 := homework(t)
	tiles, s, err := ActivationTiles(image, a, k1, k2)
	if err != nil {
		t.Fatal(err)
	}
	_, conv1Max, _ := plot.MinMax(a.Conv1)
	if s.Conv1 != conv1Max || s.Conv1 <= 0 {
		t.Errorf("Scales.Conv1 = %v, want conv1's maximum %v (> 0)", s.Conv1, conv1Max)
	}
	if s.Kernel1 != plot.AbsMax(k1) || s.Kernel2 != plot.AbsMax(k2) {
		t.Errorf("kernel scales %v, %v; want %v, %v", s.Kernel1, s.Kernel2, plot.AbsMax(k1), plot.AbsMax(k2))
	}
	// Max pooling keeps the largest value, so pool1's brightest pixel is
	// as bright as conv1's: they share one scale.
	brightest := func(first, n int) bool {
		for i := first; i < first+n; i++ {
			for _, v := range tiles[i].Values {
				if tiles[i].Palette(v) == plot.Viridis(1) {
					return true
				}
			}
		}
		return false
	}
	if !brightest(TileConv1, Maps) || !brightest(TilePool1, Maps) {
		t.Error("conv1 and pool1 should both reach the top of their shared scale")
	}
	if c := tiles[TileInput].Palette(1); c != Grey(1) {
		t.Errorf("input ink painted %v, want white", c)
	}
	if lo, hi := tiles[TileWeightBar].Values[0], tiles[TileWeightBar].Values[barSteps-1]; lo != -1 || hi != 1 {
		t.Errorf("weight bar runs %v to %v, want −1 to 1", lo, hi)
	}
}

func TestActivationTilesRejectsWrongSizes(t *testing.T) {
	image, a, k1, k2 := homework(t)
	short := *a
	short.Pool2 = short.Pool2[:10]
	tests := []struct {
		name   string
		image  []float64
		a      *nn.Activations
		k1, k2 []float64
		want   string
	}{
		{"short image", image[:700], a, k1, k2, "image has 700"},
		{"no activations", image, nil, k1, k2, "no activations"},
		{"short pool2", image, &short, k1, k2, "pool2 has 10"},
		{"conv2 kernels as conv1", image, a, k1, k1, "conv2 kernels has 100"},
	}
	for _, tc := range tests {
		_, _, err := ActivationTiles(tc.image, tc.a, tc.k1, tc.k2)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}
