package store

import (
	"context"
	"errors"
	"sync"
)

// coalescer lets one write run at a time and, of the writes that arrive
// meanwhile, only the newest: each arrival supersedes the one waiting
// before it. Waiters hand the turn on to each other, so no goroutine of
// its own is needed.
type coalescer struct {
	mu   sync.Mutex
	busy bool    // a write is running
	next *waiter // the write waiting for its turn, if any
}

// waiter is a write waiting for its turn; turn receives true when it may
// go, false when a newer write superseded it.
type waiter struct{ turn chan bool }

// do runs write when no other write is running, and returns its result;
// if a newer call arrives before this one's turn, it returns
// Saved{Superseded: true} without writing.
func (c *coalescer) do(ctx context.Context, write func() (Saved, error)) (Saved, error) {
	switch err := c.wait(ctx); {
	case errors.Is(err, errSuperseded):
		return Saved{Superseded: true}, nil
	case err != nil:
		return Saved{}, err
	}
	defer c.release()
	return write()
}

// errSuperseded is wait's answer to a superseded write.
var errSuperseded = errors.New("superseded by a newer save")

// wait returns when it is the caller's turn, or errSuperseded, or ctx's
// error.
func (c *coalescer) wait(ctx context.Context) error {
	c.mu.Lock()
	if !c.busy {
		c.busy = true
		c.mu.Unlock()
		return nil
	}
	if c.next != nil {
		c.next.turn <- false
	}
	w := &waiter{turn: make(chan bool, 1)}
	c.next = w
	c.mu.Unlock()
	select {
	case mine := <-w.turn:
		if !mine {
			return errSuperseded
		}
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		if c.next == w { // still waiting: step out of the line
			c.next = nil
			c.mu.Unlock()
			return ctx.Err()
		}
		c.mu.Unlock()
		if <-w.turn { // handed the turn as ctx ended: pass it on
			c.release()
		}
		return ctx.Err()
	}
}

// release ends the running write, handing the turn to the waiting one.
func (c *coalescer) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.next != nil {
		c.next.turn <- true
		c.next = nil
		return
	}
	c.busy = false
}
