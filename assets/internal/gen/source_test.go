package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadSourceRejectsWrongHash(t *testing.T) {
	dir := t.TempDir()
	for _, f := range sourceFiles() {
		if err := os.WriteFile(filepath.Join(dir, f.Name), []byte("not MNIST"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := readSource(dir)
	if err == nil {
		t.Fatal("readSource accepted files with the wrong hashes")
	}
	first := sourceFiles()[0]
	for _, want := range []string{first.Name, "expected " + first.SHA256, "actual " + sha256Hex([]byte("not MNIST"))} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}
