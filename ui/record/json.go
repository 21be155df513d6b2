package record

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// writer appends JSON. Keys and values are written in the order they
// come; the caller writes the commas' places with key.
type writer struct {
	b     []byte
	first bool // no member written yet in the current object or array
}

func (w *writer) open(c byte)  { w.b = append(w.b, c); w.first = true }
func (w *writer) close(c byte) { w.b = append(w.b, c); w.first = false }

// sep writes a comma unless this is the first member.
func (w *writer) sep() {
	if !w.first {
		w.b = append(w.b, ',')
	}
	w.first = false
}

// key starts an object member.
func (w *writer) key(k string) {
	w.sep()
	w.b = strconv.AppendQuote(w.b, k)
	w.b = append(w.b, ':')
	w.first = true // the value is not a member of its own
}

func (w *writer) str(v string) {
	s, _ := json.Marshal(v) // a string always marshals
	w.b = append(w.b, s...)
	w.first = false
}

func (w *writer) int(v int64) { w.b = strconv.AppendInt(w.b, v, 10); w.first = false }

func (w *writer) boolean(v bool) { w.b = strconv.AppendBool(w.b, v); w.first = false }

// float writes a float64 as a string in Go's shortest exact form.
func (w *writer) float(v float64) { w.str(strconv.FormatFloat(v, 'g', -1, 64)) }

// floats writes float64s as the base64 of their little-endian bytes.
func (w *writer) floats(v []float64) {
	raw := make([]byte, 0, 8*len(v))
	for _, x := range v {
		raw = binary.LittleEndian.AppendUint64(raw, math.Float64bits(x))
	}
	w.str(base64.StdEncoding.EncodeToString(raw))
}

// ints writes a JSON array of integers.
func (w *writer) ints(v []int) {
	w.open('[')
	for _, x := range v {
		w.sep()
		w.int(int64(x))
	}
	w.close(']')
}

// tensors writes one base64 string per slice.
func (w *writer) tensors(v [][]float64) {
	w.open('[')
	for _, t := range v {
		w.sep()
		w.floats(t)
	}
	w.close(']')
}

// object is a JSON object read strictly: its members, each key once, and
// exactly the keys asked for. Its getters record the first error, with the
// path of what was wrong, and return zero values after it.
type object struct {
	path    string
	members map[string]json.RawMessage
	err     *error // shared by every object of one decoding
}

// readObject reads raw as an object with exactly the given keys.
func readObject(raw json.RawMessage, path string, errp *error, keys ...string) *object {
	o := &object{path: path, members: map[string]json.RawMessage{}, err: errp}
	if *errp != nil {
		return o
	}
	if err := o.read(raw, keys); err != nil {
		*errp = fmt.Errorf("%s: %w", path, err)
	}
	return o
}

func (o *object) read(raw json.RawMessage, keys []string) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return fmt.Errorf("want an object, not %s", preview(raw))
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		k := t.(string) // inside an object, json.Decoder returns keys as strings
		if _, dup := o.members[k]; dup {
			return fmt.Errorf("key %q appears twice", k)
		}
		if !contains(keys, k) {
			return fmt.Errorf("unknown key %q (the keys are %q)", k, keys)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return fmt.Errorf("%q: %w", k, err)
		}
		o.members[k] = v
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	for _, k := range keys {
		if _, ok := o.members[k]; !ok {
			return fmt.Errorf("key %q is missing", k)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// preview shows the start of a raw value in a message.
func preview(raw []byte) string {
	const n = 20
	if len(raw) > n {
		return string(raw[:n]) + "…"
	}
	if len(raw) == 0 {
		return "nothing"
	}
	return string(raw)
}

// fail records err at key, unless an error came first.
func (o *object) fail(key string, err error) {
	if *o.err == nil {
		*o.err = fmt.Errorf("%s.%s: %w", o.path, key, err)
	}
}

// raw returns key's value, failing for null.
func (o *object) raw(key string) json.RawMessage {
	if *o.err != nil {
		return nil
	}
	v := o.members[key]
	if string(v) == "null" {
		o.fail(key, errors.New("null is not a value here"))
		return nil
	}
	return v
}

// isNull reports whether key's value is null.
func (o *object) isNull(key string) bool { return string(o.members[key]) == "null" }

// decode unmarshals key's value into v.
func (o *object) decode(key string, v any) {
	if raw := o.raw(key); raw != nil {
		if err := json.Unmarshal(raw, v); err != nil {
			o.fail(key, err)
		}
	}
}

// int reads an integer in [lo, hi].
func (o *object) int(key string, lo, hi int64) int64 {
	var v int64
	o.decode(key, &v)
	if *o.err == nil && (v < lo || v > hi) {
		o.fail(key, fmt.Errorf("%d is outside [%d, %d]", v, lo, hi))
		return 0
	}
	return v
}

// str reads a string of at most max bytes.
func (o *object) str(key string, max int) string {
	var v string
	o.decode(key, &v)
	if len(v) > max {
		o.fail(key, fmt.Errorf("a string of %d bytes, at most %d allowed", len(v), max))
		return ""
	}
	return v
}

// float reads a float64 written as a string.
func (o *object) float(key string) float64 {
	s := o.str(key, 32)
	if *o.err != nil {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		o.fail(key, fmt.Errorf("%q is not a number", s))
	}
	return v
}

// floats reads n float64s written as base64 (any number if n < 0).
func (o *object) floats(key string, n int) []float64 {
	v, err := unfloats(o.str(key, MaxBytes), n)
	if err != nil {
		o.fail(key, err)
	}
	return v
}

func unfloats(s string, n int) ([]float64, error) {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, errors.New("not base64")
	}
	if len(raw)%8 != 0 || (n >= 0 && len(raw) != 8*n) {
		return nil, fmt.Errorf("%d bytes of float64s, want %d values", len(raw), n)
	}
	v := make([]float64, len(raw)/8)
	for i := range v {
		v[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
	}
	return v, nil
}

// list reads an array of at most max elements.
func (o *object) list(key string, max int) []json.RawMessage {
	var v []json.RawMessage
	o.decode(key, &v)
	if len(v) > max {
		o.fail(key, fmt.Errorf("%d entries, at most %d allowed", len(v), max))
		return nil
	}
	return v
}

// ints reads an array of exactly n integers (any number up to max when
// n < 0) in [lo, hi].
func (o *object) ints(key string, n, max int, lo, hi int) []int {
	var v []int
	o.decode(key, &v)
	switch {
	case *o.err != nil:
		return nil
	case n >= 0 && len(v) != n:
		o.fail(key, fmt.Errorf("%d entries, want %d", len(v), n))
		return nil
	case len(v) > max:
		o.fail(key, fmt.Errorf("%d entries, at most %d allowed", len(v), max))
		return nil
	}
	for i, x := range v {
		if x < lo || x > hi {
			o.fail(key, fmt.Errorf("entry %d is %d, outside [%d, %d]", i, x, lo, hi))
			return nil
		}
	}
	return v
}

// child reads key's value as an object with exactly the given keys.
func (o *object) child(key string, keys ...string) *object {
	return readObject(o.raw(key), o.path+"."+key, o.err, keys...)
}
