//go:build js && wasm

package data

import "sync"

// Files holds files by name that a program already has (the page, MNIST's
// full files it downloaded; a worker, those the page posted it), so that a
// Loader need not fetch them again. It is safe for concurrent use.
type Files struct {
	mu    sync.Mutex
	files map[string][]byte
}

// Put keeps content as the file name.
func (f *Files) Put(name string, content []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.files == nil {
		f.files = map[string][]byte{}
	}
	f.files[name] = content
}

// All returns every file held, by name (the map is a copy; the contents
// are shared).
func (f *Files) All() map[string][]byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[string][]byte, len(f.files))
	for k, v := range f.files {
		out[k] = v
	}
	return out
}

// Fetcher returns a Fetcher that gives the files held and fetches the
// others with next. With take set, a file is let go once given (a worker
// parses each once, and the Loader keeps the result).
func (f *Files) Fetcher(next Fetcher, take bool) Fetcher {
	return func(name string) ([]byte, error) {
		f.mu.Lock()
		content, ok := f.files[name]
		if ok && take {
			delete(f.files, name)
		}
		f.mu.Unlock()
		if ok {
			return content, nil
		}
		return next(name)
	}
}
