package static

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// secret is the content of files outside the served root; no response may
// ever contain it.
const secret = "TOP-SECRET outside the root"

// repeat makes text that gzip shrinks a lot.
func repeat(s string) string { return strings.Repeat(s, 200) }

// fixture is the served tree used by most tests. Paths are relative to the
// root; the root sits in <tmp>/root next to <tmp>/secret.txt and
// <tmp>/outside/secret.txt.
var fixture = map[string]string{
	"index.html":           repeat("<p>convlab index</p>\n"),
	"app.js":               repeat("console.log('convlab');\n"),
	"style.css":            repeat("body { margin: 0; }\n"),
	"data.json":            repeat(`{"layer": "conv"}` + "\n"),
	"app.webmanifest":      repeat(`{"name": "ConvLab"}` + "\n"),
	"icon.svg":             repeat(`<svg xmlns="http://www.w3.org/2000/svg"/>` + "\n"),
	"main.wasm":            "\x00asm\x01\x00\x00\x00" + repeat("wasm code "),
	"img.png":              "\x89PNG\r\n\x1a\n" + repeat("png"),
	"blob.xyz":             repeat("opaque "),
	"small.js":             "x",
	"sub/notes.txt":        "notes in a directory without index\n",
	"withindex/index.html": repeat("<p>nested index</p>\n"),
	".env":                 secret,
	".git/config":          secret,
	"sub/.hidden":          secret,
	".hiddendir/file.txt":  secret,
}

// newFixture writes the fixture and its surroundings to a temporary
// directory and returns the root.
func newFixture(t *testing.T) string {
	t.Helper()
	tmp := t.TempDir()
	root := filepath.Join(tmp, "root")
	files := map[string]string{
		"secret.txt":         secret,
		"outside/secret.txt": secret,
	}
	for name, content := range fixture {
		files["root/"+name] = content
	}
	for name, content := range files {
		writeFile(t, filepath.Join(tmp, filepath.FromSlash(name)), content)
	}
	links := map[string]string{
		"escape":      filepath.Join(tmp, "outside"),               // absolute, leaves root
		"escape-file": filepath.Join(tmp, "outside", "secret.txt"), // absolute, leaves root
		"escape-rel":  "../secret.txt",                             // relative, leaves root
		"inside.js":   "app.js",                                    // stays inside root
		"sub/up.js":   "../app.js",                                 // climbs, stays inside
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(root, filepath.FromSlash(name))); err != nil {
			t.Skipf("symlinks unavailable: %v", err)
		}
	}
	return root
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// newTestHandler serves a fresh fixture and returns the handler, its root
// and its request log.
func newTestHandler(t *testing.T) (*Handler, string, *syncBuffer) {
	t.Helper()
	root := newFixture(t)
	logs := &syncBuffer{}
	h, err := NewHandler(root, Options{Log: logs})
	if err != nil {
		t.Fatal(err)
	}
	return h, root, logs
}

// syncBuffer is a bytes.Buffer safe for the handler's concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// response is a finished response with its body read.
type response struct {
	*http.Response
	body []byte
}

// do sends one request straight to h; header holds name, value pairs.
func do(t *testing.T, h http.Handler, method, target string, header ...string) response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{res, body}
}

