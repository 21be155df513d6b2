package main

import (
	"container/list"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"sync"
)

// A gate is the listener the server accepts its connections from. It keeps
// the connections fair to every client:
//
//   - A client address holds at most perClient connections. When it opens
//     one more, its longest-idle kept-alive connection is closed to make
//     room; if it has none idle (all are in the middle of a request), the
//     new connection is closed unanswered, so that one client cannot take
//     the server's connections from the others.
//   - The server holds at most maxConns connections in all. When a new one
//     arrives at the cap, the longest-idle kept-alive connection of any
//     client is closed to make room; if none is idle, the new connection
//     waits, accepted but unserved, until one closes or turns idle, and
//     further clients wait in the kernel's listen queue.
//
// So a request never waits behind a connection that is only being kept
// alive. Closing an idle kept-alive connection is allowed by HTTP/1.1 at
// any time; a browser opens another, and retries a request it had just
// sent on it. A connection that has not yet sent its first request is not
// idle (its request may be on its way); the server's ReadHeaderTimeout
// bounds how long it can stay so.
//
// The gate learns which connections are idle from the server's ConnState
// hook: serve installs it.
type gate struct {
	net.Listener
	maxConns  int
	perClient int
	log       io.Writer // one line when a client is first refused

	mu      sync.Mutex
	open    int                         // connections admitted and not yet closed
	clients map[netip.Addr]*clientConns // by client address
	idle    list.List                   // of *gatedConn, idle the longest first
	changed chan struct{}               // closed and replaced when a connection closes or turns idle

	closed    chan struct{} // closed by Close, to end a waiting Accept
	closeOnce sync.Once
}

// clientConns is what the gate knows of one client address.
type clientConns struct {
	open    int  // connections admitted and not yet closed
	refused bool // a connection was refused since it last had none open
}

// newGate returns a gate on ln with lim's caps; it logs refusals to log.
func newGate(ln net.Listener, lim limits, log io.Writer) *gate {
	return &gate{
		Listener:  ln,
		maxConns:  lim.maxConns,
		perClient: lim.perClient,
		log:       log,
		clients:   make(map[netip.Addr]*clientConns),
		changed:   make(chan struct{}),
		closed:    make(chan struct{}),
	}
}

// serve serves srv on the gate until the gate is closed, chaining the
// gate's ConnState hook before srv's own.
func (g *gate) serve(srv *http.Server) error {
	next := srv.ConnState
	srv.ConnState = func(c net.Conn, s http.ConnState) {
		g.connState(c, s)
		if next != nil {
			next(c, s)
		}
	}
	return srv.Serve(g)
}

// Accept returns the next connection the caps admit; see gate.
func (g *gate) Accept() (net.Conn, error) {
	for {
		c, err := g.Listener.Accept()
		if err != nil {
			return nil, err
		}
		client := clientAddr(c)
		if !g.admitClient(client) {
			c.Close()
			continue
		}
		if err := g.makeRoom(); err != nil {
			g.releaseClient(client)
			c.Close()
			return nil, err
		}
		return &gatedConn{Conn: c, gate: g, client: client}, nil
	}
}

// admitClient counts one more connection for client, closing its
// longest-idle connection if it is at its cap; it reports false, counting
// nothing, if the client is at its cap with no idle connection.
func (g *gate) admitClient(client netip.Addr) bool {
	g.mu.Lock()
	cc := g.clients[client]
	if cc == nil {
		cc = &clientConns{}
		g.clients[client] = cc
	}
	if cc.open < g.perClient {
		cc.open++
		g.mu.Unlock()
		return true
	}
	victim := g.takeIdle(func(c *gatedConn) bool { return c.client == client })
	if victim == nil {
		first := !cc.refused
		cc.refused = true
		g.mu.Unlock()
		if first {
			fmt.Fprintf(g.log, "refusing connections from %s: it has %d open, none idle (the per-client limit)\n", client, g.perClient)
		}
		return false
	}
	cc.open++ // before the victim's release, so the entry stays
	g.mu.Unlock()
	victim.Close()
	return true
}

