//go:build js && wasm

package main

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"sync"
	"syscall/js"
	"time"

	"convlab/ui"
	"convlab/ui/record"
	"convlab/ui/settings"
	"convlab/wasm/store"
)

// keeper keeps the page's experiment in the browser (package store), so
// that a reload, a crash or a closed tab loses nothing, and brings it back
// when the page opens.
//
// It looks at the experiment every keepEvery frames, on the frame's own
// goroutine: a run whose version (its state, settings, model, finished
// epochs, maps, stall, error; App.KeptVersions) changed since the last
// look gets a new revision; a change of any run, of the runs' order or of
// the selection starts a Save in a goroutine of its own, which encodes
// only the runs whose revision changed, each through a record.RunEncoder
// that writes its finished epochs' text once (see store: nothing of it
// runs in the frame, and saves coalesce). What happens to the saves is published as
// window.convlabKept for the tests and the curious: enabled, error, saves,
// bytes, and runs (each run's version as last saved).
type keeper struct {
	st    *store.Store
	app   *ui.App
	next  int              // frames until the next look
	keys  map[int]string   // run ID → the run's key in the store
	found []string         // the keys of the runs load restores, in order
	runs  map[string]*kept // key → what is known of the run
	order string           // the keys in order and the selection, at the last save
	query func() string    // the URL query the page shows, kept with the experiment
	stamp string           // makes this page's new keys its own (see runFor)
	made  int              // keys made so far
	mu    sync.Mutex       // guards what the saving goroutines report
	notes []string         // messages to show, from the saves
	told  map[string]bool  // messages shown already (each is shown once)
	stats js.Value         // window.convlabKept
}

// kept is what the keeper knows of one run.
type kept struct {
	version  string
	revision uint64
	encoder  *record.RunEncoder
}

// keepEvery is how many frames pass between two looks at the experiment:
// a quarter of a second at 60 frames a second, soon enough after an
// epoch's end, and rare enough to cost nothing.
const keepEvery = 15

// openKeeper opens the store. Without one (no IndexedDB, another tab
// holds the experiment) it returns a nil keeper and the sentence to show.
func openKeeper(ctx context.Context) (*keeper, string) {
	st, err := store.Open(ctx)
	stats := js.Global().Get("Object").New()
	stats.Set("enabled", err == nil)
	stats.Set("saves", 0)
	stats.Set("bytes", 0)
	stats.Set("error", "")
	js.Global().Set("convlabKept", stats)
	if err != nil {
		stats.Set("error", err.Error())
		return nil, store.Notice(err)
	}
	return &keeper{st: st, keys: map[int]string{}, runs: map[string]*kept{}, told: map[string]bool{},
		stamp: strconv.FormatInt(time.Now().UnixMilli(), 36), stats: stats}, ""
}

// load reads the kept experiment and decodes its runs, showing progress on
// the loading card, when the page's URL asks for no other: a URL without
// settings, or the one the page showed when it was kept (a reload). Runs
// that cannot be read are left out, each said in a message. It returns the
// experiment (no runs when there is none to restore) and the messages.
func (k *keeper) load(ctx context.Context, query url.Values) (record.Experiment, []string) {
	snap, err := k.st.Load(ctx)
	if err != nil {
		return record.Experiment{}, []string{"The experiment kept in this browser could not be read (" + err.Error() + "); this page starts afresh."}
	}
	if len(snap.Runs) == 0 {
		return record.Experiment{}, nil
	}
	if hasSettings(query) && query.Encode() != snap.Settings {
		return record.Experiment{}, []string{fmt.Sprintf("This link's settings are used, not the experiment kept in this browser (%d runs). It stays kept until this one changes: open ConvLab without settings in the address (…/?) to get it back.", len(snap.Runs))}
	}
	card := showDownloadCard("Restoring your experiment…")
	defer card.close()
	var x record.Experiment
	var notes []string
	for i, e := range snap.Runs {
		card.detail.Set("textContent", fmt.Sprintf("run %d of %d", i+1, len(snap.Runs)))
		card.fill.Get("style").Set("width", fmt.Sprintf("%.0f%%", 100*float64(i)/float64(len(snap.Runs))))
		yieldToBrowser() // let the card show
		r, err := record.DecodeRun(e.Data)
		if err != nil {
			notes = append(notes, fmt.Sprintf("Run %d kept in this browser could not be read (%v) and was left out.", i+1, err))
			continue
		}
		if i == snap.Selected {
			x.Selected = len(x.Runs)
		}
		x.Runs = append(x.Runs, r)
		k.runs[e.Key] = &kept{revision: e.Revision, encoder: &record.RunEncoder{}}
		k.found = append(k.found, e.Key) // the run's ID is known once it is restored: see adopt
	}
	return x, notes
}