// decoded returns the body with any gzip content coding removed.
func (r response) decoded(t *testing.T) string {
	t.Helper()
	if r.Header.Get("Content-Encoding") != "gzip" {
		return string(r.body)
	}
	zr, err := gzip.NewReader(bytes.NewReader(r.body))
	if err != nil {
		t.Fatalf("gzip body: %v", err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gzip body: %v", err)
	}
	return string(plain)
}

func TestContentTypes(t *testing.T) {
	h, _, _ := newTestHandler(t)
	tests := []struct {
		path, want string
	}{
		{"/", "text/html; charset=utf-8"},
		{"/index.html", "text/html; charset=utf-8"},
		{"/app.js", "text/javascript; charset=utf-8"},
		{"/style.css", "text/css; charset=utf-8"},
		{"/data.json", "application/json"},
		{"/app.webmanifest", "application/manifest+json"},
		{"/img.png", "image/png"},
		{"/icon.svg", "image/svg+xml"},
		{"/main.wasm", "application/wasm"},
		{"/blob.xyz", "application/octet-stream"},
	}
	for _, tt := range tests {
		for _, accept := range []string{"identity", "gzip"} {
			t.Run(tt.path+"/"+accept, func(t *testing.T) {
				res := do(t, h, "GET", tt.path, "Accept-Encoding", accept)
				if res.StatusCode != http.StatusOK {
					t.Fatalf("status %d, want 200", res.StatusCode)
				}
				if got := res.Header.Get("Content-Type"); got != tt.want {
					t.Errorf("Content-Type %q, want %q", got, tt.want)
				}
			})
		}
	}
}

func TestGzipNegotiation(t *testing.T) {
	h, _, _ := newTestHandler(t)
	tests := []struct {
		name     string
		accept   []string // Accept-Encoding header lines; nil sends none
		wantGzip bool
	}{
		{"absent", nil, false},
		{"empty", []string{""}, false},
		{"gzip", []string{"gzip"}, true},
		{"browser", []string{"gzip, deflate, br, zstd"}, true},
		{"q=0", []string{"gzip;q=0"}, false},
		{"q=0.000 spaced", []string{"gzip ; q=0.000"}, false},
		{"upper case", []string{"GZIP;Q=0.5"}, true},
		{"x-gzip", []string{"x-gzip"}, true},
		{"other codings only", []string{"deflate, br"}, false},
		{"identity", []string{"identity"}, false},
		{"star", []string{"*"}, true},
		{"star q=0", []string{"*;q=0"}, false},
		{"star but not gzip", []string{"*, gzip;q=0"}, false},
		{"gzip beats star q=0", []string{"*;q=0, gzip;q=0.1"}, true},
		{"low but positive", []string{"br;q=1, gzip;q=0.001"}, true},
		{"malformed q", []string{"gzip;q=high"}, false},
		{"q above 1", []string{"gzip;q=2"}, false},
		{"two header lines", []string{"br", "gzip"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var header []string
			for _, v := range tt.accept {
				header = append(header, "Accept-Encoding", v)
			}
			res := do(t, h, "GET", "/main.wasm", header...)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d, want 200", res.StatusCode)
			}
			gotGzip := res.Header.Get("Content-Encoding") == "gzip"
			if gotGzip != tt.wantGzip {
				t.Errorf("Content-Encoding %q, want gzip=%v", res.Header.Get("Content-Encoding"), tt.wantGzip)
			}
			if got := res.Header.Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("Vary %q, want Accept-Encoding", got)
			}
			if got, want := res.Header.Get("Content-Length"), fmt.Sprint(len(res.body)); got != want {
				t.Errorf("Content-Length %s, body has %s bytes", got, want)
			}
			if got := res.decoded(t); got != fixture["main.wasm"] {
				t.Errorf("decoded body differs from main.wasm (%d bytes, want %d)", len(got), len(fixture["main.wasm"]))
			}
			if tt.wantGzip && len(res.body) >= len(fixture["main.wasm"]) {
				t.Errorf("gzip body is %d bytes, not smaller than %d", len(res.body), len(fixture["main.wasm"]))
			}
		})
	}
}

func TestUncompressedFiles(t *testing.T) {
	h, _, _ := newTestHandler(t)
	tests := []struct {
		path     string
		wantVary bool
	}{
		{"/img.png", false},  // not a compressible type
		{"/blob.xyz", false}, // unknown type
		{"/small.js", true},  // compressible type, but gzip would be larger
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res := do(t, h, "GET", tt.path, "Accept-Encoding", "gzip")
			if ce := res.Header.Get("Content-Encoding"); ce != "" {
				t.Errorf("Content-Encoding %q, want none", ce)
			}
			if got := res.Header.Get("Vary") == "Accept-Encoding"; got != tt.wantVary {
				t.Errorf("Vary %q, want Accept-Encoding=%v", res.Header.Get("Vary"), tt.wantVary)
			}
			if want := fixture[strings.TrimPrefix(tt.path, "/")]; string(res.body) != want {
				t.Errorf("body differs from the file")
			}
		})
	}
}

