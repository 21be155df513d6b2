//go:build js && wasm

// Command storetest drives package store in a page of its own, for the
// browser tests (wasm/browsertest's store_test.go), which build it and
// serve it with index.html and storetest.js. It installs window.storeTest,
// whose methods return promises of plain objects:
//
//	open()      {ok} or {error, kind, notice}: Open
//	save(spec)  Save of the snapshot spec describes (JSON, see saveSpec),
//	            {written, deleted, bytes, dropped, superseded, hashes, encoded, ms}
//	            or {error, kind}
//
// and storetest.js installs window.storeLongest(), the longest task of the
// page's main thread (ms, 0 if none took over 50 ms) since its last call.
//
//	load()      {selected, settings, runs: [{key, revision, bytes, hash}], ms} or {error, kind}
//	clear()     {ok} or {error, kind}
//	close()     {ok}: Close
//	codec(url)  {decodeMs, encodeMs, bytes}: record.DecodeRun and
//	            record.EncodeRun of the record at url, timed
//
// kind names the store's error ("othertab", "unavailable", "quota",
// "damaged" or "other"); hash is a record's SHA-256, in hex.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"syscall/js"
	"time"

	"convlab/ui/record"
	"convlab/wasm/store"
)

func main() {
	t := &tester{sources: map[string][]byte{}}
	api := js.Global().Get("Object").New()
	api.Set("open", promised(func([]js.Value) (any, error) { return t.open() }))
	api.Set("save", promised(func(a []js.Value) (any, error) { return t.save(a) }))
	api.Set("load", promised(func([]js.Value) (any, error) { return t.load() }))
	api.Set("clear", promised(func([]js.Value) (any, error) { return t.clear() }))
	api.Set("codec", promised(func(a []js.Value) (any, error) { return t.codec(a) }))
	api.Set("close", promised(func([]js.Value) (any, error) { t.s.Close(); t.s = nil; return ok, nil }))
	js.Global().Set("storeTest", api)
	select {}
}

var ok = map[string]any{"ok": true}

// tester holds the page's store and the records fetched from the server.
type tester struct {
	s       *store.Store
	sources map[string][]byte
}

func (t *tester) open() (any, error) {
	s, err := store.Open(context.Background())
	if err != nil {
		return nil, err
	}
	t.s = s
	return ok, nil
}

// saveSpec describes a snapshot: each run's record is the file at Source
// on the server, or else Size pseudo-random bytes drawn from its key and
// revision. Lazy hands the records to Save as Entry.Encode rather than
// Data, and the answer says how many it called (encoded). Hashes asks for the records' SHA-256s in the answer (left out
// of timings of the page's main thread, which it would lengthen).
type saveSpec struct {
	Selected int
	Settings string
	Hashes   bool
	Lazy     bool
	Runs     []struct {
		Key      string
		Revision uint64
		Size     int
		Source   string
	}
}

func (t *tester) save(a []js.Value) (any, error) {
	if t.s == nil {
		return nil, errors.New("not open")
	}
	var spec saveSpec
	if len(a) == 0 || json.Unmarshal([]byte(a[0].String()), &spec) != nil {
		return nil, errors.New("save wants a JSON snapshot spec")
	}
	snap := store.Snapshot{Selected: spec.Selected, Settings: spec.Settings}
	hashes := map[string]any{}
	encoded := 0
	for _, r := range spec.Runs {
		data, err := t.record(r.Key, r.Revision, r.Size, r.Source)
		if err != nil {
			return nil, err
		}
		if spec.Hashes {
			hashes[r.Key] = digest(data)
		}
		e := store.Entry{Key: r.Key, Revision: r.Revision, Data: data}
		if spec.Lazy {
			e.Data, e.Encode = nil, func() []byte { encoded++; return data }
		}
		snap.Runs = append(snap.Runs, e)
	}
	start := time.Now()
	saved, err := t.s.Save(context.Background(), snap)
	if err != nil {
		return nil, err
	}
	dropped := []any{}
	for _, k := range saved.Dropped {
		dropped = append(dropped, k)
	}
	return map[string]any{"written": saved.Written, "deleted": saved.Deleted, "bytes": saved.Bytes,
		"dropped": dropped, "superseded": saved.Superseded, "hashes": hashes, "encoded": encoded, "ms": ms(start)}, nil
}

