package ui

import (
	"slices"
	"testing"
)

// The status line wraps between its parts, never inside one.
func TestPackParts(t *testing.T) {
	width := func(s string) float64 { return float64(len(s)) }
	parts := []string{"Running", "epoch 2/15", "batch 40/100", "a part longer than the width"}
	got := packParts(parts, " · ", 24, width)
	want := []string{"Running · epoch 2/15", "batch 40/100", "a part longer than the width"}
	if !slices.Equal(got, want) {
		t.Errorf("packParts = %q, want %q", got, want)
	}
	if got := packParts(nil, " · ", 24, width); got != nil {
		t.Errorf("no parts: %q", got)
	}
}

// In the flow arrangement's tall header the status line is wrapped below
// the title, inside the header; in the desktop's it is one line.
func TestHeaderWrapsWhenNarrow(t *testing.T) {
	a := newTestApp(t, "")
	h := NewHandle(a)
	h.Resize(390, 844)
	h.Update(Input{})
	rec := &recorder{}
	h.Draw(rec)
	hd := a.layout.Header
	lines := 0
	for _, tx := range rec.placed {
		if tx.size == headerLineText && tx.x == hd.X+12 && tx.y < hd.Y+hd.H+headerLine { // the header's, and any just below it
			lines++
			if tx.y < hd.Y+headerTitleRow || tx.y+headerLine > hd.Y+hd.H || rec.TextWidth(tx.s, tx.size) > hd.W-24 {
				t.Errorf("status line %q at y %.0f leaves the header %+v", tx.s, tx.y, hd)
			}
		}
	}
	if lines < 2 {
		t.Errorf("%d status lines in a phone's header, want the status wrapped on at least 2", lines)
	}
}
