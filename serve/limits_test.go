package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"convlab/serve/static"
)

// failAfter bounds every wait of these tests for something that should
// happen; reaching it is a failure, not a measurement.
const failAfter = 10 * time.Second

// rawClient is one HTTP/1.1 connection driven by hand, so a test can hold
// it open, stop reading, or read slowly.
type rawClient struct {
	net.Conn
	r *bufio.Reader
}

// dial connects to addr; readBuffer > 0 sets the socket's receive buffer.
func dial(t *testing.T, addr string, readBuffer int) *rawClient {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	if readBuffer > 0 {
		if err := c.(*net.TCPConn).SetReadBuffer(readBuffer); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { c.Close() })
	return &rawClient{Conn: c, r: bufio.NewReader(c)}
}

// send writes a GET request for path.
func (c *rawClient) send(t *testing.T, path string) {
	t.Helper()
	if _, err := io.WriteString(c, "GET "+path+" HTTP/1.1\r\nHost: test\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
}

// receive reads a response and its body.
func (c *rawClient) receive(t *testing.T) (*http.Response, []byte) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(failAfter))
	res, err := http.ReadResponse(c.r, nil)
	if err != nil {
		t.Fatalf("reading a response: %v", err)
	}
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("reading a body: %v", err)
	}
	return res, body
}

// get sends a request for "/" and checks the answer.
func (c *rawClient) get(t *testing.T) {
	t.Helper()
	c.send(t, "/")
	if res, body := c.receive(t); res.StatusCode != http.StatusOK || string(body) != "ok" {
		t.Fatalf("GET / = %d %q, want 200 ok", res.StatusCode, body)
	}
}

// serve runs srv on ln until the test ends.
func serve(t *testing.T, srv *http.Server, ln net.Listener) {
	t.Helper()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
}

var okHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })

// A connection over the cap waits, unserved, while the server goes on
// serving the connections it holds, and is served once one of them closes.
func TestLimitListenerQueuesOverTheCap(t *testing.T) {
	const capacity = 2
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var accepted atomic.Int32
	srv := &http.Server{Handler: okHandler, ConnState: func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			accepted.Add(1)
		}
	}}
	serve(t, srv, limitListener(inner, capacity))
	addr := inner.Addr().String()

	var held []*rawClient
	for range capacity {
		c := dial(t, addr, 0)
		c.get(t)
		held = append(held, c)
	}
	waiting := dial(t, addr, 0)
	waiting.send(t, "/")
	for _, c := range held {
		c.get(t) // kept-alive connections are still served
	}
	// A server without the cap would have accepted and answered the
	// waiting connection within microseconds of the round trips above;
	// give it 100 ms more to show that it does not.
	if n := accepted.Load(); n != capacity {
		t.Fatalf("accepted %d connections, want the cap, %d", n, capacity)
	}
	waiting.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	if _, err := waiting.r.Peek(1); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("the connection over the cap got an answer (read error %v)", err)
	}

	held[0].Close()
	if res, body := waiting.receive(t); res.StatusCode != http.StatusOK || string(body) != "ok" {
		t.Fatalf("queued GET / = %d %q, want 200 ok", res.StatusCode, body)
	}
	if n := accepted.Load(); n != capacity+1 {
		t.Errorf("accepted %d connections, want %d", n, capacity+1)
	}
}

// Closing the listener ends an Accept that waits for a slot, and closing a
// connection twice frees its slot once.
func TestLimitListenerClose(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := limitListener(inner, 1)
	dial(t, inner.Addr().String(), 0)
	c, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	slots := ln.(*limitedListener).slots
	c.Close()
	c.Close()
	if len(slots) != 0 {
		t.Fatalf("%d slots taken after closing the only connection twice", len(slots))
	}

	dial(t, inner.Addr().String(), 0)
	if _, err := ln.Accept(); err != nil { // takes the slot again
		t.Fatal(err)
	}
	accepted := make(chan error, 1)
	go func() {
		_, err := ln.Accept() // waits for a slot
		accepted <- err
	}()
	ln.Close()
	select {
	case err := <-accepted:
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("Accept after Close: %v, want net.ErrClosed", err)
		}
	case <-time.After(failAfter):
		t.Fatal("Accept still waits after Close")
	}
}