func TestCompressedOnce(t *testing.T) {
	h, _, _ := newTestHandler(t)
	paths := []string{"/main.wasm", "/app.js", "/", "/style.css"}
	var wg sync.WaitGroup
	for range 8 { // concurrent first requests must share one compression
		for _, p := range paths {
			wg.Go(func() {
				req := httptest.NewRequest("GET", p, nil)
				req.Header.Set("Accept-Encoding", "gzip")
				h.ServeHTTP(httptest.NewRecorder(), req)
			})
		}
	}
	wg.Wait()
	for _, p := range paths { // and later ones must reuse it
		do(t, h, "GET", p, "Accept-Encoding", "gzip")
		do(t, h, "HEAD", p, "Accept-Encoding", "gzip")
		do(t, h, "GET", p) // identity requests never compress
	}
	if got, want := h.compressions.Load(), int64(len(paths)); got != want {
		t.Errorf("%d compressions for %d files, want one each", got, want)
	}
}

func TestRecompressedAfterChange(t *testing.T) {
	h, root, _ := newTestHandler(t)
	file := filepath.Join(root, "app.js")
	get := func() response {
		t.Helper()
		res := do(t, h, "GET", "/app.js", "Accept-Encoding", "gzip")
		if res.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("response not gzipped")
		}
		return res
	}
	// touch rewrites app.js with a modification time clearly after the last
	// one, independent of the file system's timestamp granularity.
	mtime := time.Now()
	touch := func(content string) {
		t.Helper()
		writeFile(t, file, content)
		mtime = mtime.Add(time.Minute)
		if err := os.Chtimes(file, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}

	first := get()
	get()
	if n := h.compressions.Load(); n != 1 {
		t.Fatalf("%d compressions after two requests, want 1", n)
	}

	changed := repeat("console.log('rebuilt');\n")
	touch(changed)
	second := get()
	if n := h.compressions.Load(); n != 2 {
		t.Errorf("%d compressions after a rebuild, want 2", n)
	}
	if got := second.decoded(t); got != changed {
		t.Errorf("served stale content after a rebuild")
	}
	if second.Header.Get("ETag") == first.Header.Get("ETag") {
		t.Errorf("ETag %s did not change with the content", second.Header.Get("ETag"))
	}

	touch(fixture["app.js"]) // new modification time, original bytes
	third := get()
	if n := h.compressions.Load(); n != 3 {
		t.Errorf("%d compressions after a second rebuild, want 3", n)
	}
	if third.Header.Get("ETag") != first.Header.Get("ETag") {
		t.Errorf("ETag %s differs from %s for identical content", third.Header.Get("ETag"), first.Header.Get("ETag"))
	}
}