// record is a run's record as saveSpec describes it.
func (t *tester) record(key string, revision uint64, size int, source string) ([]byte, error) {
	if source == "" {
		h := fnv.New64a()
		h.Write([]byte(key))
		rng := rand.New(rand.NewPCG(h.Sum64(), revision))
		b := make([]byte, size)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b, nil
	}
	if b, ok := t.sources[source]; ok {
		return b, nil
	}
	b, err := fetchBytes(source)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", source, err)
	}
	t.sources[source] = b
	return b, nil
}

func (t *tester) load() (any, error) {
	if t.s == nil {
		return nil, errors.New("not open")
	}
	start := time.Now()
	snap, err := t.s.Load(context.Background())
	if err != nil {
		return nil, err
	}
	took := ms(start)
	runs := []any{}
	for _, r := range snap.Runs {
		runs = append(runs, map[string]any{"key": r.Key, "revision": r.Revision, "bytes": len(r.Data), "hash": digest(r.Data)})
	}
	return map[string]any{"selected": snap.Selected, "settings": snap.Settings, "runs": runs, "ms": took}, nil
}

// codec times decoding and encoding a run's record, what restoring and
// saving a run cost the page besides the store.
func (t *tester) codec(a []js.Value) (any, error) {
	if len(a) == 0 {
		return nil, errors.New("codec wants a URL")
	}
	text, err := t.record("", 0, 0, a[0].String())
	if err != nil {
		return nil, err
	}
	start := time.Now()
	run, err := record.DecodeRun(text)
	if err != nil {
		return nil, err
	}
	decode := ms(start)
	start = time.Now()
	again := record.EncodeRun(run)
	return map[string]any{"decodeMs": decode, "encodeMs": ms(start), "bytes": len(again)}, nil
}

func (t *tester) clear() (any, error) {
	if t.s == nil {
		return nil, errors.New("not open")
	}
	return ok, t.s.Clear(context.Background())
}

func digest(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func ms(start time.Time) float64 { return float64(time.Since(start).Microseconds()) / 1000 }

// fetchBytes fetches url's body.
func fetchBytes(url string) ([]byte, error) {
	ch := make(chan js.Value, 1)
	errc := make(chan error, 1)
	var then, fail js.Func
	then = js.FuncOf(func(_ js.Value, a []js.Value) any { ch <- a[0]; return nil })
	fail = js.FuncOf(func(_ js.Value, a []js.Value) any { errc <- errors.New(a[0].Call("toString").String()); return nil })
	defer then.Release()
	defer fail.Release()
	js.Global().Call("fetch", url).Call("then", js.FuncOf(func(_ js.Value, a []js.Value) any {
		return a[0].Call("arrayBuffer")
	})).Call("then", then, fail)
	select {
	case v := <-ch:
		u := js.Global().Get("Uint8Array").New(v)
		b := make([]byte, u.Length())
		js.CopyBytesToGo(b, u)
		return b, nil
	case err := <-errc:
		return nil, err
	}
}

// promised wraps f as a JavaScript function that returns a promise of
// f's result, run on a goroutine (store's methods block), or of
// {error, kind, notice}.
func promised(f func([]js.Value) (any, error)) js.Func {
	return js.FuncOf(func(_ js.Value, a []js.Value) any {
		var resolve js.Value
		executor := js.FuncOf(func(_ js.Value, r []js.Value) any { resolve = r[0]; return nil })
		p := js.Global().Get("Promise").New(executor)
		executor.Release()
		go func() {
			v, err := f(a)
			if err != nil {
				v = map[string]any{"error": err.Error(), "kind": kind(err), "notice": store.Notice(err)}
			}
			resolve.Invoke(v)
		}()
		return p
	})
}

func kind(err error) string {
	for k, e := range map[string]error{"othertab": store.ErrOtherTab, "unavailable": store.ErrUnavailable,
		"quota": store.ErrQuota, "damaged": store.ErrDamaged} {
		if errors.Is(err, e) {
			return k
		}
	}
	return "other"
}
