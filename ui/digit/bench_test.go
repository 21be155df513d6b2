package digit

import "testing"

// BenchmarkStroke paints one typical pen segment (radius 10) on the 280×280
// pad, as happens once per frame while drawing.
func BenchmarkStroke(b *testing.B) {
	c, err := NewCanvas(280, 280)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := c.Stroke(100, 100, 112, 109, 10); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkToMNIST prepares a full-pad drawing, as happens each time the
// dashboard classifies the pad.
func BenchmarkToMNIST(b *testing.B) {
	c, err := NewCanvas(280, 280)
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range ring(140, 140, 70, 100, 24) {
		if err := c.Stroke(s[0], s[1], s[2], s[3], 10); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		if _, err := ToMNIST(c); err != nil {
			b.Fatal(err)
		}
	}
}
