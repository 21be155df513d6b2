package store

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Bounds of the stored experiment (see the package doc).
const (
	MaxRuns  = 16        // as record.MaxRuns
	MaxBytes = 200 << 20 // bytes of run records
)

// Errors. Open's and Save's errors wrap one of these (errors.Is) with what
// happened; Notice gives the sentence to show.
var (
	// ErrUnavailable: the browser offers no storage the store can use
	// (no IndexedDB, or it refuses to open).
	ErrUnavailable = errors.New("the browser offers no storage for this page")
	// ErrOtherTab: another tab of the site holds the experiment.
	ErrOtherTab = errors.New("another tab of this site keeps its experiment")
	// ErrQuota: the browser refused a write as over its quota, even with
	// the oldest runs left out.
	ErrQuota = errors.New("the browser's storage for this site is full")
	// ErrDamaged: what is stored does not read back as a snapshot.
	ErrDamaged = errors.New("the stored experiment is damaged")
)

// Notice is the plain sentence the page shows, once, when err (from Open
// or Save) means that the experiment is not kept.
func Notice(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrOtherTab):
		return "ConvLab is open in another tab, which keeps its experiment: this tab works as usual, but what you do here will not be kept after a reload. Close the other tab and reload this one to keep it."
	case errors.Is(err, ErrQuota):
		return "The browser's storage for this site is full, so this experiment is no longer kept after a reload: save it as a file to keep it, or free space in the browser's site settings."
	case errors.Is(err, ErrUnavailable):
		return "This browser does not let ConvLab keep the experiment (" + err.Error() + "): it works as usual, but a reload starts afresh. Save the experiment as a file to keep it."
	default:
		return "ConvLab could not keep the experiment in the browser (" + err.Error() + "): a reload may lose it. Save it as a file to keep it."
	}
}

// Snapshot is the experiment as the page stores it: its runs in order and
// which one is selected.
type Snapshot struct {
	Runs     []Entry
	Selected int // index into Runs; -1 or 0 when there are none
	// Settings is free text kept with the experiment, such as the URL
	// query it was set up from.
	Settings string
}

// Entry is one run of a Snapshot. Key names the run for as long as it
// exists (it must not be reused for another run); Revision changes
// whenever its record does (any increasing counter, below 2⁵³). A run
// whose key and revision are stored already is not written again.
type Entry struct {
	Key      string
	Revision uint64
	// Data is the run's record. When saving, Data may be nil and Encode
	// set instead: Save then calls Encode, on its own goroutine, only if
	// the run is written, so an unchanged run is never encoded again.
	// Load fills Data.
	Data   []byte
	Encode func() []byte
}

// Saved says what a Save did.
type Saved struct {
	Written, Deleted int   // runs written and deleted
	Bytes            int64 // bytes of run records stored after the save
	// Dropped lists the runs left out to keep within the bound or the
	// browser's quota, oldest first.
	Dropped []string
	// Superseded: a newer Save arrived while this one waited, and this
	// snapshot was not written.
	Superseded bool
}

// maxRevision is the largest revision stored exactly: IndexedDB's JSON
// meta holds it, and JavaScript numbers are float64.
const maxRevision = 1<<53 - 1

// maxKey bounds a run's key.
const maxKey = 200

// check reports what makes s unfit to store.
func (s *Snapshot) check() error {
	if len(s.Runs) > MaxRuns {
		return fmt.Errorf("%d runs, at most %d are kept", len(s.Runs), MaxRuns)
	}
	if len(s.Runs) > 0 && (s.Selected < 0 || s.Selected >= len(s.Runs)) {
		return fmt.Errorf("selected run %d of %d", s.Selected, len(s.Runs))
	}
	seen := make(map[string]bool, len(s.Runs))
	for i, r := range s.Runs {
		switch {
		case r.Key == "" || len(r.Key) > maxKey:
			return fmt.Errorf("run %d: a key of %d bytes (1 to %d)", i, len(r.Key), maxKey)
		case seen[r.Key]:
			return fmt.Errorf("run %d: key %q twice", i, r.Key)
		case r.Revision > maxRevision:
			return fmt.Errorf("run %q: revision %d beyond 2⁵³", r.Key, r.Revision)
		case r.Data == nil && r.Encode == nil:
			return fmt.Errorf("run %q: neither Data nor Encode", r.Key)
		}
		seen[r.Key] = true
	}
	return nil
}

// meta is what the "meta" entry holds, as JSON: the runs in order, each
// with the revision and size of the record beside it.
type meta struct {
	Version  int       `json:"version"`
	Selected int       `json:"selected"`
	Settings string    `json:"settings"`
	Runs     []metaRun `json:"runs"`
}

type metaRun struct {
	Key      string `json:"key"`
	Revision uint64 `json:"revision"`
	Bytes    int64  `json:"bytes"`
}

// metaVersion is the version of the meta entry's format.
const metaVersion = 1

// bytes is the total size of the run records m lists.
func (m *meta) bytes() int64 {
	var n int64
	for _, r := range m.Runs {
		n += r.Bytes
	}
	return n
}

// find returns the stored run of key, if any.
func (m *meta) find(key string) (metaRun, bool) {
	for _, r := range m.Runs {
		if r.Key == key {
			return r, true
		}
	}
	return metaRun{}, false
}

