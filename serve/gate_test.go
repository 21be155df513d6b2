package main

import (
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// gateLimits are limits for the gate's tests: small caps, and timeouts
// that never strike during a test.
func gateLimits(maxConns, perClient int) limits {
	return limits{maxConns: maxConns, perClient: perClient, maxHeader: maxHeaderBytes,
		readHeader: failAfter, read: failAfter, stall: failAfter, idle: failAfter}
}

// expectClosed fails unless the server closes c (EOF or reset) without
// sending anything.
func expectClosed(t *testing.T, c *rawClient, what string) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(failAfter))
	if b, err := c.r.ReadByte(); err == nil {
		t.Fatalf("%s: the server sent %q, want the connection closed", what, b)
	} else if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("%s: still open after %v, want it closed", what, failAfter)
	}
}

// expectUnanswered fails if c gets an answer within 100 ms. A server
// that served it would answer within microseconds on loopback.
func expectUnanswered(t *testing.T, c *rawClient, what string) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	if _, err := c.r.Peek(1); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("%s got an answer (read error %v), want it waiting", what, err)
	}
}

// At the overall cap, a new connection is served by closing the
// connection that has been idle the longest, not after it.
func TestGateClosesIdleFirst(t *testing.T) {
	g := serve(t, newServer(okHandler, gateLimits(2, 10), io.Discard), gateLimits(2, 10))
	addr := g.Addr().String()
	first, second := dial(t, addr, 0), dial(t, addr, 0)
	first.get(t)
	waitIdle(t, g, 1)
	second.get(t)
	waitIdle(t, g, 2) // both kept alive, first idle for longer
	third := dial(t, addr, 0)
	third.get(t)
	expectClosed(t, first, "the longest-idle connection")
	second.get(t) // the other idle connection is still served
	if all, _ := g.counts(loopback(t, 1)); all != 2 {
		t.Errorf("%d connections counted, want 2", all)
	}
}

// At the overall cap with no connection idle, a new connection waits,
// unserved, and is served when one closes or turns idle.
func TestGateWaitsWhenAllAreBusy(t *testing.T) {
	g := serve(t, newServer(okHandler, gateLimits(2, 10), io.Discard), gateLimits(2, 10))
	addr := g.Addr().String()
	// Connections that have sent no request yet are not idle.
	busy := []*rawClient{dial(t, addr, 0), dial(t, addr, 0)}
	waiting := dial(t, addr, 0)
	waiting.send(t, "/")
	expectUnanswered(t, waiting, "a connection over the cap")

	busy[0].Close()
	if res, body := waiting.receive(t); res.StatusCode != http.StatusOK || string(body) != "ok" {
		t.Fatalf("queued GET / = %d %q, want 200 ok", res.StatusCode, body)
	}

	// With the served connection gone and another without a request in
	// its place, busy[1] sends a request and turns idle: the next
	// connection is served in its place.
	waiting.Close()
	dial(t, addr, 0)
	next := dial(t, addr, 0)
	next.send(t, "/")
	expectUnanswered(t, next, "a connection over the cap")
	busy[1].get(t)
	if res, _ := next.receive(t); res.StatusCode != http.StatusOK {
		t.Fatalf("GET / after a connection turned idle = %d, want 200", res.StatusCode)
	}
	expectClosed(t, busy[1], "the idle connection that made room")
}

// A client at its cap gets a new connection in place of its own longest
// idle one, and is refused one when it has none idle, while another client
// is served.
func TestGatePerClientCap(t *testing.T) {
	lim := gateLimits(10, 2)
	log := &syncBuffer{}
	srv := newServer(okHandler, lim, io.Discard)
	g := newGate(listen(t), lim, log)
	go g.serve(srv)
	t.Cleanup(func() { srv.Close() })
	addr := g.Addr().String()
	a, b := loopback(t, 2), loopback(t, 3)

	idle := []*rawClient{dialFrom(t, a, addr, 0), dialFrom(t, a, addr, 0)}
	idle[0].get(t)
	waitIdle(t, g, 1)
	idle[1].get(t)
	waitIdle(t, g, 2)
	third := dialFrom(t, a, addr, 0)
	third.get(t)
	expectClosed(t, idle[0], "the client's longest-idle connection")
	waitIdle(t, g, 2)

	// Two connections without a request yet take the client's cap, in
	// place of its two idle ones.
	dialFrom(t, a, addr, 0)
	dialFrom(t, a, addr, 0)
	expectClosed(t, idle[1], "the client's idle connection")
	expectClosed(t, third, "the client's idle connection")
	expectClosed(t, dialFrom(t, a, addr, 0), "a connection over the client's cap")
	expectClosed(t, dialFrom(t, a, addr, 0), "a connection over the client's cap")
	dialFrom(t, b, addr, 0).get(t)
	if want := "refusing connections from 127.0.0.2: it has 2 open, none idle (the per-client limit)\n"; log.String() != want {
		t.Errorf("logged %q, want once %q", log, want)
	}
	if _, n := g.counts(a); n != 2 {
		t.Errorf("client %s holds %d connections, want its cap, 2", a, n)
	}
}

