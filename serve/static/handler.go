package static

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"
)

// Options configures a [Handler].
type Options struct {
	// Log receives one line per request:
	//	METHOD PATH STATUS BYTESB DURATION ENCODING
	// Nil means os.Stderr; pass io.Discard to silence the handler.
	Log io.Writer
}

// Handler serves the files below one directory; see the package
// documentation for the rules it applies. Create it with [NewHandler].
// A Handler is safe for concurrent use.
type Handler struct {
	dir   string      // absolute path of the root directory
	log   *log.Logger // one line per request
	cache digestCache // per-file ETags and gzip bytes

	// compressions counts gzip compressions performed; tests use it to
	// check that a file version is compressed only once.
	compressions atomic.Int64
}

// NewHandler returns a Handler serving the directory root. It fails if root
// does not exist or is not a directory.
//
// The directory is reopened on every request rather than held open, so a
// build that deletes and recreates root is picked up without a restart.
func NewHandler(root string, opts Options) (*Handler, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("static: root %q: %w", root, err)
	}
	info, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("static: root directory %q: %w", root, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("static: root %q is not a directory", root)
	}
	out := opts.Log
	if out == nil {
		out = os.Stderr
	}
	return &Handler{dir: abs, log: log.New(out, "", 0)}, nil
}

// ServeHTTP serves the file named by r.URL.Path.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w, head: r.Method == http.MethodHead}
	h.serve(rec, r)
	status := rec.status
	if status == 0 {
		status = http.StatusOK // nothing written at all
	}
	encoding := rec.Header().Get("Content-Encoding")
	if encoding == "" {
		encoding = "-"
	}
	h.log.Printf("%s %s %d %dB %s %s", r.Method, r.URL.EscapedPath(), status,
		rec.bytes, time.Since(start).Round(time.Microsecond), encoding)
}

// serve does the work of ServeHTTP, writing to the recorder in w.
func (h *Handler) serve(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Content-Security-Policy", ContentSecurityPolicy)
	hdr.Set("Referrer-Policy", ReferrerPolicy)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, statusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	name, err := resolvePath(r.URL.Path)
	if err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, errHidden) {
			status = http.StatusNotFound
		}
		http.Error(w, statusText(status), status)
		return
	}

	root, err := os.OpenRoot(h.dir)
	if err != nil {
		fail(w, err)
		return
	}
	defer root.Close()

	name, redirect, err := findFile(root, name, strings.HasSuffix(r.URL.Path, "/"))
	if err != nil {
		fail(w, err)
		return
	}
	if redirect {
		to := r.URL.EscapedPath() + "/"
		if r.URL.RawQuery != "" {
			to += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, to, http.StatusMovedPermanently)
		return
	}
	h.serveFile(w, r, root, name)
}

// findFile maps a resolved name to the regular file to serve. A directory
// is served through its index.html; if the request did not end in "/",
// redirect reports that the client should add it instead.
func findFile(root *os.Root, name string, slash bool) (file string, redirect bool, err error) {
	info, err := root.Stat(name)
	if err != nil {
		return "", false, err
	}
	if info.IsDir() {
		index := path.Join(name, "index.html")
		if info, err = root.Stat(index); err != nil {
			return "", false, err
		}
		if !info.Mode().IsRegular() {
			return "", false, fs.ErrNotExist
		}
		return index, !slash, nil
	}
	if slash || !info.Mode().IsRegular() {
		// "/file/" names no file; devices, pipes and sockets are never served.
		return "", false, fs.ErrNotExist
	}
	return name, false, nil
}

// serveFile writes the file name in its best representation for r.
func (h *Handler) serveFile(w http.ResponseWriter, r *http.Request, root *os.Root, name string) {
	f, err := root.Open(name)
	if err != nil {
		fail(w, err)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		fail(w, err)
		return
	}
	if !info.Mode().IsRegular() {
		fail(w, fs.ErrNotExist) // replaced by something else since findFile
		return
	}
	ext := strings.ToLower(path.Ext(name))
	compressible := isCompressible(ext)
	d, err := h.cache.get(name, info, func() (*digest, error) {
		return h.makeDigest(f, info.Size(), compressible)
	})
	if err != nil {
		fail(w, err)
		return
	}

	hdr := w.Header()
	hdr.Set("Content-Type", contentType(ext))
	hdr.Set("Cache-Control", "no-cache")
	if compressible {
		hdr.Add("Vary", "Accept-Encoding")
	}
	if d.gzip != nil && acceptsGzip(r.Header.Values("Accept-Encoding")) {
		hdr.Set("ETag", d.gzipETag)
		http.ServeContent(&gzipLabel{ResponseWriter: w}, r, name, info.ModTime(), bytes.NewReader(d.gzip))
		return
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		fail(w, err)
		return
	}
	hdr.Set("ETag", d.etag)
	http.ServeContent(w, r, name, info.ModTime(), f)
}

// fail answers with the status that fits err. Everything that is not a
// permission problem, including a symlink escaping the root, is 404.
func fail(w http.ResponseWriter, err error) {
	status := http.StatusNotFound
	switch {
	case errors.Is(err, fs.ErrPermission):
		status = http.StatusForbidden
	case errors.Is(err, errRead):
		status = http.StatusInternalServerError
	}
	http.Error(w, statusText(status), status)
}

// statusText is the plain-text body of an error response.
func statusText(status int) string {
	return fmt.Sprintf("%d %s", status, strings.ToLower(http.StatusText(status)))
}

// gzipLabel marks 200 and 206 responses as gzip-encoded when their status
// is written. Setting Content-Encoding before calling http.ServeContent
// instead would make ServeContent leave out Content-Length, and would
// mislabel the plain-text bodies of its error responses.
type gzipLabel struct {
	http.ResponseWriter
	wroteHeader bool
}

// WriteHeader labels a successful response as gzip before sending it.
func (g *gzipLabel) WriteHeader(status int) {
	if !g.wroteHeader {
		g.wroteHeader = true
		if status == http.StatusOK || status == http.StatusPartialContent {
			g.Header().Set("Content-Encoding", "gzip")
		}
	}
	g.ResponseWriter.WriteHeader(status)
}

// Write sends body bytes, writing an implicit 200 header first.
func (g *gzipLabel) Write(p []byte) (int, error) {
	if !g.wroteHeader {
		g.WriteHeader(http.StatusOK)
	}
	return g.ResponseWriter.Write(p)
}

// recorder remembers the status and body size of a response for the log.
type recorder struct {
	http.ResponseWriter
	head   bool // HEAD request: the server discards body writes
	status int
	bytes  int64
}

// WriteHeader records the status for the log line.
func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

// Write counts the body bytes for the log line.
func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(p)
	if !r.head {
		r.bytes += int64(n)
	}
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
