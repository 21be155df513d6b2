package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestMain lets TestExitCodes run main itself in a child process.
func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv("SERVE_TEST_MAIN_ARGS"); ok {
		os.Args = append([]string{"serve"}, strings.Fields(args)...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    config
		wantErr bool
		usage   bool // the error is a usageError
	}{
		{"defaults", nil, config{dir: "dist", addr: "127.0.0.1:8080"}, false, false},
		{"both", []string{"-dir", "web", "-addr", ":9000"}, config{dir: "web", addr: ":9000"}, false, false},
		{"unknown flag", []string{"-port", "80"}, config{}, true, true},
		{"extra argument", []string{"dist"}, config{}, true, true},
		{"help", []string{"-h"}, config{}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			got, err := parseFlags(tt.args, &stderr)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("parseFlags(%q) = %+v, %v; want %+v, error %v", tt.args, got, err, tt.want, tt.wantErr)
			}
			if tt.name == "help" && !errors.Is(err, flag.ErrHelp) {
				t.Errorf("-h gave %v, want flag.ErrHelp", err)
			}
			if isUsage := errors.As(err, new(usageError)); isUsage != tt.usage {
				t.Errorf("usage error %v, want %v (%v)", isUsage, tt.usage, err)
			}
			if err != nil && !strings.Contains(stderr.String(), "Usage of serve") {
				t.Errorf("no usage message on stderr: %q", stderr.String())
			}
		})
	}
}

func TestRunStartupErrors(t *testing.T) {
	dir := t.TempDir()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	tests := []struct {
		name     string
		args     []string
		wantText string
		wantIs   error
	}{
		{"missing directory", []string{"-dir", filepath.Join(dir, "nope"), "-addr", "127.0.0.1:0"}, "nope", os.ErrNotExist},
		{"address in use", []string{"-dir", dir, "-addr", busy.Addr().String()}, busy.Addr().String(), syscall.EADDRINUSE},
		{"bad address", []string{"-dir", dir, "-addr", "127.0.0.1:http-alt-x"}, "cannot listen", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, &stdout, &stderr)
			if err == nil {
				t.Fatal("run succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("error %q does not mention %q", err, tt.wantText)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %q is not %v", err, tt.wantIs)
			}
			if stdout.Len() != 0 {
				t.Errorf("printed %q before failing", stdout.String())
			}
		})
	}
}

func TestRunServesAndShutsDown(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("<p>hello</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdoutR, stdoutW := io.Pipe()
	stderr := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-dir", dir, "-addr", "127.0.0.1:0"}, stdoutW, stderr)
		stdoutW.Close()
	}()

	line, err := bufio.NewReader(stdoutR).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the startup line: %v (stderr: %s)", err, stderr)
	}
	m := regexp.MustCompile(`^serving (.+) on (http://127\.0\.0\.1:\d+)\n$`).FindStringSubmatch(line)
	if m == nil || m[1] != dir+string(filepath.Separator) {
		t.Fatalf("startup line %q, want \"serving %s/ on http://127.0.0.1:PORT\"", line, dir)
	}
	res, err := http.Get(m[2] + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || string(body) != "<p>hello</p>" {
		t.Errorf("GET / = %d %q", res.StatusCode, body)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after cancel")
	}
	logs := stderr.String()
	if !strings.Contains(logs, "GET / 200 12B ") || !strings.Contains(logs, "shutting down") {
		t.Errorf("stderr lacks the request log or shutdown line:\n%s", logs)
	}
	if _, err := http.Get(m[2] + "/"); err == nil {
		t.Errorf("server still answers after shutdown")
	}
}

// TestExitCodes runs main in a child process to check its exit status and
// message.
func TestExitCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	dir := t.TempDir()
	tests := []struct {
		name     string
		args     string
		wantCode int
		wantText string
	}{
		{"missing directory", "-dir " + filepath.Join(dir, "nope"), 1, "serve: static: root directory"},
		{"unknown flag", "-bogus", 2, "flag provided but not defined: -bogus"},
		{"help", "-h", 0, "Usage of serve"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "SERVE_TEST_MAIN_ARGS="+tt.args)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			code := 0
			if exit := (*exec.ExitError)(nil); errors.As(err, &exit) {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.wantCode || !strings.Contains(stderr.String(), tt.wantText) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr.String(), tt.wantCode, tt.wantText)
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
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

// reset empties the buffer.
func (b *syncBuffer) reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Reset()
}
