package digit

import (
	"math"
	"testing"

	"convlab/assets"
)

// upscale draws the rows×cols 8-bit image img onto a fresh canvas, zoom
// times larger, shifted so that its ink box sits in the given corner of the
// canvas, zoom canvas pixels in from its edges. Canvas pixel (X, Y)
// samples the source at ((X−offX)+0.5)/zoom − 0.5 (likewise for Y), by
// nearest neighbour or bilinearly with zero outside the image.
func upscale(t *testing.T, img []uint8, rows, cols, zoom int, bilinear, bottomRight bool) *Canvas {
	t.Helper()
	side := MNISTSide * zoom
	c := mustCanvas(t, side, side)
	x0, y0, x1, y1 := cols, rows, 0, 0
	for i, v := range img {
		if v > 0 {
			x, y := i%cols, i/cols
			x0, y0 = min(x0, x), min(y0, y)
			x1, y1 = max(x1, x+1), max(y1, y+1)
		}
	}
	// Bilinear ink fades out over one source pixel beyond the box; the
	// margin keeps that fade on the canvas.
	margin := zoom
	offX, offY := margin-x0*zoom, margin-y0*zoom
	if bottomRight {
		offX, offY = side-margin-x1*zoom, side-margin-y1*zoom
	}
	src := func(x, y int) float64 {
		if x < 0 || y < 0 || x >= cols || y >= rows {
			return 0
		}
		return float64(img[y*cols+x]) / 255
	}
	for Y := range side {
		for X := range side {
			sx := (float64(X-offX)+0.5)/float64(zoom) - 0.5
			sy := (float64(Y-offY)+0.5)/float64(zoom) - 0.5
			var v float64
			if bilinear {
				fx, fy := math.Floor(sx), math.Floor(sy)
				ax, ay := sx-fx, sy-fy
				ix, iy := int(fx), int(fy)
				v = (1-ax)*(1-ay)*src(ix, iy) + ax*(1-ay)*src(ix+1, iy) +
					(1-ax)*ay*src(ix, iy+1) + ax*ay*src(ix+1, iy+1)
			} else {
				v = src(int(math.Round(sx)), int(math.Round(sy)))
			}
			c.ink[Y*side+X] = v
		}
	}
	return c
}

// compare returns the mean absolute difference and the Pearson correlation
// of two equally long images.
func compare(a, b []float64) (mad, corr float64) {
	n := float64(len(a))
	var ma, mb float64
	for i := range a {
		mad += math.Abs(a[i] - b[i])
		ma += a[i]
		mb += b[i]
	}
	ma, mb = ma/n, mb/n
	var sab, saa, sbb float64
	for i := range a {
		da, db := a[i]-ma, b[i]-mb
		sab += da * db
		saa += da * da
		sbb += db * db
	}
	return mad / n, sab / math.Sqrt(saa*sbb)
}

// roundTrip upscales the first n test digits, runs them through ToMNIST and
// compares each result with the original, pixel for pixel and without any
// realignment. check is called per digit; the summary is logged.
func roundTrip(t *testing.T, ds *assets.Dataset, n int, bilinear, bottomRight bool,
	check func(i int, mad, corr float64)) (meanMAD, meanCorr float64) {
	t.Helper()
	const zoom = 10
	worstMAD, worstCorr := 0.0, 1.0
	for i := range n {
		img := ds.Image(i)
		orig := make([]float64, len(img))
		for j, v := range img {
			orig[j] = float64(v) / 255
		}
		got := mustMNIST(t, upscale(t, img, ds.Rows, ds.Cols, zoom, bilinear, bottomRight))
		mad, corr := compare(orig, got)
		check(i, mad, corr)
		meanMAD += mad / float64(n)
		meanCorr += corr / float64(n)
		worstMAD, worstCorr = max(worstMAD, mad), min(worstCorr, corr)
	}
	t.Logf("bilinear=%v bottomRight=%v, %d digits: mean absolute difference mean %.4f worst %.4f; correlation mean %.4f worst %.4f",
		bilinear, bottomRight, n, meanMAD, worstMAD, meanCorr, worstCorr)
	return meanMAD, meanCorr
}

func loadTestDigits(t *testing.T) *assets.Dataset {
	t.Helper()
	ds, err := assets.Test()
	if err != nil {
		t.Fatalf("loading the bundled test set: %v", err)
	}
	if ds.Len() == 0 || ds.Rows != MNISTSide || ds.Cols != MNISTSide {
		t.Fatalf("bundled test set has %d images of %d×%d", ds.Len(), ds.Rows, ds.Cols)
	}
	return ds
}

// Every bundled MNIST test digit, upscaled ×10 by nearest neighbour and
// placed in a corner of a 280×280 canvas, comes back from ToMNIST close to
// the original: per digit, mean absolute difference < 0.1 and Pearson
// correlation > 0.9.
func TestToMNISTRoundTripsRealDigitsNearest(t *testing.T) {
	ds := loadTestDigits(t)
	for _, bottomRight := range []bool{false, true} {
		roundTrip(t, ds, ds.Len(), false, bottomRight, func(i int, mad, corr float64) {
			if mad >= 0.1 || corr <= 0.9 {
				t.Errorf("digit %d (label %d): MAD %.4f, correlation %.4f", i, ds.Labels[i], mad, corr)
			}
		})
	}
}

// Bilinear upscaling blurs the edges and widens the ink box by about one
// source pixel, so a digit comes back scaled by about 20/21 and, when its
// centre of mass sits near a half pixel, shifted by one pixel. Thin
// strokes then lose correlation, so here the brief's thresholds apply to
// the mean over all digits (MAD < 0.1, correlation > 0.9), and each digit
// must still keep MAD < 0.1.
func TestToMNISTRoundTripsRealDigitsBilinear(t *testing.T) {
	ds := loadTestDigits(t)
	for _, bottomRight := range []bool{false, true} {
		mad, corr := roundTrip(t, ds, ds.Len(), true, bottomRight, func(i int, mad, _ float64) {
			if mad >= 0.1 {
				t.Errorf("digit %d (label %d): MAD %.4f", i, ds.Labels[i], mad)
			}
		})
		if mad >= 0.1 || corr <= 0.9 {
			t.Errorf("bottomRight=%v: mean MAD %.4f, mean correlation %.4f", bottomRight, mad, corr)
		}
	}
}

// ToMNIST centres on pixel (14, 14) with pixel i at coordinate i because
// that is where MNIST's own digits have their centre of mass.
func TestMNISTDigitsShareTheCentringConvention(t *testing.T) {
	ds := loadTestDigits(t)
	for i := range ds.Len() {
		img := make([]float64, MNISTSide*MNISTSide)
		for j, v := range ds.Image(i) {
			img[j] = float64(v) / 255
		}
		if cx, cy := massCentre(img); offCentre(cx, cy) {
			t.Errorf("test digit %d: centre of mass (%.3f, %.3f)", i, cx, cy)
		}
	}
}
