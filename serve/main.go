// Command serve serves the ConvLab web build (index.html, wasm_exec.js,
// main.wasm, ...) from a directory, for development in a browser.
//
// Usage:
//
//	go run ./serve [-dir dist] [-addr 127.0.0.1:8080]
//
// It listens on the loopback interface unless -addr says otherwise, logs one
// line per request to stderr and shuts down cleanly on Ctrl-C or SIGTERM.
// The serving rules are those of package convlab/serve/static. Connections
// are shared fairly (see gate.go and limits.go): each client address holds
// at most 32, the server as many as its descriptor limit allows (at most
// 2,048), and when it is full a kept-alive connection that is only idling
// is closed to serve a new one. A kept-alive connection is closed after
// 10 s without a request, a client that stops reading its response is cut
// off after 10 s, and a request whose body is framed by Transfer-Encoding
// is refused (see framing.go).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"convlab/serve/static"
)

// shutdownTimeout bounds the wait for responses in progress at shutdown.
const shutdownTimeout = 5 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.As(err, new(usageError)):
		os.Exit(2) // the flag package has already printed the problem
	default:
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}

// config is what the command line asks for.
type config struct {
	dir  string
	addr string
}

// usageError is a command-line mistake that has already been reported.
type usageError struct{ err error }

// Error returns the underlying message.
func (e usageError) Error() string { return e.err.Error() }

// Unwrap returns the underlying error.
func (e usageError) Unwrap() error { return e.err }

// parseFlags reads the command line; problems are reported on stderr.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	fs.StringVar(&c.dir, "dir", "dist", "directory to serve")
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "address to listen on (host:port)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return config{}, err
		}
		return config{}, usageError{err}
	}
	if fs.NArg() > 0 {
		err := fmt.Errorf("unexpected argument %q", fs.Arg(0))
		fmt.Fprintln(stderr, err)
		fs.Usage()
		return config{}, usageError{err}
	}
	return c, nil
}

// run serves until ctx is cancelled, then shuts the server down. It prints
// the URL it serves on to stdout and the request log to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	h, err := static.NewHandler(c.dir, static.Options{Log: stderr})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", c.addr, err)
	}
	lim := defaultLimits(fileLimit())
	srv := newServer(h, lim, stderr)
	g := newGate(ln, lim, stderr)
	fmt.Fprintf(stdout, "serving %s on http://%s\n", displayDir(c.dir), ln.Addr())

	served := make(chan error, 1)
	go func() { served <- g.serve(srv) }()
	select {
	case err := <-served:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	fmt.Fprintln(stderr, "shutting down")

	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		srv.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// displayDir writes dir the way the startup message shows it: "dist/".
func displayDir(dir string) string {
	if strings.HasSuffix(dir, string(filepath.Separator)) {
		return dir
	}
	return dir + string(filepath.Separator)
}
