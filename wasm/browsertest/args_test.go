//go:build !js

package browsertest

import (
	"strings"
	"testing"
)

// TestHostileArguments passes window.convlab arguments that throw while
// they are read — getters, Proxies, an array or a typed array whose length
// throws, a revoked Proxy — and arguments too large to read or of the
// wrong kind. Each call must answer
// {error} naming what went wrong, no exception may escape, and the page
// must keep working.
func TestHostileArguments(t *testing.T) {
	p := openPage(t, "", desktop)
	const pixels = `new Array(784).fill(0)`
	for _, tc := range []struct {
		name, call, want string
	}{
		{"start: a getter that throws", `window.convlab.start({get lr() { throw new Error("getter boom"); }})`, "getter boom"},
		{"start: a Proxy whose get throws", `window.convlab.start(new Proxy({lr: 1}, {get() { throw new Error("get boom"); }}))`, "get boom"},
		{"start: a Proxy whose ownKeys throws", `window.convlab.start(new Proxy({}, {ownKeys() { throw new Error("keys boom"); }}))`, "keys boom"},
		{"start: a revoked Proxy", `(() => { const r = Proxy.revocable({}, {}); r.revoke(); return window.convlab.start(r.proxy); })()`, "revoked"},
		{"classify: an array whose length throws", `window.convlab.classify(new Proxy(` + pixels + `, {get(t, k) { if (k === "length") throw new Error("length boom"); return t[k]; }}))`, "length boom"},
		{"classify: a pixel whose getter throws", `(() => { const a = ` + pixels + `; Object.defineProperty(a, 5, {get() { throw new Error("pixel boom"); }}); return window.convlab.classify(a); })()`, "pixel boom"},
		{"classify: a Proxy whose get throws", `window.convlab.classify(new Proxy(` + pixels + `, {get() { throw new Error("proxy boom"); }}))`, "proxy boom"},
		{"classify: a revoked Proxy", `(() => { const r = Proxy.revocable([], {}); r.revoke(); return window.convlab.classify(r.proxy); })()`, "revoked"},
		{"classify: an array of a billion entries", `window.convlab.classify(new Array(1e9))`, "at most"},
		{"classify: a typed array whose length throws", `(() => { const a = new Float32Array(784); Object.defineProperty(a, "length", {get() { throw new Error("typed length boom"); }}); return window.convlab.classify(a); })()`, "typed length boom"},
		{"classify: a typed array whose prototype's length throws", `(() => { const a = new Float64Array(784); Object.setPrototypeOf(a, {get length() { throw new Error("prototype boom"); }}); return window.convlab.classify(a); })()`, "prototype boom"},
		{"classify: a Proxy of a typed array whose get throws", `window.convlab.classify(new Proxy(new Float32Array(784), {get() { throw new Error("typed proxy boom"); }}))`, "typed proxy boom"},
		{"classify: a typed array of 5,000 entries", `window.convlab.classify(new Uint8Array(5000))`, "at most"},
		{"classify: a typed array of NaN", `(() => { const a = new Float64Array(784); a[3] = NaN; return window.convlab.classify(a); })()`, "pixel 3 is NaN"},
		{"classify: a typed array of bigints", `window.convlab.classify(new BigInt64Array(784))`, "pixel 0 is a bigint"},
		{"classify: a DataView", `window.convlab.classify(new DataView(new ArrayBuffer(784)))`, "not an object"},
		{"classify: an Array holding a bigint", `window.convlab.classify(Array.from({length: 784}, (_, i) => i === 7 ? 1n : 0))`, "pixel 7 is a bigint"},
		{"classify: a typed array whose length is a bigint", `(() => { const a = new Float32Array(784); Object.defineProperty(a, "length", {value: 784n}); return window.convlab.classify(a); })()`, "length is a bigint"},
		{"start: a bigint setting", `window.convlab.start({lr: 1n})`, "a bigint"},
		{"start: an object of 10,000 keys", `window.convlab.start(Object.fromEntries(Array.from({length: 10000}, (_, i) => ["k" + i, i])))`, "at most"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p.t = t
			r := evaluate[map[string]any](p, `(async () => {
				try { return await `+tc.call+`; } catch (e) { return {escaped: String(e)}; }
			})()`)
			if e, ok := r["escaped"]; ok {
				t.Fatalf("an exception escaped: %v", e)
			}
			msg, _ := r["error"].(string)
			if !strings.Contains(msg, tc.want) {
				t.Errorf("result %v, want {error} mentioning %q", r, tc.want)
			}
		})
	}
	p.t = t
	// The page still answers and trains.
	if r := evaluate[map[string]any](p, `window.convlab.step()`); r["ok"] != true {
		t.Fatalf("step() after the hostile calls = %v, want {ok: true}", r)
	}
	p.waitFor(`window.convlab.status().imagesTrained > 0`, evalTimeout)
	if probs := evaluate[[]float64](p, `window.convlab.classify(`+pixels+`)`); len(probs) != 10 {
		t.Errorf("classify() of a blank image gives %v", probs)
	}
	p.expectNoConsoleErrors()
}
