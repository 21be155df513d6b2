//go:build js && wasm

package store

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"syscall/js"
	"time"
)

// Names in the browser.
const (
	dbName    = "convlab"
	dbVersion = 1
	runsStore = "runs"
	metaStore = "meta"
	metaKey   = "experiment"
	lockName  = "convlab-experiment"
)

// Store is the tab's hold on the stored experiment. Its methods block
// until IndexedDB answers: call them from a goroutine, never from a frame.
type Store struct {
	db      js.Value
	release js.Value // resolves the promise that holds the Web Lock
	saves   coalescer

	// meta is what is stored, as of the last commit (this tab alone
	// writes, holding the lock or the claim); stale means the stored entries may not
	// match it (the meta entry was damaged), so the next Save starts
	// from empty stores.
	meta  meta
	stale bool

	// token is this tab's claim where the browser has no Web Locks (see
	// claim.go), "" with them; stopBeat ends the claim's renewals.
	token    string
	stopBeat context.CancelFunc
}

// Open takes this tab's ownership of the stored experiment (the Web Lock,
// or without Web Locks a claim: see the package doc) and opens the
// database. It fails with ErrUnavailable where the browser has no
// IndexedDB or it will not open, and with ErrOtherTab when another tab of
// the site owns the experiment; in both cases the page runs without
// persistence (see Notice). A damaged stored experiment does not fail
// Open: Load reports it, and the next Save replaces it.
func Open(ctx context.Context) (*Store, error) {
	global := js.Global()
	idb := global.Get("indexedDB")
	if idb.IsUndefined() || idb.IsNull() {
		return nil, fmt.Errorf("%w: no IndexedDB", ErrUnavailable)
	}
	s := &Store{}
	locks := global.Get("navigator").Get("locks")
	if locks.IsUndefined() || locks.IsNull() {
		s.token = tabToken() // no Web Locks: own the experiment by a claim
	} else {
		release, err := takeLock(ctx, locks, 0)
		if errors.Is(err, ErrOtherTab) && canTimeOut() {
			// A reload's new page may start before the page it replaces
			// has gone and let go of the lock: wait for it a while.
			release, err = takeLock(ctx, locks, reloadGrace)
		}
		if err != nil {
			return nil, err
		}
		s.release = release
	}
	if err := s.open(ctx, idb); err != nil {
		s.Close()
		return nil, err
	}
	if s.token != "" {
		if err := s.claim(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// tokenKey names the claim's token in the tab's sessionStorage.
const tokenKey = "convlab-claim"

// tabToken is the token of this tab's claim: the one its page before
// left, if this is a reload of the same tab, so that a reload does not find
// the experiment held by itself; else a new one. The token is in
// sessionStorage only between pagehide and the next page's start: a
// duplicated tab, which copies sessionStorage while this page runs, gets
// none and so a token of its own.
func tabToken() string {
	token := rand.Text()
	_ = try(func() { // sessionStorage may be missing or refuse (sandboxed pages)
		storage := js.Global().Get("sessionStorage")
		if t := storage.Call("getItem", tokenKey); t.Type() == js.TypeString && t.String() != "" {
			token = t.String()
		}
		storage.Call("removeItem", tokenKey)
		var leave js.Func // lives as long as the page
		leave = js.FuncOf(func(js.Value, []js.Value) any {
			_ = try(func() { storage.Call("setItem", tokenKey, token) })
			return nil
		})
		js.Global().Call("addEventListener", "pagehide", leave)
	})
	return token
}

// claim takes the experiment by the claim of s.token, unless another tab
// holds it, and starts renewing it every beatEvery (see claim.go).
func (s *Store) claim(ctx context.Context) error {
	var tx js.Value
	var cbs callbacks
	defer cbs.release()
	taken := false
	err := try(func() {
		tx = s.db.Call("transaction", metaStore, "readwrite")
		store := tx.Call("objectStore", metaStore)
		req := store.Call("get", claimKey)
		req.Set("onsuccess", cbs.add(func([]js.Value) {
			if heldByOther(stringOf(req.Get("result")), s.token, now()) {
				taken = true
				_ = try(func() { tx.Call("abort") })
				return
			}
			_ = try(func() { store.Call("put", claim{Token: s.token, At: now()}.encode(), claimKey) })
		}))
	})
	if err == nil {
		err = awaitTransaction(ctx, tx)
	}
	switch {
	case taken:
		return fmt.Errorf("%w: its claim is held (this browser has no Web Locks)", ErrOtherTab)
	case err != nil:
		return fmt.Errorf("%w: claiming the experiment: %v", ErrUnavailable, err)
	}
	beat, stop := context.WithCancel(context.Background())
	s.stopBeat = stop
	go s.renew(beat)
	return nil
}

// renew renews the claim every beatEvery until ctx ends or the claim is
// lost (then every write fails with ErrOtherTab, as it would anyway).
func (s *Store) renew(ctx context.Context) {
	tick := time.NewTicker(beatEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		err := s.transact(ctx, []any{metaStore}, func(tx js.Value) {
			tx.Call("objectStore", metaStore).Call("put", claim{Token: s.token, At: now()}.encode(), claimKey)
		})
		if errors.Is(err, ErrOtherTab) && canTimeOut() {
			return
		}
	}
}

// transact runs body, which makes the requests of a readwrite transaction
// over stores, and waits for the transaction to commit. Where the tab owns
// the experiment by a claim, it first checks, in the same transaction,
// that the claim is still its own, and aborts with ErrOtherTab if not.
// body runs in a callback of IndexedDB then, so it must not block; a
// JavaScript exception it throws aborts the transaction and is the error.
func (s *Store) transact(ctx context.Context, stores []any, body func(tx js.Value)) error {
	var tx js.Value
	var cbs callbacks
	defer cbs.release()
	var failed error
	run := func() {
		if err := try(func() { body(tx) }); err != nil {
			failed = err
			_ = try(func() { tx.Call("abort") })
		}
	}
	err := try(func() {
		if s.token != "" && !slices.Contains(stores, any(metaStore)) {
			stores = append(stores, metaStore)
		}
		tx = s.db.Call("transaction", stores, "readwrite")
		if s.token == "" {
			run()
			return
		}
		req := tx.Call("objectStore", metaStore).Call("get", claimKey)
		req.Set("onsuccess", cbs.add(func([]js.Value) {
			if c, ok := decodeClaim(stringOf(req.Get("result"))); !ok || c.Token != s.token {
				failed = fmt.Errorf("%w: it took the experiment over while this tab was silent for %v or more", ErrOtherTab, staleAfter)
				_ = try(func() { tx.Call("abort") })
				return
			}
			run()
		}))
	})
	if err != nil { // a request could not be made: undo the others
		if tx.Type() == js.TypeObject {
			_ = try(func() { tx.Call("abort") })
		}
		return err
	}
	err = awaitTransaction(ctx, tx)
	if failed != nil {
		return failed
	}
	return err
}

// stringOf is v if it is a string, else "".
func stringOf(v js.Value) string {
	if v.Type() != js.TypeString {
		return ""
	}
	return v.String()
}

// now is the page's clock in milliseconds since 1970.
func now() int64 { return int64(js.Global().Get("Date").Call("now").Float()) }

// reloadGrace is how long Open waits for the lock a page holds that is
// going away (a reload's old page lets go of it once it is unloaded, which
// can be after the new page starts); a tab that holds it longer is another
// tab.
const reloadGrace = 3 * time.Second

// canTimeOut reports whether the browser has AbortSignal.timeout, which a
// wait for the lock needs.
func canTimeOut() bool {
	a := js.Global().Get("AbortSignal")
	return a.Type() == js.TypeFunction && a.Get("timeout").Type() == js.TypeFunction
}

// takeLock asks for the Web Lock, waiting for it at most wait (not at all
// for 0): the callback gets the lock, or null when another tab holds it
// and wait is 0; a wait that runs out aborts the request. Holding it means
// returning a promise that settles only when the page goes away, or when
// Close calls the returned release.
func takeLock(ctx context.Context, locks js.Value, wait time.Duration) (release js.Value, err error) {
	ch := make(chan outcome, 1)
	var cbs callbacks
	defer cbs.release()
	var hold js.Func // lives as long as the lock: never released
	hold = js.FuncOf(func(_ js.Value, a []js.Value) any {
		if lock := arg(a); lock.IsNull() || lock.IsUndefined() {
			ch <- outcome{err: fmt.Errorf("%w: its lock %q is held", ErrOtherTab, lockName)}
			return nil
		}
		var resolve js.Value
		executor := js.FuncOf(func(_ js.Value, a []js.Value) any { resolve = arg(a); return nil })
		p := js.Global().Get("Promise").New(executor) // runs executor at once
		executor.Release()
		ch <- outcome{v: resolve}
		return p
	})
	err = try(func() {
		options := map[string]any{"ifAvailable": true}
		if wait > 0 {
			options = map[string]any{"signal": js.Global().Get("AbortSignal").Call("timeout", wait.Milliseconds())}
		}
		p := locks.Call("request", lockName, options, hold)
		p.Call("catch", cbs.add(func(a []js.Value) {
			err := fmt.Errorf("%w: the Web Lock: %v", ErrUnavailable, jsError(arg(a)))
			if v := arg(a); wait > 0 && v.Type() == js.TypeObject {
				if name := v.Get("name").String(); name == "TimeoutError" || name == "AbortError" {
					err = fmt.Errorf("%w: its lock %q is held", ErrOtherTab, lockName)
				}
			}
			select { // the request failed before the callback ran
			case ch <- outcome{err: err}:
			default:
			}
		}))
	})
	if err != nil {
		return js.Undefined(), fmt.Errorf("%w: the Web Lock: %v", ErrUnavailable, err)
	}
	return receive(ctx, ch, nil)
}

// open opens the database, creating its stores on the first visit, and
// reads the meta entry.
func (s *Store) open(ctx context.Context, idb js.Value) error {
	var req js.Value
	if err := try(func() { req = idb.Call("open", dbName, dbVersion) }); err != nil {
		return fmt.Errorf("%w: opening IndexedDB: %v", ErrUnavailable, err)
	}
	db, err := awaitRequest(ctx, req, func(db js.Value) {
		names := db.Get("objectStoreNames")
		for _, name := range []string{runsStore, metaStore} {
			if !names.Call("contains", name).Bool() {
				db.Call("createObjectStore", name)
			}
		}
	})
	if err != nil {
		return fmt.Errorf("%w: opening IndexedDB: %v", ErrUnavailable, err)
	}
	s.db = db
	text, err := s.readMeta(ctx)
	if err != nil {
		return err
	}
	if text.Type() == js.TypeString {
		if s.meta, err = decodeMeta(text.String()); err != nil {
			s.stale = true
		}
	}
	return nil
}

// readMeta returns the meta entry (undefined when none is stored).
func (s *Store) readMeta(ctx context.Context) (js.Value, error) {
	var req js.Value
	if err := try(func() {
		req = s.db.Call("transaction", metaStore, "readonly").Call("objectStore", metaStore).Call("get", metaKey)
	}); err != nil {
		return js.Undefined(), fmt.Errorf("reading the stored experiment: %w", err)
	}
	v, err := awaitRequest(ctx, req, nil)
	if err != nil {
		return js.Undefined(), fmt.Errorf("reading the stored experiment: %w", err)
	}
	return v, nil
}

// Close gives up the tab's ownership and closes the database; the Store
// is not to be used after. The page need not call it: leaving the page
// does the same.
func (s *Store) Close() {
	if s.stopBeat != nil {
		s.stopBeat()
	}
	if s.release.Type() == js.TypeFunction {
		s.release.Invoke()
	}
	if !s.db.IsUndefined() && !s.db.IsNull() {
		s.db.Call("close")
	}
}

// Save stores snap: the runs whose revision changed, the meta entry, and
// deletes the runs no longer present, in one transaction (see the package
// doc), within the size bound. If the browser refuses the write as over
// its quota, Save leaves out the oldest runs until the experiment is no
// larger than what was stored before, which fitted, and tries once more
// (see retry); ErrQuota if that fails too. A Save that waits for another,
// and is overtaken by a newer one, returns Saved{Superseded: true}.
func (s *Store) Save(ctx context.Context, snap Snapshot) (Saved, error) {
	if err := snap.check(); err != nil {
		return Saved{}, fmt.Errorf("saving the experiment: %w", err)
	}
	snap.Runs = slices.Clone(snap.Runs) // encode fills in Data
	return s.saves.do(ctx, func() (Saved, error) {
		if err := s.encode(ctx, snap.Runs); err != nil {
			return Saved{}, err
		}
		c := plan(s.meta, snap, MaxBytes)
		err := s.write(ctx, c)
		if errorName(err) == "QuotaExceededError" {
			c, err = s.retry(ctx, snap)
		}
		if err != nil {
			return Saved{}, fmt.Errorf("saving the experiment: %w", err)
		}
		s.meta, s.stale = c.meta, false
		return Saved{Written: len(c.put), Deleted: len(c.del), Bytes: c.meta.bytes(), Dropped: c.dropped}, nil
	})
}

// encode calls the Encode of each run that is to be written and has no
// Data yet, handing the page's thread back to the browser between runs
// (an encoding takes it whole: a goroutine of WebAssembly runs until it
// waits), so that frames are drawn between them. It sets Data in runs,
// which is Save's own copy of the snapshot's runs.
func (s *Store) encode(ctx context.Context, runs []Entry) error {
	for i, r := range runs {
		if r.Data != nil {
			continue
		}
		if st, ok := s.meta.find(r.Key); ok && st.Revision == r.Revision {
			continue
		}
		if err := yield(ctx); err != nil {
			return err
		}
		runs[i].Data = r.Encode()
	}
	return nil
}

// retry saves snap after a quota error, within the bytes stored before
// (which fitted), in two transactions: the first deletes the runs that go
// (and rewrites the meta entry without them), the second writes the rest.
// When the selected run alone is larger than that, retry gives up
// (ErrQuota) and deletes nothing. Two transactions because Chromium checks a transaction's new bytes against the quota
// before counting what it deletes, so a transaction that replaces half of
// the quota's worth of runs fails even when the result is no larger. Each
// transaction leaves a consistent experiment, the first a smaller one.
func (s *Store) retry(ctx context.Context, snap Snapshot) (change, error) {
	budget := s.meta.bytes()
	c := plan(s.meta, snap, budget)
	if over := c.meta.bytes(); over > budget { // the selected run alone is too large
		return change{}, fmt.Errorf("%w: the selected run needs %d bytes, %d fitted before", ErrQuota, over, budget)
	}
	if len(c.del) > 0 {
		shrunk := s.meta.without(c.del)
		if err := s.write(ctx, change{del: c.del, meta: shrunk}); err != nil {
			return change{}, err
		}
		s.meta, s.stale = shrunk, false
		c = plan(s.meta, snap, budget)
	}
	err := s.write(ctx, c)
	if errorName(err) == "QuotaExceededError" {
		err = fmt.Errorf("%w: %v", ErrQuota, err)
	}
	return c, err
}

// write carries out c in one readwrite transaction. It puts one run at a
// time, the next from the callback of the one before (which keeps the
// transaction open): copying a record into JavaScript and IndexedDB's
// cloning of it take the page's thread, so each run is a task of its own,
// and frames are drawn between them, rather than one long task for the
// whole experiment.
func (s *Store) write(ctx context.Context, c change) error {
	var cbs callbacks
	defer cbs.release()
	var failed error // a put that could not be made in a callback
	err := s.transact(ctx, []any{runsStore, metaStore}, func(tx js.Value) {
		runs := tx.Call("objectStore", runsStore)
		if s.stale {
			runs.Call("clear")
		}
		for _, key := range c.del {
			runs.Call("delete", key)
		}
		puts := c.put
		var next func()
		next = func() {
			if len(puts) == 0 {
				tx.Call("objectStore", metaStore).Call("put", c.meta.encode(), metaKey)
				return
			}
			e := puts[0]
			puts = puts[1:]
			b := js.Global().Get("Uint8Array").New(len(e.Data))
			js.CopyBytesToJS(b, e.Data)
			runs.Call("put", b, e.Key).Set("onsuccess", cbs.add(func([]js.Value) {
				if err := try(next); err != nil {
					failed = err
					_ = try(func() { tx.Call("abort") })
				}
			}))
		}
		next()
	})
	if failed != nil {
		return failed
	}
	return err
}

// Load reads the stored experiment back: an empty Snapshot when none is
// stored, ErrDamaged when what is stored does not read as one.
func (s *Store) Load(ctx context.Context) (Snapshot, error) {
	if s.stale {
		return Snapshot{}, fmt.Errorf("%w: its list of runs cannot be read", ErrDamaged)
	}
	var metaReq, keysReq, valuesReq js.Value
	if err := try(func() {
		tx := s.db.Call("transaction", []any{runsStore, metaStore}, "readonly")
		metaReq = tx.Call("objectStore", metaStore).Call("get", metaKey)
		runs := tx.Call("objectStore", runsStore)
		keysReq, valuesReq = runs.Call("getAllKeys"), runs.Call("getAll")
	}); err != nil {
		return Snapshot{}, fmt.Errorf("reading the stored experiment: %w", err)
	}
	var results [3]js.Value
	for i, req := range []js.Value{metaReq, keysReq, valuesReq} {
		v, err := awaitRequest(ctx, req, nil)
		if err != nil {
			return Snapshot{}, fmt.Errorf("reading the stored experiment: %w", err)
		}
		results[i] = v
	}
	if results[0].Type() != js.TypeString {
		return Snapshot{}, nil
	}
	m, err := decodeMeta(results[0].String())
	if err != nil {
		return Snapshot{}, err
	}
	data := make(map[string][]byte, results[1].Length())
	for i := range results[1].Length() {
		k, v := results[1].Index(i), results[2].Index(i)
		if k.Type() != js.TypeString || !v.InstanceOf(js.Global().Get("Uint8Array")) {
			return Snapshot{}, fmt.Errorf("%w: entry %d is not a run's record", ErrDamaged, i)
		}
		b := make([]byte, v.Length())
		js.CopyBytesToGo(b, v)
		data[k.String()] = b
	}
	return snapshotOf(m, data)
}

// Clear deletes the stored experiment.
func (s *Store) Clear(ctx context.Context) error {
	_, err := s.saves.do(ctx, func() (Saved, error) {
		err := s.transact(ctx, []any{runsStore, metaStore}, func(tx js.Value) {
			tx.Call("objectStore", runsStore).Call("clear")
			tx.Call("objectStore", metaStore).Call("delete", metaKey)
		})
		if err != nil {
			return Saved{}, err
		}
		s.meta, s.stale = meta{}, false
		return Saved{}, nil
	})
	if err != nil {
		return fmt.Errorf("clearing the stored experiment: %w", err)
	}
	return nil
}
