// Package store keeps the page's experiment in the browser, in IndexedDB,
// so that a reload, a crash or a closed tab loses nothing: one entry per
// run (its record, opaque bytes: package record's EncodeRun) and one entry
// that lists the runs in order with their revisions and sizes.
//
// # Layout
//
// Database "convlab", version 1, two object stores with out-of-line keys:
//
//	"runs"  run key → Uint8Array, the run's record
//	"meta"  "experiment" → JSON text, see meta below
//
// Every Save writes, in one readwrite transaction over both stores, the
// runs whose revision changed, deletes the runs no longer present, and
// rewrites the meta entry. IndexedDB commits a transaction whole or not at
// all (a crash, a closed tab or a quota error before the commit aborts it),
// so what is stored is always one Snapshot as it was saved, never half of
// one: the meta entry names exactly the runs and revisions beside it.
//
// # One tab owns the experiment
//
// Open takes the Web Lock "convlab-experiment" and holds it for the
// page's life. A second tab of the same site finds it held (for longer
// than the 3 s a reload's new page waits for its old page to let go) and
// gets ErrOtherTab: it runs without persistence and never writes, so the first
// tab's experiment stays intact; once the first tab is closed, the next
// page to open gets it. Where the browser has no Web Locks (old browsers,
// and pages served over plain http from another machine, as in a
// classroom, which are not a secure context), a tab owns the experiment
// by a claim stored beside it, renewed every 2 s, kept across a reload of
// the same tab, and checked inside every write's own transaction
// (claim.go): a second tab is refused while the claim is fresh, may take
// it over once the owner has been silent for 10 s (closed, or starved of
// its thread), and the former owner's writes then fail with ErrOtherTab;
// two tabs never both write. Without IndexedDB (some private windows)
// Open gives ErrUnavailable. Notice turns each error into the sentence the
// page shows once; Open is called once a page.
//
// # Size bound
//
// The store keeps one experiment, the current one: at most MaxRuns runs
// (Save refuses more; the dashboard holds 6) and MaxBytes bytes of records
// (the 15-epoch homework run takes 2.0 MB, a 50-epoch RMSProp run about
// 12 MB, so a full dashboard fits). Beyond MaxBytes, and after the browser
// refuses a write as over its quota, whole runs are left out, oldest first
// (the first in the experiment's order), never the selected one: see Fit. Save reports the
// runs it left out so that the page can say so; a quota error that
// leaving runs out cannot cure is ErrQuota.
//
// # Never blocking a frame
//
// IndexedDB is asynchronous; the Go side waits for its callbacks on
// channels, which hands the page's one thread back to the browser while it
// waits. Open, Save, Load and Clear block their caller until IndexedDB
// answers, so the page calls them from a goroutine of their own, never from
// the ebiten frame (Update or Draw). That goroutine still runs on the
// page's one thread whenever it computes, so Save does its work a run at a
// time, giving the thread back between runs: each Entry.Encode and each
// run's copy into IndexedDB is a task of its own. Saves coalesce: a Save that finds
// another one writing waits, and if a newer Save arrives while it waits,
// the older one returns at once, unwritten (Saved.Superseded), so only the
// newest snapshot is written after the one in flight.
package store
