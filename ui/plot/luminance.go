package plot

import (
	"image/color"
	"math"
)

// Luminance returns the relative luminance Y (0 black … 1 white) of an
// sRGB colour, as WCAG defines it: each channel linearised with the sRGB
// transfer curve, then weighted 0.2126 R + 0.7152 G + 0.0722 B.
func Luminance(c color.RGBA) float64 {
	lin := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}
