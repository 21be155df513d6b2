package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestFitKeepsTheSelectedAndTheNewestRuns(t *testing.T) {
	runs := []Sized{{"a", 40}, {"b", 30}, {"c", 20}, {"d", 10}}
	for _, c := range []struct {
		selected int
		budget   int64
		drop     []string
	}{
		{3, 100, nil},               // everything fits
		{3, 99, []string{"a"}},      // the oldest goes first
		{3, 60, []string{"a"}},      // b+c+d = 60 exactly
		{3, 59, []string{"a", "b"}}, // then the next oldest; c+d fit
		{0, 59, []string{"b", "c"}}, // the selected oldest stays; d fits beside it
		{0, 10, []string{"b", "c", "d"}},
		{1, 0, []string{"a", "c", "d"}}, // the selected run stays even over the budget
		{2, 35, []string{"a", "b"}},     // c selected, then d; b (30) does not fit
	} {
		if got := Fit(runs, c.selected, c.budget); !reflect.DeepEqual(got, c.drop) {
			t.Errorf("Fit(selected %d, budget %d) drops %v, want %v", c.selected, c.budget, got, c.drop)
		}
	}
	if got := Fit(nil, 0, 0); got != nil {
		t.Errorf("Fit of no runs drops %v", got)
	}
}

// entry is a run whose record is its key repeated n times, encoded only
// when asked (and counted).
func entry(key string, rev uint64, n int, encoded *[]string) Entry {
	return Entry{Key: key, Revision: rev, Encode: func() []byte {
		*encoded = append(*encoded, key)
		return bytes.Repeat([]byte(key), n)
	}}
}

func TestPlanWritesOnlyWhatChanged(t *testing.T) {
	var encoded []string
	first := Snapshot{Selected: 1, Settings: "opt=sgd", Runs: []Entry{entry("a", 1, 10, &encoded), entry("b", 1, 10, &encoded)}}
	c := plan(meta{}, first, MaxBytes)
	if len(c.put) != 2 || len(c.del) != 0 || c.dropped != nil || !reflect.DeepEqual(encoded, []string{"a", "b"}) {
		t.Fatalf("first save: put %d, del %v, dropped %v, encoded %v", len(c.put), c.del, c.dropped, encoded)
	}
	want := meta{Version: metaVersion, Selected: 1, Settings: "opt=sgd", Runs: []metaRun{{"a", 1, 10}, {"b", 1, 10}}}
	if !reflect.DeepEqual(c.meta, want) {
		t.Fatalf("meta %+v, want %+v", c.meta, want)
	}

	// b trains on (revision 2), a is removed, c is added.
	encoded = nil
	second := Snapshot{Selected: 0, Runs: []Entry{entry("b", 2, 20, &encoded), entry("c", 1, 5, &encoded)}}
	c = plan(c.meta, second, MaxBytes)
	if !reflect.DeepEqual(encoded, []string{"b", "c"}) || len(c.put) != 2 || !reflect.DeepEqual(c.del, []string{"a"}) {
		t.Fatalf("second save: encoded %v, put %d, del %v", encoded, len(c.put), c.del)
	}
	if got := c.meta.bytes(); got != 25 {
		t.Errorf("%d bytes stored, want 25", got)
	}

	// Nothing changed: nothing encoded or written, the meta rewritten as is.
	encoded = nil
	again := plan(c.meta, second, MaxBytes)
	if len(encoded) != 0 || len(again.put) != 0 || len(again.del) != 0 || !reflect.DeepEqual(again.meta, c.meta) {
		t.Errorf("an unchanged snapshot: encoded %v, put %d, del %v", encoded, len(again.put), again.del)
	}
}

// Over the budget, the oldest runs are left out of the meta entry and
// deleted from storage; the selected index follows its run.
func TestPlanLeavesOutTheOldestRunsOverTheBudget(t *testing.T) {
	var encoded []string
	old := plan(meta{}, Snapshot{Selected: 0, Runs: []Entry{entry("a", 1, 10, &encoded), entry("b", 1, 10, &encoded)}}, MaxBytes).meta
	s := Snapshot{Selected: 2, Runs: []Entry{entry("a", 1, 10, &encoded), entry("b", 1, 10, &encoded), entry("c", 1, 10, &encoded)}}
	c := plan(old, s, old.bytes()) // the quota retry's budget: what fitted before
	if !reflect.DeepEqual(c.dropped, []string{"a"}) || !reflect.DeepEqual(c.del, []string{"a"}) {
		t.Fatalf("dropped %v, deleted %v, want a both", c.dropped, c.del)
	}
	if c.meta.Selected != 1 || c.meta.Runs[1].Key != "c" || c.meta.bytes() != 20 {
		t.Errorf("meta %+v: want b, c with c selected, 20 bytes", c.meta)
	}
}