// waitIdle waits until g counts n idle connections: the server marks a
// connection idle just after its client has read the response.
func waitIdle(t *testing.T, g *gate, n int) {
	t.Helper()
	deadline := time.Now().Add(failAfter)
	for g.idleConns() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections idle after %v, want %d", g.idleConns(), failAfter, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// Closing the gate ends an Accept that waits for room.
func TestGateCloseEndsWaitingAccept(t *testing.T) {
	g := newGate(listen(t), gateLimits(1, 1), io.Discard)
	defer g.Close()
	dialFrom(t, loopback(t, 1), g.Addr().String(), 0)
	if _, err := g.Accept(); err != nil { // takes the only room
		t.Fatal(err)
	}
	dialFrom(t, loopback(t, 2), g.Addr().String(), 0)
	accepted := make(chan error, 1)
	go func() {
		_, err := g.Accept() // waits for room
		accepted <- err
	}()
	g.Close()
	select {
	case err := <-accepted:
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("Accept after Close: %v, want net.ErrClosed", err)
		}
	case <-time.After(failAfter):
		t.Fatal("Accept still waits after Close")
	}
}

// A connection closed twice, by the server and by the gate, is uncounted
// once.
func TestGateCountsCloseOnce(t *testing.T) {
	g := newGate(listen(t), gateLimits(4, 4), io.Discard)
	defer g.Close()
	dial(t, g.Addr().String(), 0)
	c, err := g.Accept()
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	c.Close()
	if all, n := g.counts(loopback(t, 1)); all != 0 || n != 0 {
		t.Fatalf("after closing the only connection twice: %d counted, %d for its client; want 0, 0", all, n)
	}
}

func TestDefaultLimits(t *testing.T) {
	tests := []struct {
		files     uint64
		conns     int
		perClient int
	}{
		{0, memoryConns, perClientConns},       // unknown: memory bounds it
		{1024, 320, perClientConns},            // (1024 - 64) / 3
		{20000, memoryConns, perClientConns},   // memory bounds it
		{1 << 62, memoryConns, perClientConns}, // "unlimited"
		{160, 32, 32},
		{100, 12, 12},
		{10, 1, 1},
	}
	for _, tt := range tests {
		lim := defaultLimits(tt.files)
		if lim.maxConns != tt.conns || lim.perClient != tt.perClient {
			t.Errorf("defaultLimits(%d): %d connections, %d per client; want %d, %d",
				tt.files, lim.maxConns, lim.perClient, tt.conns, tt.perClient)
		}
		if need := lim.maxConns*filesPerConn + reservedFiles; tt.files != 0 && tt.files >= reservedFiles+filesPerConn && uint64(need) > tt.files {
			t.Errorf("defaultLimits(%d) allows %d connections, which may need %d descriptors", tt.files, lim.maxConns, need)
		}
	}
}

// A request with both Transfer-Encoding and Content-Length, or with
// Transfer-Encoding alone, is refused with 400 and its connection closed,
// so the bytes after it are never read as a request (RFC 9112 §6.3); an
// HTTP/1.0 request is answered and its connection closed (§6.1); a
// well-framed HTTP/1.1 request keeps its connection open.
func TestFramingGuard(t *testing.T) {
	lim := gateLimits(8, 8)
	log := &syncBuffer{}
	addr := serve(t, newServer(okHandler, lim, log), lim).Addr().String()
	const next = "GET /second HTTP/1.1\r\nHost: test\r\n\r\n"
	tests := []struct {
		name    string
		request string
		status  int
		open    bool // the connection stays open for the next request
	}{
		{"Transfer-Encoding and Content-Length", "POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", http.StatusBadRequest, false},
		{"Content-Length and Transfer-Encoding on GET", "GET / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n0\r\n\r\n", http.StatusBadRequest, false},
		{"Transfer-Encoding alone", "GET / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", http.StatusBadRequest, false},
		{"HTTP/1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", http.StatusOK, false},
		{"HTTP/1.1", "GET / HTTP/1.1\r\nHost: test\r\n\r\n", http.StatusOK, true},
		{"HTTP/1.1 with Content-Length", "GET / HTTP/1.1\r\nHost: test\r\nContent-Length: 3\r\n\r\nabc", http.StatusOK, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dial(t, addr, 0)
			if _, err := io.WriteString(c, tt.request+next); err != nil {
				t.Fatal(err)
			}
			res, body := c.receive(t)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d %q, want %d", res.StatusCode, body, tt.status)
			}
			if tt.status == http.StatusBadRequest && !strings.Contains(string(body), "Transfer-Encoding") {
				t.Errorf("the refusal does not say why: %q", body)
			}
			if logged := strings.Contains(log.String(), " 400 refused: body framed by Transfer-Encoding"); logged != (tt.status == http.StatusBadRequest) {
				t.Errorf("refusal logged %v, want %v: %q", logged, tt.status == http.StatusBadRequest, log)
			}
			log.reset()
			if !tt.open {
				if !res.Close {
					t.Errorf("the response does not announce Connection: close (%q)", res.Header.Get("Connection"))
				}
				expectClosed(t, c, "after the response")
				return
			}
			if res, _ := c.receive(t); res.StatusCode != http.StatusOK {
				t.Errorf("the next request on the connection: %d, want 200", res.StatusCode)
			}
		})
	}
}