// smallBuffers shrinks the send buffer of every accepted connection, so
// that a client that stops reading blocks the server after hundreds of
// kilobytes rather than megabytes. (Buffers below the loopback's 64 kB
// segment size would make every transfer crawl.)
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(128 << 10)
	}
	return c, err
}

// A client that stops reading a large file is cut off after the stall
// timeout; one that reads it slowly, for more than twice that long, gets
// all of it.
func TestStallGuard(t *testing.T) {
	// A second: long enough that a test goroutine descheduled on a busy
	// machine still reads in time, short enough to keep the test quick.
	const stall = time.Second
	file := make([]byte, 2<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range file {
		file[i] = byte(rng.Uint32())
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "big.wasm"), file, 0o644); err != nil {
		t.Fatal(err)
	}
	h, err := static.NewHandler(dir, static.Options{Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	lim := limits{maxConns: 4, readHeader: failAfter, read: failAfter, stall: stall, idle: failAfter}
	srv := newServer(h, lim)
	closed := make(chan string, 4) // client addresses of the connections the server closed
	srv.ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateClosed {
			closed <- c.RemoteAddr().String()
		}
	}
	serve(t, srv, limitListener(smallBuffers{inner}, lim.maxConns))
	addr := inner.Addr().String()

	t.Run("stalled", func(t *testing.T) {
		c := dial(t, addr, 128<<10)
		c.send(t, "/big.wasm")
		select {
		case a := <-closed:
			if a != c.LocalAddr().String() {
				t.Fatalf("the server closed %s, not the stalled client %s", a, c.LocalAddr())
			}
		case <-time.After(failAfter):
			t.Fatalf("the server still holds a client that has not read for %v", failAfter)
		}
		c.SetReadDeadline(time.Now().Add(failAfter))
		got, _ := io.ReadAll(c.r) // what the kernel had buffered, then EOF or reset
		if len(got) >= len(file) {
			t.Errorf("the stalled client received %d bytes: all of the %d-byte file", len(got), len(file))
		}
		t.Logf("cut off after %d of %d bytes", len(got), len(file))
	})

	t.Run("slow", func(t *testing.T) {
		c := dial(t, addr, 128<<10)
		start := time.Now()
		c.send(t, "/big.wasm")
		c.SetReadDeadline(time.Now().Add(failAfter))
		res, err := http.ReadResponse(c.r, nil)
		if err != nil {
			t.Fatal(err)
		}
		var body bytes.Buffer
		buf := make([]byte, 32<<10)
		for {
			n, err := io.ReadFull(res.Body, buf)
			body.Write(buf[:n])
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				break
			}
			if err != nil {
				t.Fatalf("after %d bytes: %v", body.Len(), err)
			}
			time.Sleep(40 * time.Millisecond) // a slow link: 32 kB every 40 ms, 2 MB in over 2.5 s
		}
		took := time.Since(start)
		t.Logf("read %d bytes in %v", body.Len(), took.Round(time.Millisecond))
		if !bytes.Equal(body.Bytes(), file) {
			t.Fatalf("got %d bytes, not the %d-byte file", body.Len(), len(file))
		}
		if took < 2*stall {
			t.Errorf("the download took %v, not longer than twice the stall timeout %v: the test shows nothing", took, stall)
		}
	})
}

// A kept-alive connection without a next request is closed after the idle
// timeout.
func TestIdleTimeout(t *testing.T) {
	const idle = 200 * time.Millisecond
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	lim := limits{maxConns: 4, readHeader: failAfter, read: failAfter, stall: failAfter, idle: idle}
	serve(t, newServer(okHandler, lim), limitListener(inner, lim.maxConns))
	c := dial(t, inner.Addr().String(), 0)
	c.get(t)
	start := time.Now()
	c.SetReadDeadline(time.Now().Add(failAfter))
	if _, err := c.r.ReadByte(); err != io.EOF {
		t.Fatalf("reading the idle connection: %v, want EOF", err)
	}
	if took := time.Since(start); took < idle {
		t.Errorf("closed after %v, before the idle timeout %v", took, idle)
	}
}