func TestCheckRefusesBadSnapshots(t *testing.T) {
	ok := Entry{Key: "k", Data: []byte("x")}
	many := make([]Entry, MaxRuns+1)
	for i := range many {
		many[i] = Entry{Key: fmt.Sprint(i), Data: []byte{}}
	}
	for name, s := range map[string]Snapshot{
		"too many runs":     {Runs: many},
		"selected past end": {Runs: []Entry{ok}, Selected: 1},
		"negative selected": {Runs: []Entry{ok}, Selected: -1},
		"empty key":         {Runs: []Entry{{Data: []byte{}}}},
		"long key":          {Runs: []Entry{{Key: strings.Repeat("k", maxKey+1), Data: []byte{}}}},
		"key twice":         {Runs: []Entry{ok, ok}},
		"huge revision":     {Runs: []Entry{{Key: "k", Revision: 1 << 53, Data: []byte{}}}},
		"no data":           {Runs: []Entry{{Key: "k"}}},
	} {
		if err := s.check(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := (&Snapshot{}).check(); err != nil {
		t.Errorf("the empty snapshot: %v", err)
	}
}

func TestMetaRoundTripsAndRefusesDamage(t *testing.T) {
	m := meta{Version: metaVersion, Selected: 1, Settings: "a=b", Runs: []metaRun{{"x", 3, 100}, {"y", 1 << 40, 0}}}
	got, err := decodeMeta(m.encode())
	if err != nil || !reflect.DeepEqual(got, m) {
		t.Fatalf("decodeMeta(encode) = %+v, %v", got, err)
	}
	for _, text := range []string{
		``, `null`, `[]`, `{"version":2,"selected":0,"runs":[]}`,
		`{"version":1,"selected":3,"runs":[{"key":"x","revision":1,"bytes":1}]}`,
		`{"version":1,"selected":0,"runs":[{"key":"x","revision":1,"bytes":-1}]}`,
		`{"version":1,"selected":0,"runs":[{"key":"","revision":1,"bytes":1}]}`,
		`{"version":1,"selected":0,"runs":[{"key":"x","revision":1,"bytes":1},{"key":"x","revision":2,"bytes":1}]}`,
	} {
		if _, err := decodeMeta(text); !errors.Is(err, ErrDamaged) {
			t.Errorf("decodeMeta(%q): %v, want ErrDamaged", text, err)
		}
	}
}

func TestNoticeSaysWhatHappenedInPlainWords(t *testing.T) {
	for err, want := range map[error]string{
		fmt.Errorf("%w: held", ErrOtherTab):                 "another tab",
		fmt.Errorf("%w: no IndexedDB", ErrUnavailable):      "a reload starts afresh",
		fmt.Errorf("%w: QuotaExceededError", ErrQuota):      "storage for this site is full",
		errors.New("the transaction aborted: UnknownError"): "UnknownError",
	} {
		if got := Notice(err); !strings.Contains(got, want) {
			t.Errorf("Notice(%v) = %q, want it to say %q", err, got, want)
		}
	}
	if Notice(nil) != "" {
		t.Error("Notice(nil) is not empty")
	}
}

// While one save writes, of the saves arriving meanwhile only the newest
// is written after it; the others return at once, superseded.
func TestSavesCoalesce(t *testing.T) {
	var c coalescer
	ctx := context.Background()
	started, release := make(chan struct{}), make(chan struct{})
	var mu sync.Mutex
	var written []int
	write := func(n int) func() (Saved, error) {
		return func() (Saved, error) {
			mu.Lock()
			written = append(written, n)
			mu.Unlock()
			if n == 0 {
				close(started)
				<-release
			}
			return Saved{Written: n}, nil
		}
	}
	results := make([]chan Saved, 4)
	for i := range results {
		results[i] = make(chan Saved, 1)
	}
	go func() { s, _ := c.do(ctx, write(0)); results[0] <- s }()
	<-started
	for i := 1; i < 4; i++ {
		go func() { s, _ := c.do(ctx, write(i)); results[i] <- s }()
		waitUntil(t, func() bool {
			c.mu.Lock()
			defer c.mu.Unlock()
			return c.next != nil && (i == 1 || len(results[i-1]) == 1)
		})
	}
	for i := 1; i < 3; i++ { // superseded before the first write ended
		if s := <-results[i]; !s.Superseded {
			t.Errorf("save %d: %+v, want superseded", i, s)
		}
	}
	close(release)
	if s := <-results[0]; s.Written != 0 || s.Superseded {
		t.Errorf("save 0: %+v", s)
	}
	if s := <-results[3]; s.Written != 3 || s.Superseded {
		t.Errorf("save 3: %+v, want written", s)
	}
	if !reflect.DeepEqual(written, []int{0, 3}) {
		t.Errorf("written %v, want [0 3]", written)
	}
	if c.busy || c.next != nil {
		t.Error("the coalescer is still busy after every save returned")
	}
}

// A waiting save whose context ends steps out of line; the next save runs.
func TestAWaitingSaveCanBeCancelled(t *testing.T) {
	var c coalescer
	release := make(chan struct{})
	started := make(chan struct{})
	done := make(chan struct{})
	go func() {
		c.do(context.Background(), func() (Saved, error) { close(started); <-release; return Saved{}, nil })
		close(done)
	}()
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := c.do(ctx, func() (Saved, error) { t.Error("a cancelled save wrote"); return Saved{}, nil })
		errc <- err
	}()
	waitUntil(t, func() bool { c.mu.Lock(); defer c.mu.Unlock(); return c.next != nil })
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled save: %v", err)
	}
	close(release)
	<-done
	if s, err := c.do(context.Background(), func() (Saved, error) { return Saved{Written: 7}, nil }); err != nil || s.Written != 7 {
		t.Errorf("the next save: %+v, %v", s, err)
	}
}

