package main

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// limits bound what clients can hold on to: connections, and the time a
// connection may sit without progress.
type limits struct {
	maxConns   int           // connections served at once; more wait in the listen queue
	readHeader time.Duration // to send a request's headers
	read       time.Duration // to send a whole request
	stall      time.Duration // the longest one write of a response may block
	idle       time.Duration // a kept-alive connection waiting for its next request
}

// defaultLimits suit a development server on the loopback interface. A
// browser opens at most 6 connections to a host, so 64 leave room for many
// tabs and test runs, and cost at most 64 descriptors and a few MB. A
// client that takes less than stallChunk bytes in 10 s (1.6 kB/s) is cut
// off; one that keeps reading gets any file, however long it takes.
func defaultLimits() limits {
	return limits{
		maxConns:   64,
		readHeader: 5 * time.Second,
		read:       15 * time.Second,
		stall:      10 * time.Second,
		idle:       10 * time.Second,
	}
}

// newServer returns a server for h with lim's timeouts. It has no
// WriteTimeout, which would bound a whole download: stallGuard bounds each
// write instead. Serve it on limitListener(ln, lim.maxConns).
func newServer(h http.Handler, lim limits) *http.Server {
	return &http.Server{
		Handler:           stallGuard(h, lim.stall),
		ReadHeaderTimeout: lim.readHeader,
		ReadTimeout:       lim.read,
		IdleTimeout:       lim.idle,
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

// limitListener returns a listener that has at most n of its connections
// open at once. Accept waits for one to close before taking the next, so
// further clients wait in the kernel's listen queue, holding no descriptor
// of the server, and are served in turn.
func limitListener(ln net.Listener, n int) net.Listener {
	return &limitedListener{Listener: ln, slots: make(chan struct{}, n), closed: make(chan struct{})}
}

type limitedListener struct {
	net.Listener
	slots     chan struct{} // one value per open connection
	closed    chan struct{} // closed by Close, to end a waiting Accept
	closeOnce sync.Once
}

// Accept waits for a free slot, then for a connection.
func (l *limitedListener) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	case <-l.closed:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &limitedConn{Conn: c, release: sync.OnceFunc(func() { <-l.slots })}, nil
}

// Close stops the listener and ends any Accept waiting for a slot.
func (l *limitedListener) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

// limitedConn frees its listener slot when closed, once.
type limitedConn struct {
	net.Conn
	release func()
}

// Close closes the connection and frees its slot.
func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.release()
	return err
}
