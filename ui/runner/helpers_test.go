package runner

import (
	"math"
	"reflect"
	"sync"
	"testing"
)

// loadLibrary parses the bundled sets once for all tests.
var loadLibrary = sync.OnceValues(LoadLibrary)

func testLibrary(t testing.TB) *Library {
	t.Helper()
	lib, err := loadLibrary()
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

// sameBits reports whether a and b are deeply equal with every float64
// compared bit for bit (so NaN equals the same NaN, and 0 differs from −0).
func sameBits(a, b any) bool { return sameValue(reflect.ValueOf(a), reflect.ValueOf(b)) }

func sameValue(a, b reflect.Value) bool {
	if a.IsValid() != b.IsValid() || (a.IsValid() && a.Type() != b.Type()) {
		return false
	}
	if !a.IsValid() {
		return true
	}
	switch a.Kind() {
	case reflect.Float64, reflect.Float32:
		return math.Float64bits(a.Float()) == math.Float64bits(b.Float())
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		fallthrough
	case reflect.Array:
		for i := 0; i < a.Len(); i++ {
			if !sameValue(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !sameValue(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Interface, reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return sameValue(a.Elem(), b.Elem())
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}

// drive sends commands to e, then works until it is no longer busy (at
// most limit units of work), and returns every event.
func drive(t testing.TB, e *Engine, limit int, commands ...Command) []Event {
	t.Helper()
	for _, c := range commands {
		e.Handle(c)
	}
	events := e.TakeEvents()
	for units := 0; e.Busy(); units++ {
		if units == limit {
			t.Fatalf("still busy after %d units of work", limit)
		}
		e.Work(0) // one unit
		events = append(events, e.TakeEvents()...)
	}
	return events
}

// eventsOf returns the events of type T, in order.
func eventsOf[T Event](events []Event) []T {
	var out []T
	for _, ev := range events {
		if v, ok := ev.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

// unitsForever bounds a run's units of work in tests that expect it to end.
const unitsForever = 1_000_000