func TestConditionalAndRange(t *testing.T) {
	h, _, _ := newTestHandler(t)
	plain := do(t, h, "GET", "/main.wasm")
	zipped := do(t, h, "GET", "/main.wasm", "Accept-Encoding", "gzip")
	plainTag, zipTag := plain.Header.Get("ETag"), zipped.Header.Get("ETag")
	if !regexp.MustCompile(`^"[0-9a-f]{24}(-gz)?"$`).MatchString(plainTag) || plainTag == zipTag {
		t.Fatalf("ETags %s (identity) and %s (gzip): want distinct strong tags", plainTag, zipTag)
	}
	wasm := fixture["main.wasm"]
	tests := []struct {
		name       string
		header     []string
		wantStatus int
		wantBody   string // raw body bytes; ignored if "-"
	}{
		{"identity tag matches", []string{"If-None-Match", plainTag}, 304, ""},
		{"gzip tag matches", []string{"If-None-Match", zipTag, "Accept-Encoding", "gzip"}, 304, ""},
		{"tag in a list", []string{"If-None-Match", `"nope", ` + plainTag}, 304, ""},
		{"gzip tag for identity", []string{"If-None-Match", zipTag}, 200, wasm},
		{"identity tag for gzip", []string{"If-None-Match", plainTag, "Accept-Encoding", "gzip"}, 200, "-"},
		{"stale tag", []string{"If-None-Match", `"0123"`}, 200, wasm},
		{"range", []string{"Range", "bytes=0-3"}, 206, "\x00asm"},
		{"range of gzip", []string{"Range", "bytes=0-1", "Accept-Encoding", "gzip"}, 206, "\x1f\x8b"},
		{"if-range stale", []string{"Range", "bytes=0-3", "If-Range", `"0123"`}, 200, wasm},
		{"if-range current", []string{"Range", "bytes=0-3", "If-Range", plainTag}, 206, "\x00asm"},
		{"unsatisfiable range", []string{"Range", "bytes=99999999-"}, 416, "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := do(t, h, "GET", "/main.wasm", tt.header...)
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.wantStatus)
			}
			if tt.wantBody != "-" && string(res.body) != tt.wantBody {
				t.Errorf("body %.20q, want %.20q", res.body, tt.wantBody)
			}
		})
	}
}

func TestCommonHeaders(t *testing.T) {
	h, _, _ := newTestHandler(t)
	tests := []struct {
		method, path string
		wantStatus   int
	}{
		{"GET", "/", 200},
		{"GET", "/index.html", 200},
		{"GET", "/main.wasm", 200},
		{"GET", "/img.png", 200},
		{"GET", "/missing.js", 404},
		{"GET", "/.env", 404},
		{"GET", "/a/../index.html", 400},
		{"GET", "/withindex", 301},
		{"POST", "/", 405},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			res := do(t, h, tt.method, tt.path)
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.wantStatus)
			}
			for name, want := range map[string]string{
				"X-Content-Type-Options":  "nosniff",
				"Referrer-Policy":         "no-referrer",
				"Content-Security-Policy": ContentSecurityPolicy,
			} {
				if got := res.Header.Values(name); len(got) != 1 || got[0] != want {
					t.Errorf("%s %q, want %q once", name, got, want)
				}
			}
			if tt.wantStatus != 200 {
				return
			}
			if got := res.Header.Get("Cache-Control"); got != "no-cache" {
				t.Errorf("Cache-Control %q, want no-cache", got)
			}
			if res.Header.Get("ETag") == "" || res.Header.Get("Last-Modified") == "" {
				t.Errorf("ETag %q, Last-Modified %q: want both", res.Header.Get("ETag"), res.Header.Get("Last-Modified"))
			}
		})
	}
}

func TestMethodNotAllowed(t *testing.T) {
	h, _, _ := newTestHandler(t)
	for _, method := range []string{"POST", "PUT", "DELETE", "OPTIONS", "PATCH"} {
		res := do(t, h, method, "/index.html")
		if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s: status %d, Allow %q; want 405 and GET, HEAD", method, res.StatusCode, res.Header.Get("Allow"))
		}
	}
}

func TestDirectories(t *testing.T) {
	h, _, _ := newTestHandler(t)
	tests := []struct {
		path         string
		wantStatus   int
		wantBody     string // for 200
		wantLocation string // for 301
	}{
		{"/", 200, fixture["index.html"], ""},
		{"/withindex/", 200, fixture["withindex/index.html"], ""},
		{"/withindex", 301, "", "/withindex/"},
		{"/withindex?v=2", 301, "", "/withindex/?v=2"},
		{"/sub/", 404, "", ""}, // no index.html: no listing
		{"/sub", 404, "", ""},
		{"/sub/notes.txt", 200, fixture["sub/notes.txt"], ""},
		{"/app.js/", 404, "", ""}, // a file is not a directory
		{"/missing/", 404, "", ""},
		{"/missing.html", 404, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res := do(t, h, "GET", tt.path)
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.wantStatus)
			}
			switch tt.wantStatus {
			case 200:
				if string(res.body) != tt.wantBody {
					t.Errorf("body %.40q, want %.40q", res.body, tt.wantBody)
				}
			case 301:
				if got := res.Header.Get("Location"); got != tt.wantLocation {
					t.Errorf("Location %q, want %q", got, tt.wantLocation)
				}
			case 404:
				if bytes.Contains(res.body, []byte("notes.txt")) {
					t.Errorf("404 body lists directory contents: %q", res.body)
				}
			}
		})
	}
}

