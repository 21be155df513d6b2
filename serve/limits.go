package main

import (
	"io"
	"net/http"
	"time"
)

// limits bound what clients can hold on to: connections, header bytes, and
// the time a connection may sit without progress.
type limits struct {
	maxConns   int           // connections served at once; see gate
	perClient  int           // connections one client address may hold; see gate
	maxHeader  int           // bytes of a request's headers
	readHeader time.Duration // to send a request's headers
	read       time.Duration // to send a whole request
	stall      time.Duration // the longest one write of a response may block
	idle       time.Duration // a kept-alive connection waiting for its next request
}

// perClientConns is the default per-client cap. A browser opens at most 6
// connections to a host (Chromium, Firefox and Safari alike, shared by all
// its tabs and workers), so 32 leave room for several browsers or
// profiles on one machine, or a few machines behind one NAT address, while
// one misbehaving client holds at most 32 of the server's connections.
const perClientConns = 32

// memoryConns is the most connections served at once whatever the
// descriptor limit allows, so that they bound memory too. An idle
// kept-alive connection costs about 19 kB (its goroutine's stack and its
// buffers), one that has sent nothing yet 6 kB, and one still sending its
// headers up to maxHeaderBytes more (measured with Go 1.26 on linux/amd64,
// 400 connections of each kind). 2,048 connections, a lecture hall of 340
// browsers with their 6 each, therefore take about 40 MB when idle and at
// most about 170 MB.
const memoryConns = 2048

// maxHeaderBytes bounds a request's headers. A browser's are under 2 kB
// plus its cookies for the host; 64 kB is far more than that, and a
// connection reading headers holds at most that much (net/http's default
// allows 1 MB).
const maxHeaderBytes = 64 << 10

// Descriptors: each connection holds one, and while it is served the
// handler opens two more (the served directory, through os.Root, and the
// file). reservedFiles keeps room for the rest of the process: standard
// streams, the listener, the network poller, the connection the gate holds
// while it waits for room, and the runtime's and tests' own.
const (
	filesPerConn  = 3
	reservedFiles = 64
)

// defaultLimits suit serving dist/ to a classroom from a laptop. maxFiles
// is the process's limit on open descriptors (0 when unknown): the
// overall cap is what that limit allows with filesPerConn descriptors per
// connection, at most memoryConns. With Linux's usual soft limit of 1,024
// (which Go raises to the hard limit when it can) that is 320 connections,
// 53 browsers. A client that takes less than stallChunk bytes in 10 s
// (1.6 kB/s) is cut off; one that keeps reading gets any file, however long
// it takes.
func defaultLimits(maxFiles uint64) limits {
	conns := connsFor(maxFiles)
	return limits{
		maxConns:   conns,
		perClient:  min(perClientConns, conns),
		maxHeader:  maxHeaderBytes,
		readHeader: 5 * time.Second,
		read:       15 * time.Second,
		stall:      10 * time.Second,
		idle:       10 * time.Second,
	}
}

// connsFor returns the overall cap for a limit of maxFiles open
// descriptors (0: unknown): (maxFiles - reservedFiles) / filesPerConn, at
// least 1 and at most memoryConns.
func connsFor(maxFiles uint64) int {
	if maxFiles == 0 {
		return memoryConns
	}
	if maxFiles < reservedFiles+filesPerConn {
		return 1
	}
	return int(min((maxFiles-reservedFiles)/filesPerConn, memoryConns))
}

// newServer returns a server for h with lim's timeouts, which answers the
// requests framingGuard lets through (logging refusals to log). It has no WriteTimeout, which would
// bound a whole download: stallGuard bounds each write instead. Serve it on
// a gate made with the same limits (g.serve).
func newServer(h http.Handler, lim limits, log io.Writer) *http.Server {
	return &http.Server{
		Handler:           framingGuard(stallGuard(h, lim.stall), log),
		ReadHeaderTimeout: lim.readHeader,
		ReadTimeout:       lim.read,
		IdleTimeout:       lim.idle,
		MaxHeaderBytes:    lim.maxHeader,
	}
}

// stallChunk is the most a response writes under one deadline, so that a
// large write, too, must progress every stall period.
const stallChunk = 16 << 10

// stallGuard gives every write of a response a fresh deadline of stall, and
// the response as a whole one before its first write (for a response of
// headers only). A client that stops reading blocks a write, which then
// fails, and the server closes the connection; a slow one that keeps
// reading renews the deadline and gets the whole response. The server
// clears the deadline when the response is done.
func stallGuard(h http.Handler, stall time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &stallWriter{ResponseWriter: w, rc: http.NewResponseController(w), stall: stall}
		sw.renew()
		h.ServeHTTP(sw, r)
	})
}

// stallWriter writes a response in chunks, each under a deadline.
type stallWriter struct {
	http.ResponseWriter
	rc    *http.ResponseController
	stall time.Duration
}

// renew sets the write deadline stall from now. The server's response
// writer always supports deadlines; a writer that does not (in tests) is
// left unbounded.
func (w *stallWriter) renew() { _ = w.rc.SetWriteDeadline(time.Now().Add(w.stall)) }

// Write sends p in chunks of at most stallChunk bytes, renewing the
// deadline before each.
func (w *stallWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		chunk := p[:min(len(p), stallChunk)]
		w.renew()
		n, err := w.ResponseWriter.Write(chunk)
		written += n
		if err != nil {
			return written, err
		}
		p = p[len(chunk):]
	}
	return written, nil
}

// Unwrap lets http.ResponseController reach the server's writer.
func (w *stallWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
