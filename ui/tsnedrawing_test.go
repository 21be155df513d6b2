package ui

import (
	"math"
	"slices"
	"testing"

	"convlab/ui/api"
	"convlab/ui/digit"
	"convlab/ui/insightview"
	"convlab/ui/session"
)

// Both t-SNE panels place the pad's drawing: where session.Map.Place puts
// its bottleneck with the map's weights, fitted to the panel with the
// map's points, with its nearest test image's thumbnail; the place follows
// the drawing as it changes and goes when the pad is cleared.
func TestTSNEPanelsPlaceTheDrawing(t *testing.T) {
	a := newTestApp(t, "epochs=2&perclass=10&testper=2&batch=100")
	h := NewHandle(a)
	post(t, h, Request{Call: api.CallStart})
	panels := []*tsneMap{a.panels[6].panel.(*tsneMap), a.panels[7].panel.(*tsneMap)}
	runUntil(t, h, 2000, "both maps settled", func() bool {
		first, last := a.sess().Maps()
		return first != nil && last != nil && first.Done() && last.Done()
	})
	h.Update(Input{})
	for _, p := range panels {
		if p.drawn.shown() {
			t.Fatal("a t-SNE panel shows a drawing while the pad is empty")
		}
	}

	check := func(when string) {
		t.Helper()
		first, last := a.sess().Maps()
		for i, m := range []*session.Map{first, last} {
			p := panels[i]
			x, err := m.Bottleneck(a.pad.input)
			if err != nil {
				t.Fatal(err)
			}
			pl, err := m.Place(x)
			if err != nil {
				t.Fatal(err)
			}
			pts := append(slices.Clone(m.Points()), [2]float64{pl.X, pl.Y})
			_, area := tsneLayout(panelInner(a.panels[6+i].rect(a.layout)))
			want := insightview.FitPoints(pts, area, tsneDigit/2+1)
			if !p.drawn.shown() || p.drawn.neighbour != pl.Neighbour || math.Hypot(p.drawn.at[0]-want[len(pts)-1][0], p.drawn.at[1]-want[len(pts)-1][1]) > 1e-9 {
				t.Errorf("%s, epoch %d's panel: the drawing at %v next to point %d (shown %v), want %v next to %d",
					when, m.Epoch, p.drawn.at, p.drawn.neighbour, p.drawn.shown(), want[len(pts)-1], pl.Neighbour)
			}
			if !slices.Equal(p.fitted, want[:len(pts)-1]) {
				t.Errorf("%s, epoch %d's panel: the map's points are not fitted with the drawing's place", when, m.Epoch)
			}
		}
	}
	h.Update(padStroke(a, []digit.Point{{X: 140, Y: 40}, {X: 140, Y: 240}}))
	check("after a stroke")
	before := panels[1].drawn.at
	h.Update(padStroke(a, []digit.Point{{X: 60, Y: 60}, {X: 220, Y: 60}, {X: 60, Y: 240}, {X: 220, Y: 240}}))
	check("after a second stroke")
	if panels[1].drawn.at == before {
		t.Error("the drawing did not move in the last map when a stroke changed it")
	}
	var r recorder
	a.Draw(&r)
	if !r.drew("approximate") {
		t.Error("the panels do not say the drawing's place is approximate")
	}
	neighbour := panels[1].fitted[panels[1].drawn.neighbour]
	if !slices.ContainsFunc(r.lines, func(l [4]float64) bool {
		return l == [4]float64{panels[1].drawn.at[0], panels[1].drawn.at[1], neighbour[0], neighbour[1]}
	}) {
		t.Error("no line from the drawing to its nearest test image")
	}

	h.Update(Input{Events: click(centre(a.padLayout().clear))})
	h.Update(Input{})
	for _, p := range panels {
		if p.drawn.shown() {
			t.Error("a t-SNE panel still shows the drawing once the pad is cleared")
		}
	}
}