// waitUntil polls cond (state another goroutine sets) for up to 10 s.
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the state did not come about within 10 s")
		}
	}
}

func TestSnapshotOfChecksTheRecordsAgainstTheMeta(t *testing.T) {
	m := meta{Version: metaVersion, Selected: 1, Settings: "s", Runs: []metaRun{{"a", 2, 3}, {"b", 5, 1}}}
	got, err := snapshotOf(m, map[string][]byte{"a": []byte("abc"), "b": []byte("x")})
	want := Snapshot{Selected: 1, Settings: "s", Runs: []Entry{{Key: "a", Revision: 2, Data: []byte("abc")}, {Key: "b", Revision: 5, Data: []byte("x")}}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("snapshotOf = %+v, %v", got, err)
	}
	for name, data := range map[string]map[string][]byte{
		"missing run": {"a": []byte("abc")},
		"wrong size":  {"a": []byte("ab"), "b": []byte("x")},
		"extra entry": {"a": []byte("abc"), "b": []byte("x"), "c": nil},
	} {
		if _, err := snapshotOf(m, data); !errors.Is(err, ErrDamaged) {
			t.Errorf("%s: %v, want ErrDamaged", name, err)
		}
	}
}

func TestMetaWithout(t *testing.T) {
	m := meta{Version: metaVersion, Selected: 2, Settings: "s", Runs: []metaRun{{"a", 1, 1}, {"b", 1, 2}, {"c", 1, 3}}}
	got := m.without([]string{"a"})
	want := meta{Version: metaVersion, Selected: 1, Settings: "s", Runs: []metaRun{{"b", 1, 2}, {"c", 1, 3}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("without a: %+v, want %+v", got, want)
	}
	if got := m.without([]string{"c"}); got.Selected != 0 || len(got.Runs) != 2 {
		t.Errorf("without the selected run: %+v", got)
	}
}

func TestClaims(t *testing.T) {
	const now = 1_000_000_000
	mine := claim{Token: "me", At: now}.encode()
	theirs := func(at int64) string { return claim{Token: "them", At: at}.encode() }
	stale := staleAfter.Milliseconds()
	for _, c := range []struct {
		name, text string
		held       bool
	}{
		{"no claim", "", false},
		{"not a claim", "[]", false},
		{"mine", mine, false},
		{"theirs, just renewed", theirs(now), true},
		{"theirs, almost stale", theirs(now - stale + 1), true},
		{"theirs, stale", theirs(now - stale), false},
		{"theirs, from a clock slightly ahead", theirs(now + 1000), true},
		{"theirs, from far in the future", theirs(now + stale), false},
	} {
		if got := heldByOther(c.text, "me", now); got != c.held {
			t.Errorf("%s: heldByOther = %v, want %v", c.name, got, c.held)
		}
	}
}
