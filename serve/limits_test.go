package main

import (
	"bufio"
	"bytes"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
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
	return dialFrom(t, loopback(t, 1), addr, readBuffer)
}

// loopback returns the loopback address 127.0.0.n, to bind a test client
// to so that the server counts it as a client of its own. Linux routes
// all of 127.0.0.0/8 to the loopback interface; elsewhere, where only
// 127.0.0.1 may answer, tests that need a second address are skipped.
func loopback(t *testing.T, n int) netip.Addr {
	t.Helper()
	a := netip.AddrFrom4([4]byte{127, 0, 0, byte(n)})
	if n != 1 {
		ln, err := net.Listen("tcp", netip.AddrPortFrom(a, 0).String())
		if err != nil {
			t.Skipf("no loopback address %s to tell test clients apart: %v", a, err)
		}
		ln.Close()
	}
	return a
}

// dialFrom connects to addr from the address from; readBuffer > 0 sets the
// socket's receive buffer.
func dialFrom(t *testing.T, from netip.Addr, addr string, readBuffer int) *rawClient {
	t.Helper()
	d := net.Dialer{LocalAddr: net.TCPAddrFromAddrPort(netip.AddrPortFrom(from, 0))}
	c, err := d.Dial("tcp", addr)
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

// serve runs srv on a gate with lim's caps on a new loopback port until the
// test ends, and returns the gate.
func serve(t *testing.T, srv *http.Server, lim limits) *gate {
	t.Helper()
	return serveOn(t, srv, listen(t), lim)
}

// listen listens on a new port of 127.0.0.1.
func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// serveOn runs srv on a gate on ln until the test ends.
func serveOn(t *testing.T, srv *http.Server, ln net.Listener, lim limits) *gate {
	t.Helper()
	g := newGate(ln, lim, io.Discard)
	go g.serve(srv)
	t.Cleanup(func() { srv.Close() })
	return g
}

var okHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })

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
	lim := limits{maxConns: 4, perClient: 4, readHeader: failAfter, read: failAfter, stall: stall, idle: failAfter}
	srv := newServer(h, lim, io.Discard)
	closed := make(chan string, 4) // client addresses of the connections the server closed
	srv.ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateClosed {
			closed <- c.RemoteAddr().String()
		}
	}
	addr := serveOn(t, srv, smallBuffers{listen(t)}, lim).Addr().String()

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
	lim := limits{maxConns: 4, perClient: 4, readHeader: failAfter, read: failAfter, stall: failAfter, idle: idle}
	c := dial(t, serve(t, newServer(okHandler, lim, io.Discard), lim).Addr().String(), 0)
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