// makeRoom counts one more connection in all, closing idle connections or
// waiting for one to close or turn idle while the gate is at its cap. It
// fails once the gate is closed.
func (g *gate) makeRoom() error {
	g.mu.Lock()
	for g.open >= g.maxConns {
		if victim := g.takeIdle(func(*gatedConn) bool { return true }); victim != nil {
			g.mu.Unlock()
			victim.Close()
			g.mu.Lock()
			continue
		}
		changed := g.changed
		g.mu.Unlock()
		select {
		case <-changed:
		case <-g.closed:
			return net.ErrClosed
		}
		g.mu.Lock()
	}
	g.open++
	g.mu.Unlock()
	return nil
}

// takeIdle removes from the idle list, and returns, the longest-idle
// connection that match accepts, or nil. The caller holds g.mu and closes
// the connection after releasing it.
func (g *gate) takeIdle(match func(*gatedConn) bool) *gatedConn {
	for e := g.idle.Front(); e != nil; e = e.Next() {
		if c := e.Value.(*gatedConn); match(c) {
			g.idle.Remove(e)
			c.idleAt = nil
			return c
		}
	}
	return nil
}

// connState records which connections are idle; the server calls it on
// every change of a connection's state.
func (g *gate) connState(nc net.Conn, s http.ConnState) {
	c, ok := nc.(*gatedConn)
	if !ok {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if s == http.StateIdle {
		if c.idleAt == nil && !c.released {
			c.idleAt = g.idle.PushBack(c)
			g.wake()
		}
		return
	}
	if c.idleAt != nil {
		g.idle.Remove(c.idleAt)
		c.idleAt = nil
	}
}

// release uncounts a closed connection; the caller holds g.mu.
func (g *gate) release(c *gatedConn) {
	if c.idleAt != nil {
		g.idle.Remove(c.idleAt)
		c.idleAt = nil
	}
	c.released = true
	g.open--
	g.uncount(c.client)
	g.wake()
}

// releaseClient uncounts a connection that admitClient counted but the
// gate did not admit in the end.
func (g *gate) releaseClient(client netip.Addr) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.uncount(client)
}

// uncount removes one connection from client's count, forgetting the
// client when it has none left; the caller holds g.mu.
func (g *gate) uncount(client netip.Addr) {
	cc := g.clients[client]
	if cc.open--; cc.open == 0 {
		delete(g.clients, client)
	}
}

// wake tells a waiting Accept that a connection closed or turned idle;
// the caller holds g.mu.
func (g *gate) wake() {
	close(g.changed)
	g.changed = make(chan struct{})
}

// Close stops the listener and ends an Accept waiting for room.
func (g *gate) Close() error {
	g.closeOnce.Do(func() { close(g.closed) })
	return g.Listener.Close()
}

// counts returns the connections open in all and from client, for tests
// and figures.
func (g *gate) counts(client netip.Addr) (all, fromClient int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if cc := g.clients[client]; cc != nil {
		fromClient = cc.open
	}
	return g.open, fromClient
}

// idleConns returns how many connections are idle, for tests.
func (g *gate) idleConns() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.idle.Len()
}

// clientAddr is the address a connection counts against: its remote IP
// address (an IPv4 address mapped into IPv6 counts as the IPv4 address).
// A connection not over IP counts against the zero address.
func clientAddr(c net.Conn) netip.Addr {
	if ap, err := netip.ParseAddrPort(c.RemoteAddr().String()); err == nil {
		return ap.Addr().Unmap()
	}
	return netip.Addr{}
}

// gatedConn is a connection the gate admitted. It is uncounted when closed,
// once, whoever closes it first: the server, or the gate to make room.
type gatedConn struct {
	net.Conn
	gate   *gate
	client netip.Addr

	// Guarded by gate.mu.
	idleAt   *list.Element // its place in gate.idle while idle
	released bool          // uncounted
}

// Close closes the connection and uncounts it.
func (c *gatedConn) Close() error {
	err := c.Conn.Close()
	c.gate.mu.Lock()
	if !c.released {
		c.gate.release(c)
	}
	c.gate.mu.Unlock()
	return err
}
