//go:build !js

package offline

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"convlab/assets"
)

// site writes a small built site into a new directory: a page with an
// unstamped data-build attribute, the programs and the bundle's data
// files (empty: only their names matter here).
func site(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"index.html":   `<script src="loader.js" data-build=""></script>`,
		"loader.js":    "// loader",
		"convlab.wasm": "\x00asm page",
		"worker.wasm":  "\x00asm worker",
		"report.wasm":  "\x00asm report",
	}
	for _, b := range []assets.Bundle{assets.TrainBundle(), assets.TestBundle()} {
		files[b.Labels.Name] = "labels " + b.Labels.Name
		for _, tier := range b.Tiers {
			files[tier.Images.Name] = "images " + tier.Images.Name
		}
	}
	for name, content := range files {
		write(t, filepath.Join(dir, name), content)
	}
	return dir
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The stamped page names its build; the service worker lists every file
// but itself with its SHA-256, and precaches all but the report writer
// and the training images beyond the default run's.
func TestStamp(t *testing.T) {
	dir := site(t)
	b, err := Stamp(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(b.Key) {
		t.Fatalf("key %q, want 16 hex digits", b.Key)
	}
	if got, want := read(t, filepath.Join(dir, "index.html")), `data-build="`+b.Key+`"`; !strings.Contains(got, want) {
		t.Errorf("index.html is %q, want it to hold %s", got, want)
	}
	if f := b.Files["index.html"]; f.SHA256 != sum([]byte(read(t, filepath.Join(dir, "index.html")))) {
		t.Errorf("index.html is listed with SHA-256 %s, not that of the stamped page", f.SHA256)
	}
	if f := b.Files["loader.js"]; f.SHA256 != sum([]byte("// loader")) || !f.Precache {
		t.Errorf("loader.js is listed as %+v", f)
	}
	train, test := assets.TrainBundle(), assets.TestBundle()
	lazy := map[string]bool{"report.wasm": true, train.Tiers[1].Images.Name: true}
	for name, f := range b.Files {
		if f.Precache == lazy[name] {
			t.Errorf("%s: precache %v, want %v", name, f.Precache, !lazy[name])
		}
	}
	for _, name := range []string{train.Labels.Name, train.Tiers[0].Images.Name, test.Labels.Name, test.Tiers[0].Images.Name} {
		if !b.Files[name].Precache {
			t.Errorf("%s, which the default run needs, is not precached", name)
		}
	}
	if _, ok := b.Files[WorkerFile]; ok {
		t.Errorf("the service worker lists itself")
	}

	worker := read(t, filepath.Join(dir, WorkerFile))
	if !strings.Contains(worker, `const BUILD = "`+b.Key+`";`) {
		t.Errorf("sw.js does not name the build %s", b.Key)
	}
	m := regexp.MustCompile(`(?m)^const FILES = (.*);$`).FindStringSubmatch(worker)
	if m == nil {
		t.Fatalf("sw.js has no FILES line")
	}
	var listed map[string]File
	if err := json.Unmarshal([]byte(m[1]), &listed); err != nil {
		t.Fatalf("sw.js's FILES: %v", err)
	}
	if len(listed) != len(b.Files) {
		t.Errorf("sw.js lists %d files, the build has %d", len(listed), len(b.Files))
	}
	for name, f := range b.Files {
		if listed[name] != f {
			t.Errorf("sw.js lists %s as %+v, want %+v", name, listed[name], f)
		}
	}
}

// Stamping again gives the same build; changing any file, the page
// included, gives another.
func TestStampKey(t *testing.T) {
	dir := site(t)
	first, err := Stamp(dir)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Stamp(dir)
	if err != nil {
		t.Fatal(err)
	}
	if again.Key != first.Key {
		t.Fatalf("stamping twice gave keys %s and %s", first.Key, again.Key)
	}
	keys := map[string]string{first.Key: "the first build"}
	for _, name := range []string{"convlab.wasm", "data/train-images-101to500-idx3-ubyte.gz", "index.html"} {
		path := filepath.Join(dir, name)
		write(t, path, strings.Replace(read(t, path), "<script", "<script ", 1)+"\n")
		b, err := Stamp(dir)
		if err != nil {
			t.Fatal(err)
		}
		if was, ok := keys[b.Key]; ok {
			t.Errorf("after changing %s the key is %s, that of %s", name, b.Key, was)
		}
		keys[b.Key] = "the build after changing " + name
	}
}

// A page without exactly one data-build attribute is refused, and left
// as it was.
func TestStampNeedsTheAttribute(t *testing.T) {
	for _, page := range []string{`<script src="loader.js"></script>`, `<p data-build=""></p><p data-build=""></p>`} {
		dir := site(t)
		write(t, filepath.Join(dir, "index.html"), page)
		if _, err := Stamp(dir); err == nil || !strings.Contains(err.Error(), "data-build") {
			t.Errorf("stamping a page %q: error %v, want one about data-build", page, err)
		}
		if got := read(t, filepath.Join(dir, "index.html")); got != page {
			t.Errorf("the refused page became %q", got)
		}
		if _, err := os.Stat(filepath.Join(dir, WorkerFile)); err == nil {
			t.Errorf("a service worker was written for a refused page")
		}
	}
}

// The service worker written is JavaScript that Node.js parses.
func TestWorkerParses(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node not found (CI is set, so this is an error): apt-get install nodejs")
		}
		t.Skip("node not found: apt-get install nodejs")
	}
	dir := site(t)
	if _, err := Stamp(dir); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(node, "--check", filepath.Join(dir, WorkerFile)).CombinedOutput(); err != nil {
		t.Errorf("node --check sw.js: %v\n%s", err, out)
	}
}
