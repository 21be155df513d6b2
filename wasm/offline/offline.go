// Package offline makes a built site (make dist) work without a network:
// [Stamp] writes the site's service worker, sw.js, which knows every file
// of the build by name and SHA-256, and marks index.html with the build's
// key, a hash of all those files.
//
// The service worker (sw.js in this directory, a template) caches the
// build under the name [Build.CacheName]. It precaches the files a visit
// needs to load the page and train the default run, and caches each of
// the others (report.wasm, the training images beyond the default run's)
// the first time the page or a worker fetches it, so a first visit
// downloads nothing more than it would without it. A file is cached, and
// served from the cache, only when its SHA-256 is the build's, so a
// damaged copy is fetched again instead of breaking the page, and a page
// never mixes two builds' files. A new build has a new key, so a new
// sw.js, which the browser installs beside the old one; it takes over at
// the next reload and deletes the old cache.
package offline

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"convlab/assets"
)

// WorkerFile is the service worker's name in the site. It must sit beside
// index.html: a service worker controls the pages at or below its own
// directory.
const WorkerFile = "sw.js"

// lazyFiles are the site's files that a visit fetches only on demand and
// that the service worker therefore caches when first fetched instead of
// precaching them: the report writer (see wasm/reportworker). Data files
// are lazy unless the default run needs them (defaultDataFiles).
var lazyFiles = []string{"report.wasm"}

//go:embed sw.js
var workerTemplate string

// Build describes one stamped build.
type Build struct {
	Key   string          // the build's key: 16 hex digits of a SHA-256 over Files
	Files map[string]File // every file of the site but sw.js, by its path in the site ("data/…")
}

// CacheName is the name of the build's cache in the Cache Storage of a
// site served at path (the path of its index.html's directory, "/" at the
// root of a host).
func (b Build) CacheName(path string) string { return "convlab-" + b.Key + " " + path }

// File is what the service worker knows of one file of the build.
type File struct {
	SHA256   string `json:"sha256"`   // of the file's bytes, in hex
	Precache bool   `json:"precache"` // fetched when the service worker installs
}

// buildAttribute is the attribute of index.html's loader script that
// holds the build's key (data-build="…"), which the page reports as
// window.convlabOffline.build.
var buildAttribute = regexp.MustCompile(`data-build="[0-9a-f]*"`)

// Stamp hashes every file of the site built in dir, writes dir's
// index.html with the build's key in its data-build attribute and writes
// dir/sw.js, the service worker of this build. Stamping a stamped site
// again gives the same build, so a copied site whose files were changed
// can be stamped again.
func Stamp(dir string) (Build, error) {
	indexPath := filepath.Join(dir, "index.html")
	index, err := os.ReadFile(indexPath)
	if err != nil {
		return Build{}, fmt.Errorf("offline: reading the page: %w", err)
	}
	if n := len(buildAttribute.FindAll(index, -1)); n != 1 {
		return Build{}, fmt.Errorf("offline: %s has %d data-build attributes, want 1 (the loader script's)", indexPath, n)
	}
	// The key covers index.html without its key, which is then written in.
	index = buildAttribute.ReplaceAll(index, []byte(`data-build=""`))
	files, err := hashFiles(dir, index)
	if err != nil {
		return Build{}, err
	}
	b := Build{Key: key(files), Files: files}
	index = buildAttribute.ReplaceAll(index, []byte(`data-build="`+b.Key+`"`))
	if err := os.WriteFile(indexPath, index, 0o644); err != nil {
		return Build{}, fmt.Errorf("offline: writing the page: %w", err)
	}
	b.Files["index.html"] = File{SHA256: sum(index), Precache: true}

	worker, err := b.worker()
	if err != nil {
		return Build{}, err
	}
	if err := os.WriteFile(filepath.Join(dir, WorkerFile), worker, 0o644); err != nil {
		return Build{}, fmt.Errorf("offline: writing the service worker: %w", err)
	}
	return b, nil
}

// hashFiles returns every regular file below dir but the service worker,
// with index.html's content given rather than read.
func hashFiles(dir string, index []byte) (map[string]File, error) {
	precacheData := defaultDataFiles()
	files := make(map[string]File)
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		name := filepath.ToSlash(rel)
		if name == WorkerFile {
			return nil
		}
		content := index
		if name != "index.html" {
			if content, err = os.ReadFile(path); err != nil {
				return err
			}
		}
		precache := !slices.Contains(lazyFiles, name)
		if strings.HasPrefix(name, "data/") {
			precache = slices.Contains(precacheData, name)
		}
		files[name] = File{SHA256: sum(content), Precache: precache}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("offline: hashing the site in %s: %w", dir, err)
	}
	if _, ok := files["index.html"]; !ok {
		return nil, fmt.Errorf("offline: %s has no index.html", dir)
	}
	return files, nil
}

// defaultDataFiles names the data files a visit fetches to train the
// default run: the labels and the first tiers of images of the training
// and test sets (assets.Bundle.Files).
func defaultDataFiles() []string {
	var names []string
	train, errTrain := assets.TrainBundle().Files(assets.DefaultTrainPerClass)
	test, errTest := assets.TestBundle().Files(assets.DefaultTestPerClass)
	if errTrain != nil || errTest != nil {
		// The defaults lie within the bundle (assets' tests check it);
		// should that ever change, every data file is cached on demand.
		return nil
	}
	for _, f := range append(train, test...) {
		names = append(names, f.Name)
	}
	return names
}

// key is the build's key: the first 64 bits, in hex, of the SHA-256 of a
// list of every file's name and SHA-256, sorted by name.
func key(files map[string]File) string {
	var list bytes.Buffer
	for _, name := range slices.Sorted(maps.Keys(files)) {
		fmt.Fprintf(&list, "%s %s\n", name, files[name].SHA256)
	}
	return sum(list.Bytes())[:16]
}

// worker returns the service worker's script for the build: the template
// with the key and the files written in.
func (b Build) worker() ([]byte, error) {
	files, err := json.Marshal(b.Files) // map keys come out sorted
	if err != nil {
		return nil, fmt.Errorf("offline: listing the files: %w", err)
	}
	const buildLine, filesLine = `const BUILD = "@BUILD@";`, `const FILES = @FILES@;`
	if strings.Count(workerTemplate, buildLine) != 1 || strings.Count(workerTemplate, filesLine) != 1 {
		return nil, fmt.Errorf("offline: the service worker's template needs one line %s and one %s", buildLine, filesLine)
	}
	s := strings.Replace(workerTemplate, buildLine, `const BUILD = "`+b.Key+`";`, 1)
	s = strings.Replace(s, filesLine, "const FILES = "+string(files)+";", 1)
	return []byte(s), nil
}

// sum is the SHA-256 of b in hex.
func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