// without is m less the runs of keys; the selected run stays selected if
// it stays, else the first is.
func (m *meta) without(keys []string) meta {
	gone := make(map[string]bool, len(keys))
	for _, k := range keys {
		gone[k] = true
	}
	out := meta{Version: m.Version, Settings: m.Settings}
	for i, r := range m.Runs {
		if gone[r.Key] {
			continue
		}
		if i == m.Selected {
			out.Selected = len(out.Runs)
		}
		out.Runs = append(out.Runs, r)
	}
	return out
}

// decodeMeta reads the meta entry, checking it as strictly as a snapshot.
func decodeMeta(text string) (meta, error) {
	var m meta
	if err := json.Unmarshal([]byte(text), &m); err != nil {
		return meta{}, fmt.Errorf("%w: its list of runs: %v", ErrDamaged, err)
	}
	if m.Version != metaVersion {
		return meta{}, fmt.Errorf("%w: its list of runs has version %d, this page reads %d", ErrDamaged, m.Version, metaVersion)
	}
	s := Snapshot{Selected: m.Selected}
	for _, r := range m.Runs {
		if r.Bytes < 0 || r.Bytes > MaxBytes {
			return meta{}, fmt.Errorf("%w: run %q of %d bytes", ErrDamaged, r.Key, r.Bytes)
		}
		s.Runs = append(s.Runs, Entry{Key: r.Key, Revision: r.Revision, Data: []byte{}})
	}
	if err := s.check(); err != nil {
		return meta{}, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	return m, nil
}

// Sized is a run as the size bound sees it.
type Sized struct {
	Key   string
	Bytes int64
}

// Fit decides which runs to keep within budget bytes: the selected run
// always (index selected of runs, which are oldest first), then the others
// newest first while they fit. It returns the keys left out, oldest first.
// Newest first because the runs a student added last are the ones being
// compared now; whole runs because a record is opaque here and a run cut
// short would not resume.
func Fit(runs []Sized, selected int, budget int64) (drop []string) {
	used := int64(0)
	if selected >= 0 && selected < len(runs) {
		used = runs[selected].Bytes
	}
	keep := make([]bool, len(runs))
	for i := len(runs) - 1; i >= 0; i-- {
		if i == selected || used+runs[i].Bytes <= budget {
			keep[i] = true
			if i != selected {
				used += runs[i].Bytes
			}
		}
	}
	for i, k := range keep {
		if !k {
			drop = append(drop, runs[i].Key)
		}
	}
	return drop
}

// change is one Save's plan: what to write and delete, and the meta entry
// to store beside it.
type change struct {
	put     []Entry  // with Data set
	del     []string // keys of stored runs to delete
	meta    meta
	dropped []string
}

// plan works out what saving s over the stored state old writes, within
// budget bytes of records. Runs to write are encoded here.
func plan(old meta, s Snapshot, budget int64) change {
	data := make([][]byte, len(s.Runs))
	sized := make([]Sized, len(s.Runs))
	for i, r := range s.Runs {
		if st, ok := old.find(r.Key); ok && st.Revision == r.Revision {
			sized[i] = Sized{r.Key, st.Bytes}
			continue
		}
		data[i] = r.Data
		if data[i] == nil {
			data[i] = r.Encode()
		}
		sized[i] = Sized{r.Key, int64(len(data[i]))}
	}
	c := change{dropped: Fit(sized, s.Selected, budget)}
	left := make(map[string]bool, len(c.dropped))
	for _, k := range c.dropped {
		left[k] = true
	}
	c.meta = meta{Version: metaVersion, Settings: s.Settings}
	present := make(map[string]bool, len(s.Runs))
	for i, r := range s.Runs {
		if left[r.Key] {
			continue
		}
		present[r.Key] = true
		if i == s.Selected {
			c.meta.Selected = len(c.meta.Runs)
		}
		c.meta.Runs = append(c.meta.Runs, metaRun{Key: r.Key, Revision: r.Revision, Bytes: sized[i].Bytes})
		if data[i] != nil {
			c.put = append(c.put, Entry{Key: r.Key, Revision: r.Revision, Data: data[i]})
		}
	}
	for _, r := range old.Runs {
		if !present[r.Key] {
			c.del = append(c.del, r.Key)
		}
	}
	return c
}

// encode is the meta entry's text.
func (m *meta) encode() string {
	b, err := json.Marshal(m)
	if err != nil { // a struct of strings and integers always marshals
		panic(err)
	}
	return string(b)
}

// snapshotOf is the Snapshot that meta m and the stored records data (by
// key) make, checking that they agree: every run m lists is stored with
// the size it gives, and nothing else is.
func snapshotOf(m meta, data map[string][]byte) (Snapshot, error) {
	s := Snapshot{Selected: m.Selected, Settings: m.Settings}
	for _, r := range m.Runs {
		b, ok := data[r.Key]
		switch {
		case !ok:
			return Snapshot{}, fmt.Errorf("%w: run %q is missing", ErrDamaged, r.Key)
		case int64(len(b)) != r.Bytes:
			return Snapshot{}, fmt.Errorf("%w: run %q has %d bytes, %d were written", ErrDamaged, r.Key, len(b), r.Bytes)
		}
		s.Runs = append(s.Runs, Entry{Key: r.Key, Revision: r.Revision, Data: b})
	}
	if len(data) != len(m.Runs) {
		return Snapshot{}, fmt.Errorf("%w: %d records stored for %d runs", ErrDamaged, len(data), len(m.Runs))
	}
	return s, nil
}
