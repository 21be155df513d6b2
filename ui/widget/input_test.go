package widget

import (
	"slices"
	"testing"
)

func TestTrackerEvents(t *testing.T) {
	const mouse = -1
	frames := []struct {
		name string
		ps   []Pointer
		want []Event
	}{
		{"mouse hovers", []Pointer{{X: 5, Y: 5, ID: mouse}}, nil},
		{"mouse goes down", []Pointer{{X: 6, Y: 5, Down: true, ID: mouse}}, []Event{{Press, 6, 5, mouse}}},
		{"mouse held still", []Pointer{{X: 6, Y: 5, Down: true, ID: mouse}}, nil},
		{"mouse drags, finger lands", []Pointer{
			{X: 9, Y: 5, Down: true, ID: mouse},
			{X: 50, Y: 60, Down: true, ID: 7},
		}, []Event{{Move, 9, 5, mouse}, {Press, 50, 60, 7}}},
		{"finger moves", []Pointer{
			{X: 9, Y: 5, Down: true, ID: mouse},
			{X: 52, Y: 61, Down: true, ID: 7},
		}, []Event{{Move, 52, 61, 7}}},
		// Touch APIs drop lifted fingers: the release comes at the last position.
		{"finger lifts, mouse released", []Pointer{{X: 10, Y: 5, ID: mouse}}, []Event{
			{Release, 10, 5, mouse}, {Release, 52, 61, 7},
		}},
		{"nothing left", nil, nil},
		{"two fingers at once", []Pointer{
			{X: 1, Y: 1, Down: true, ID: 4},
			{X: 2, Y: 2, Down: true, ID: 3},
			{X: 9, Y: 9, Down: true, ID: 3}, // duplicate ID: ignored
		}, []Event{{Press, 1, 1, 4}, {Press, 2, 2, 3}}},
		{"both lift", nil, []Event{{Release, 2, 2, 3}, {Release, 1, 1, 4}}},
	}
	var tr Tracker
	for _, f := range frames {
		if got := tr.Update(f.ps); !slices.Equal(got, f.want) {
			t.Errorf("%s: events %v, want %v", f.name, got, f.want)
		}
	}
}

func TestEventKindString(t *testing.T) {
	for k, want := range map[EventKind]string{Press: "Press", Move: "Move", Release: "Release", 0: "EventKind(?)"} {
		if k.String() != want {
			t.Errorf("%d.String() = %q, want %q", int(k), k.String(), want)
		}
	}
}