// hasSettings reports whether query sets any of the experiment's settings
// (rather than only switches such as worker=0).
func hasSettings(query url.Values) bool {
	for _, f := range settings.Fields() {
		if query.Has(f.Key) {
			return true
		}
	}
	return query.Has("run") || query.Has("compare")
}

// yieldToBrowser hands the page's thread to the browser for a moment, so
// that it paints what changed.
func yieldToBrowser() {
	done := make(chan struct{})
	var f js.Func
	f = js.FuncOf(func(js.Value, []js.Value) any {
		f.Release()
		close(done)
		return nil
	})
	js.Global().Call("setTimeout", f, 0)
	<-done
}

// adopt starts keeping app's experiment: restored runs keep the keys they
// were stored under, and what the app shows now counts as saved, so that
// nothing is written until something changes (a page opened with a link's
// settings leaves the kept experiment alone until then).
func (k *keeper) adopt(app *ui.App, restored bool, query func() string) {
	k.app, k.query = app, query
	ids, versions, selected := app.KeptVersions()
	if restored && len(ids) == len(k.found) {
		for i, id := range ids {
			k.keys[id] = k.found[i]
		}
	}
	for i, id := range ids {
		k.runFor(id).version = versions[i]
	}
	k.order = k.orderOf(ids, selected)
}

// runFor returns what is known of the run with this ID, making a key for
// a run not seen before.
func (k *keeper) runFor(id int) *kept {
	key, ok := k.keys[id]
	if !ok {
		k.made++
		key = "run-" + k.stamp + "-" + strconv.Itoa(k.made)
		k.keys[id] = key
	}
	r := k.runs[key]
	if r == nil {
		r = &kept{encoder: &record.RunEncoder{}}
		k.runs[key] = r
	}
	return r
}

func (k *keeper) orderOf(ids []int, selected int) string {
	s := strconv.Itoa(selected)
	for _, id := range ids {
		s += " " + k.keys[id]
	}
	return s
}

// tick runs once a frame: it shows what the saves reported and, every
// keepEvery frames, saves the experiment if it changed. Whether it
// changed it learns from the runs' versions (App.KeptVersions), and only
// then takes the records, which copy each run's loss curve.
func (k *keeper) tick() {
	if k == nil || k.app == nil {
		return
	}
	k.showNotes()
	if k.next--; k.next > 0 {
		return
	}
	k.next = keepEvery
	ids, versions, selected := k.app.KeptVersions()
	changed := false
	for i, id := range ids {
		if r := k.runFor(id); versions[i] != r.version {
			r.version, r.revision, changed = versions[i], r.revision+1, true
		}
	}
	if order := k.orderOf(ids, selected); order != k.order {
		k.order, changed = order, true
	}
	if !changed {
		return
	}
	x, _ := k.app.Kept() // the same runs, in the same order, as KeptVersions'
	snap := store.Snapshot{Selected: x.Selected, Settings: k.query()}
	saved := make([]any, len(ids))
	for i, id := range ids {
		r, run := k.runFor(id), x.Runs[i]
		enc := r.encoder
		snap.Runs = append(snap.Runs, store.Entry{Key: k.keys[id], Revision: r.revision,
			Encode: func() []byte { return enc.Encode(run) }})
		saved[i] = versions[i]
	}
	go k.save(snap, saved)
}

// save writes snap, then publishes what happened: the sentence to show if
// it failed, else window.convlabKept's counts and versions, each run's
// version as saved (see versionOf), so that a script waits for what it
// needs kept before it reloads the page.
func (k *keeper) save(snap store.Snapshot, versions []any) {
	saved, err := k.st.Save(context.Background(), snap)
	if saved.Superseded {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	switch {
	case err != nil:
		k.notes = append(k.notes, store.Notice(err))
		k.stats.Set("error", err.Error())
	case len(saved.Dropped) > 0:
		k.notes = append(k.notes, fmt.Sprintf("The browser's storage holds only part of this experiment now: %d of its oldest runs will not come back after a reload. Save the experiment as a file to keep it whole.", len(saved.Dropped)))
	}
	if err == nil {
		k.stats.Set("saves", k.stats.Get("saves").Int()+1)
		k.stats.Set("bytes", saved.Bytes)
		k.stats.Set("runs", versions)
	}
}

// showNotes shows each message the saves reported, once.
func (k *keeper) showNotes() {
	k.mu.Lock()
	notes := k.notes
	k.notes = nil
	k.mu.Unlock()
	for _, n := range notes {
		if !k.told[n] {
			k.told[n] = true
			k.app.Notify(n)
		}
	}
}
