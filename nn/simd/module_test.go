package simd

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestModuleMatchesSource assembles kernels.wat as `make wat` does and
// compares the result with the checked-in kernels.wasm byte for byte, so a
// kernel edited in the source cannot ship as its old binary. It needs
// wabt's wat2wasm (make deps installs it); without it the test is skipped,
// except under CI (CI set), where a missing tool is a failure.
func TestModuleMatchesSource(t *testing.T) {
	wat2wasm, err := exec.LookPath("wat2wasm")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("wat2wasm is not installed (apt-get install wabt, or make deps): the checked-in kernels.wasm cannot be checked against kernels.wat")
		}
		t.Skip("wat2wasm is not installed (apt-get install wabt); kernels.wasm not checked against kernels.wat")
	}
	assembled := filepath.Join(t.TempDir(), "kernels.wasm")
	if out, err := exec.Command(wat2wasm, "--debug-names", "kernels.wat", "-o", assembled).CombinedOutput(); err != nil {
		t.Fatalf("wat2wasm kernels.wat: %v\n%s", err, out)
	}
	want, err := os.ReadFile(assembled)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("kernels.wasm")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("kernels.wasm (%d bytes) is not kernels.wat assembled (%d bytes): run `make wat` and commit kernels.wasm", len(got), len(want))
	}
}
