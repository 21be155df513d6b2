package ink

import (
	"reflect"
	"runtime"
	"sync"
	"testing"
)

func everywhere(x, y float64) bool { return true }

func TestQueueKeepsOrderAcrossGoroutines(t *testing.T) {
	var q Queue
	const producers, each = 4, 500
	var wg sync.WaitGroup
	for p := range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				q.Push(Sample{ID: p, Kind: Move, X: float64(i)})
			}
		}()
	}
	var got []Sample
	for len(got) < producers*each {
		got = q.Take(got)
		runtime.Gosched() // under WebAssembly goroutines run only when others yield
	}
	wg.Wait()
	next := make([]float64, producers)
	for _, s := range got {
		if s.X != next[s.ID] {
			t.Fatalf("pointer %d: sample %v after %v; samples out of order", s.ID, s.X, next[s.ID]-1)
		}
		next[s.ID]++
	}
	if total, dropped := q.Counts(); total != producers*each || dropped != 0 {
		t.Errorf("counts %d, %d; want %d, 0", total, dropped, producers*each)
	}
}

func TestFullQueueStillTakesTheRelease(t *testing.T) {
	var q Queue
	q.Push(Sample{Kind: Down})
	for range MaxQueued + 10 {
		q.Push(Sample{Kind: Move, X: 1})
	}
	q.Push(Sample{Kind: Up, X: 2})
	got := q.Take(nil)
	if len(got) != MaxQueued || got[len(got)-1].Kind != Up {
		t.Fatalf("%d samples ending in %v; want %d ending in the release", len(got), got[len(got)-1], MaxQueued)
	}
	if _, dropped := q.Counts(); dropped != 12 { // 11 moves that did not fit, 1 that gave way to the release
		t.Errorf("dropped %d, want 12", dropped)
	}
	if len(q.Take(nil)) != 0 {
		t.Error("Take did not empty the queue")
	}
}

func TestTrackerSegments(t *testing.T) {
	insideLeft := func(x, y float64) bool { return x < 100 }
	tests := []struct {
		name    string
		samples []Sample
		want    []Segment
	}{
		{"press, move and release in one frame: the last segment is painted",
			[]Sample{{0, Down, 1, 1}, {0, Move, 5, 1}, {0, Up, 9, 3}},
			[]Segment{{0, 1, 1, 1, 1}, {0, 1, 1, 5, 1}, {0, 5, 1, 9, 3}}},
		{"a tap between frames leaves a dot",
			[]Sample{{0, Down, 4, 4}, {0, Up, 4, 4}},
			[]Segment{{0, 4, 4, 4, 4}}},
		{"strokes split at release",
			[]Sample{{0, Down, 0, 0}, {0, Up, 1, 0}, {0, Move, 50, 50}, {0, Down, 2, 2}, {0, Move, 3, 2}},
			[]Segment{{0, 0, 0, 0, 0}, {0, 0, 0, 1, 0}, {0, 2, 2, 2, 2}, {0, 2, 2, 3, 2}}},
		{"two fingers keep their own strokes",
			[]Sample{{1, Down, 0, 0}, {2, Down, 50, 50}, {1, Move, 1, 0}, {2, Move, 51, 50}, {1, Move, 2, 0}},
			[]Segment{{1, 0, 0, 0, 0}, {2, 50, 50, 50, 50}, {1, 0, 0, 1, 0}, {2, 50, 50, 51, 50}, {1, 1, 0, 2, 0}}},
		{"a press outside starts nothing, moving in does not draw",
			[]Sample{{0, Down, 150, 0}, {0, Move, 50, 0}, {0, Up, 40, 0}},
			nil},
		{"a stroke may leave the surface",
			[]Sample{{0, Down, 90, 0}, {0, Move, 120, 0}},
			[]Segment{{0, 90, 0, 90, 0}, {0, 90, 0, 120, 0}}},
	}
	for _, tc := range tests {
		var tr Tracker
		got := tr.Feed(nil, tc.samples, insideLeft)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %v\nwant %v", tc.name, got, tc.want)
		}
	}
}

func TestSamplesSplitOverFramesGiveTheSameSegments(t *testing.T) {
	samples := []Sample{{0, Down, 0, 0}}
	for i := 1; i <= 50; i++ {
		samples = append(samples, Sample{0, Move, float64(i), float64(i * i % 7)})
	}
	samples = append(samples, Sample{0, Up, 60, 0})
	var once, split Tracker
	want := once.Feed(nil, samples, everywhere)
	var got []Segment
	for i := 0; i < len(samples); i += 7 { // seven samples a frame
		got = split.Feed(got, samples[i:min(i+7, len(samples))], everywhere)
	}
	if !reflect.DeepEqual(got, want) || split.Drawing() {
		t.Errorf("split over frames: %d segments (drawing %v), want the same %d", len(got), split.Drawing(), len(want))
	}
}
