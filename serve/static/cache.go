package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"sync"
	"time"
)

// maxCompressSize is the largest file compressed in memory; bigger files
// are always sent as they are.
const maxCompressSize = 64 << 20

// errRead marks a failure to read a file that was already open.
var errRead = errors.New("static: reading file")

// digest is what the handler remembers about one version of a file.
type digest struct {
	etag     string // strong ETag of the file's bytes
	gzip     []byte // gzip-compressed file, nil when not sent compressed
	gzipETag string // strong ETag of gzip
}

// digestCache holds one digest per file name, valid for the modification
// time and size the file had when the digest was made. A lookup with a
// different time or size rebuilds the digest, so a rebuilt file is
// rehashed and recompressed while the map never holds more than one
// version per name.
type digestCache struct {
	mu      sync.Mutex
	entries map[string]*cacheEntry
}

// cacheEntry is one cached digest; done is closed once d or err is set, so
// concurrent first requests for a file wait for a single build.
type cacheEntry struct {
	modTime time.Time
	size    int64
	done    chan struct{}
	d       *digest
	err     error
}

// get returns the digest of the file version described by info, calling
// build to make it if the cache has none. A failed build is not cached.
func (c *digestCache) get(name string, info fs.FileInfo, build func() (*digest, error)) (*digest, error) {
	c.mu.Lock()
	e := c.entries[name]
	if e != nil && e.modTime.Equal(info.ModTime()) && e.size == info.Size() {
		c.mu.Unlock()
		<-e.done
		return e.d, e.err
	}
	e = &cacheEntry{modTime: info.ModTime(), size: info.Size(), done: make(chan struct{})}
	if c.entries == nil {
		c.entries = make(map[string]*cacheEntry)
	}
	c.entries[name] = e
	c.mu.Unlock()

	defer close(e.done)
	e.d, e.err = build()
	if e.err != nil {
		c.mu.Lock()
		if c.entries[name] == e {
			delete(c.entries, name)
		}
		c.mu.Unlock()
	}
	return e.d, e.err
}

// makeDigest reads a file of the given size from r, hashes it and, when it
// is compressible and small enough, compresses it.
func (h *Handler) makeDigest(r io.Reader, size int64, compressible bool) (*digest, error) {
	sum := sha256.New()
	if !compressible || size > maxCompressSize {
		if _, err := io.Copy(sum, r); err != nil {
			return nil, fmt.Errorf("%w: %w", errRead, err)
		}
		return &digest{etag: etag(sum, "")}, nil
	}
	data := bytes.NewBuffer(make([]byte, 0, size))
	if _, err := io.Copy(io.MultiWriter(data, sum), r); err != nil {
		return nil, fmt.Errorf("%w: %w", errRead, err)
	}
	d := &digest{etag: etag(sum, "")}
	gz := h.compress(data.Bytes())
	if len(gz) < data.Len() {
		sum.Reset()
		sum.Write(gz)
		d.gzip, d.gzipETag = gz, etag(sum, "-gz")
	}
	return d, nil
}

// compress returns data gzip-compressed at the best ratio: each file is
// compressed once and cached, so the extra second it takes for a large
// .wasm is paid once, and every visitor downloads less.
func (h *Handler) compress(data []byte) []byte {
	h.compressions.Add(1)
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // a valid level cannot fail
	zw.Write(data)                                           // writes to a bytes.Buffer cannot fail
	zw.Close()
	return buf.Bytes()
}

// etag formats the first 96 bits of a hash as a strong entity tag.
func etag(sum hash.Hash, suffix string) string {
	return `"` + hex.EncodeToString(sum.Sum(nil)[:12]) + suffix + `"`
}