func TestHiddenFiles(t *testing.T) {
	h, _, _ := newTestHandler(t)
	for _, path := range []string{"/.env", "/.git/config", "/.git/", "/sub/.hidden", "/.hiddendir/file.txt", "/%2eenv"} {
		t.Run(path, func(t *testing.T) {
			res := do(t, h, "GET", path)
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("status %d, want 404", res.StatusCode)
			}
			if bytes.Contains(res.body, []byte(secret)) {
				t.Errorf("body leaks a hidden file")
			}
		})
	}
}

func TestSymlinksInsideRoot(t *testing.T) {
	h, _, _ := newTestHandler(t)
	for _, path := range []string{"/inside.js", "/sub/up.js"} {
		res := do(t, h, "GET", path)
		if res.StatusCode != http.StatusOK || string(res.body) != fixture["app.js"] {
			t.Errorf("%s: status %d; want 200 with app.js", path, res.StatusCode)
		}
	}
}

// TestTraversal sends raw request lines over TCP so that no client library
// cleans or re-encodes the paths first.
func TestTraversal(t *testing.T) {
	h, _, _ := newTestHandler(t)
	srv := httptest.NewServer(h)
	defer srv.Close()
	tests := []struct {
		target     string
		wantStatus int
	}{
		{"/../secret.txt", 400},
		{"/..%2fsecret.txt", 400},
		{"/..%2Fsecret.txt", 400},
		{"/%2e%2e/secret.txt", 400},
		{"/%2E%2E%2Fsecret.txt", 400},
		{"/.%2e/secret.txt", 400},
		{"/sub/../../secret.txt", 400},
		{"/sub/%2e%2e/%2e%2e/secret.txt", 400},
		{"/sub/./notes.txt", 400},
		{"/%5c..%5csecret.txt", 400},
		{"/..\\secret.txt", 400},
		{"/sub%5c..%5c..%5csecret.txt", 400},
		{"//secret.txt", 400},
		{"/%2fsecret.txt", 400},
		{"/%2f%2e%2e%2fsecret.txt", 400},
		{"/secret.txt%00.html", 400},
		{"http://example.com/../secret.txt", 400},
		{"secret.txt", 400},
		{"*", 400},
		{"/escape/secret.txt", 404},  // directory symlink pointing outside
		{"/escape-file", 404},        // file symlink pointing outside
		{"/escape-rel", 404},         // relative symlink climbing out
		{"/secret.txt", 404},         // root/secret.txt does not exist
		{"/outside/secret.txt", 404}, // neither does root/outside
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			status, body := rawGet(t, srv.Listener.Addr().String(), tt.target)
			if status != tt.wantStatus {
				t.Errorf("status %d, want %d", status, tt.wantStatus)
			}
			if strings.Contains(body, secret) {
				t.Errorf("response leaks a file outside the root")
			}
		})
	}
}

// rawGet sends "GET target HTTP/1.1" exactly as given and returns the
// status and body.
func rawGet(t *testing.T, addr, target string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n", target); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(body)
}

