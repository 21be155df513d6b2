package digit

import (
	"errors"
	"image"
	"math"
)

// Sizes of the MNIST input format.
const (
	// MNISTSide is the side of an MNIST image in pixels.
	MNISTSide = 28
	// FitSide is the side of the box the ink is scaled to fit, as in MNIST.
	FitSide = 20
	// InkThreshold is the ink level a pixel must exceed to count towards the
	// crop box. It ignores faint stray ink; pixels inside the box keep their
	// value, faint or not.
	InkThreshold = 0.05
)

// ErrEmpty is returned by ToMNIST when the canvas holds no ink above
// InkThreshold.
var ErrEmpty = errors.New("digit: canvas is empty")

// ToMNIST prepares the canvas ink the way MNIST digits were prepared and
// returns MNISTSide×MNISTSide values in row-major order, in [0,1] with
// 0 = background and 1 = full ink:
//
//  1. crop to the bounding box of the pixels above InkThreshold;
//  2. scale so the longer side of the box becomes FitSide pixels, keeping
//     the aspect ratio (the shorter side is rounded to whole pixels, at
//     least 1), by area averaging: each output pixel is the exact
//     box-filter average of the canvas area it covers, which gives the
//     grey anti-aliased edges MNIST digits have;
//  3. paste into the 28×28 field so that the intensity-weighted centre of
//     mass lands on pixel (14, 14), the convention MNIST's own digits
//     follow (their centres of mass, with pixel i at coordinate i, lie
//     within 0.5 of 14 on each axis). The shift is rounded to whole
//     pixels, so the centre of mass ends within 0.5 px of (14, 14) unless
//     ink had to be clipped at the field's edge.
//
// The canvas is not modified. An empty canvas gives ErrEmpty.
func ToMNIST(c *Canvas) ([]float64, error) {
	st, err := Preprocess(c)
	if err != nil {
		return nil, err
	}
	return st.Input, nil
}

// Steps are the intermediate results of ToMNIST, kept so that the
// dashboard can show a student what happens to a drawing.
type Steps struct {
	// Crop is the bounding box of the ink above InkThreshold, in canvas
	// pixels (step 1).
	Crop image.Rectangle
	// Scaled is the cropped ink scaled by area averaging so its longer
	// side is FitSide pixels: ScaledW×ScaledH values, row-major (step 2).
	Scaled           []float64
	ScaledW, ScaledH int
	// Input is the network's 28×28 input: Scaled pasted so its centre of
	// mass lands on pixel (14, 14) (step 3).
	Input []float64
	// MassX, MassY is where the centre of mass would have been had Scaled
	// been pasted in the middle of the field instead, in field pixels: the
	// point that step 3 moves to (14, 14).
	MassX, MassY float64
}

// Preprocess runs the steps of ToMNIST and returns each one's result.
func Preprocess(c *Canvas) (Steps, error) {
	box, ok := c.InkBounds()
	if !ok {
		return Steps{}, ErrEmpty
	}
	cw, ch := box.Dx(), box.Dy()
	scale := float64(FitSide) / float64(max(cw, ch))
	ow := max(1, int(math.Round(float64(cw)*scale)))
	oh := max(1, int(math.Round(float64(ch)*scale)))

	crop := make([]float64, cw*ch)
	for y := range ch {
		src := c.ink[(box.Min.Y+y)*c.w+box.Min.X:]
		copy(crop[y*cw:(y+1)*cw], src[:cw])
	}
	small := resizeArea(crop, cw, ch, ow, oh)
	cx, cy := centreOfMass(small, ow, oh)
	return Steps{
		Crop: box, Scaled: small, ScaledW: ow, ScaledH: oh,
		Input: centreByMass(small, ow, oh),
		MassX: float64((MNISTSide-ow)/2) + cx, MassY: float64((MNISTSide-oh)/2) + cy,
	}, nil
}

// resizeArea resamples the sw×sh image src to dw×dh by area averaging. It
// is separable: rows first, then columns.
func resizeArea(src []float64, sw, sh, dw, dh int) []float64 {
	xw := boxWeights(sw, dw)
	yw := boxWeights(sh, dh)
	rows := make([]float64, dw*sh)
	for y := range sh {
		for x, taps := range xw {
			rows[y*dw+x] = applyTaps(taps, src[y*sw:], 1)
		}
	}
	dst := make([]float64, dw*dh)
	for y, taps := range yw {
		for x := range dw {
			dst[y*dw+x] = applyTaps(taps, rows[x:], dw)
		}
	}
	return dst
}

// tap is one source sample and its weight in an output sample.
type tap struct {
	index  int
	weight float64
}

// boxWeights returns, for each of the dst output samples, the source
// samples it overlaps and their weights when n source samples are
// stretched over dst output samples. Output sample i covers the source
// interval [i·n/dst, (i+1)·n/dst); each weight is the overlap length
// divided by the interval length, so the weights of a sample sum to 1.
func boxWeights(n, dst int) [][]tap {
	step := float64(n) / float64(dst)
	out := make([][]tap, dst)
	for i := range out {
		lo, hi := float64(i)*step, float64(i+1)*step
		for j := int(lo); j < n && float64(j) < hi; j++ {
			overlap := math.Min(hi, float64(j+1)) - math.Max(lo, float64(j))
			if overlap > 0 {
				out[i] = append(out[i], tap{j, overlap / step})
			}
		}
	}
	return out
}

// applyTaps returns Σ weight·src[index·stride].
func applyTaps(taps []tap, src []float64, stride int) float64 {
	s := 0.0
	for _, t := range taps {
		s += t.weight * src[t.index*stride]
	}
	return s
}

// centreByMass pastes the w×h image img into a MNISTSide² field, shifted by
// whole pixels so that its centre of mass lands as close as possible to the
// field centre. Ink falling outside the field is dropped.
func centreByMass(img []float64, w, h int) []float64 {
	cx, cy := centreOfMass(img, w, h)
	const mid = MNISTSide / 2
	dx := int(math.Round(mid - cx))
	dy := int(math.Round(mid - cy))
	out := make([]float64, MNISTSide*MNISTSide)
	for y := range h {
		ty := y + dy
		if ty < 0 || ty >= MNISTSide {
			continue
		}
		for x := range w {
			tx := x + dx
			if tx < 0 || tx >= MNISTSide {
				continue
			}
			out[ty*MNISTSide+tx] = min(1, max(0, img[y*w+x]))
		}
	}
	return out
}

// centreOfMass returns the intensity-weighted centre of the w×h image in
// pixel coordinates (pixel i at coordinate i). An image with no mass gives
// its geometric centre.
func centreOfMass(img []float64, w, h int) (cx, cy float64) {
	var sum, sx, sy float64
	for y := range h {
		for x := range w {
			v := img[y*w+x]
			sum += v
			sx += v * float64(x)
			sy += v * float64(y)
		}
	}
	if sum == 0 {
		return float64(w-1) / 2, float64(h-1) / 2
	}
	return sx / sum, sy / sum
}
