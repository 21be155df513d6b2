// Command stamp makes a built site work offline: it writes the site's
// service worker, sw.js, for the build in a directory and marks the
// build's key in its index.html (see package convlab/wasm/offline).
// make dist runs it last, once every file of the site is in place.
//
// Usage:
//
//	go run ./wasm/offline/stamp -dir dist
package main

import (
	"flag"
	"fmt"
	"os"

	"convlab/wasm/offline"
)

func main() {
	dir := flag.String("dir", "dist", "directory of the built site")
	flag.Parse()
	b, err := offline.Stamp(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "stamp:", err)
		os.Exit(1)
	}
	precached := 0
	for _, f := range b.Files {
		if f.Precache {
			precached++
		}
	}
	fmt.Printf("stamped build %s: %d files, %d precached by %s\n", b.Key, len(b.Files), precached, offline.WorkerFile)
}
