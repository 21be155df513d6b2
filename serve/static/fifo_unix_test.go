//go:build unix

package static

import (
	"net/http"
	"path/filepath"
	"syscall"
	"testing"
)

// TestNonRegularFile checks that a named pipe is refused without being
// opened (opening it would block until a writer appeared).
func TestNonRegularFile(t *testing.T) {
	h, root, _ := newTestHandler(t)
	if err := syscall.Mkfifo(filepath.Join(root, "pipe.js"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if res := do(t, h, "GET", "/pipe.js"); res.StatusCode != http.StatusNotFound {
		t.Errorf("status %d, want 404", res.StatusCode)
	}
}