// TestHead goes through a real server: only the server, not the handler,
// discards what is written to the body of a HEAD response.
func TestHead(t *testing.T) {
	h, _, _ := newTestHandler(t)
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	send := func(method, path, accept string) response {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if accept != "" {
			req.Header.Set("Accept-Encoding", accept)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return response{res, body}
	}
	tests := []struct {
		path   string
		accept string
	}{
		{"/", ""},
		{"/main.wasm", ""},
		{"/main.wasm", "gzip"},
		{"/img.png", "gzip"},
		{"/missing", ""},
	}
	for _, tt := range tests {
		t.Run(tt.path+" "+tt.accept, func(t *testing.T) {
			get := send("GET", tt.path, tt.accept)
			head := send("HEAD", tt.path, tt.accept)
			if head.StatusCode != get.StatusCode {
				t.Errorf("HEAD status %d, GET %d", head.StatusCode, get.StatusCode)
			}
			if len(head.body) != 0 {
				t.Errorf("HEAD returned a %d-byte body", len(head.body))
			}
			if get.StatusCode != 200 {
				return
			}
			for _, name := range []string{"Content-Type", "Content-Length", "Content-Encoding", "ETag", "Vary", "Cache-Control"} {
				if g, h := get.Header.Get(name), head.Header.Get(name); g != h {
					t.Errorf("%s: HEAD %q, GET %q", name, h, g)
				}
			}
		})
	}
}

func TestRequestLog(t *testing.T) {
	h, _, logs := newTestHandler(t)
	gz := do(t, h, "GET", "/main.wasm", "Accept-Encoding", "gzip")
	png := do(t, h, "GET", "/img.png")
	do(t, h, "HEAD", "/")
	do(t, h, "GET", "/%2e%2e/x")
	want := []string{
		fmt.Sprintf(`GET /main.wasm 200 %dB \S+ gzip`, len(gz.body)),
		fmt.Sprintf(`GET /img.png 200 %dB \S+ -`, len(png.body)),
		`HEAD / 200 0B \S+ -`,
		`GET /%2e%2e/x 400 \d+B \S+ -`,
	}
	lines := strings.Split(strings.TrimSuffix(logs.String(), "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("%d log lines, want %d:\n%s", len(lines), len(want), logs)
	}
	for i, line := range lines {
		if !regexp.MustCompile("^" + want[i] + "$").MatchString(line) {
			t.Errorf("log line %q does not match %q", line, want[i])
		}
	}
}

func TestRootRecreated(t *testing.T) {
	h, root, _ := newTestHandler(t)
	if err := os.RemoveAll(root); err != nil {
		t.Fatal(err)
	}
	if res := do(t, h, "GET", "/"); res.StatusCode != http.StatusNotFound {
		t.Errorf("status %d with the root gone, want 404", res.StatusCode)
	}
	writeFile(t, filepath.Join(root, "index.html"), "new build")
	if res := do(t, h, "GET", "/"); string(res.body) != "new build" {
		t.Errorf("body %q after the root was recreated, want the new build", res.body)
	}
}

func TestNewHandlerErrors(t *testing.T) {
	root := newFixture(t)
	tests := []struct {
		name, root string
	}{
		{"missing", filepath.Join(root, "no-such-dir")},
		{"file", filepath.Join(root, "app.js")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := NewHandler(tt.root, Options{Log: io.Discard})
			if err == nil || h != nil {
				t.Fatalf("NewHandler(%q) = %v, %v; want an error", tt.root, h, err)
			}
			if !strings.Contains(err.Error(), tt.root) && !strings.Contains(err.Error(), filepath.Base(tt.root)) {
				t.Errorf("error %q does not name the directory", err)
			}
		})
	}
}

// BenchmarkServeCachedGzip measures a gzip response served from the cache.
func BenchmarkServeCachedGzip(b *testing.B) {
	root := b.TempDir()
	if err := os.WriteFile(filepath.Join(root, "main.wasm"), []byte(fixture["main.wasm"]), 0o644); err != nil {
		b.Fatal(err)
	}
	h, err := NewHandler(root, Options{Log: io.Discard})
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/main.wasm", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	if n := h.compressions.Load(); n != 1 {
		b.Fatalf("%d compressions, want 1", n)
	}
}
