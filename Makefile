# ConvLab — build, serve and test.
#
#   make run    build the browser app into dist/ and serve it on http://127.0.0.1:8080
#   make test   install what the tests need (if missing), vet, and run every test,
#               the headless-Chromium browser tests included
#
# Other targets: dist (build only), deps, vet, unit, browser, bench, fuzz, assets.

GO        ?= go
DIST      ?= dist
ADDR      ?= 127.0.0.1:8080
GOROOT    := $(shell $(GO) env GOROOT)
WASM_EXEC := $(firstword $(wildcard $(GOROOT)/lib/wasm/wasm_exec.js $(GOROOT)/misc/wasm/wasm_exec.js))

# Debian packages: C headers that ebiten's desktop back end needs for the
# native `go vet` (cgo), and Chromium for the browser tests.
APT_PACKAGES := libx11-dev libxrandr-dev libxcursor-dev libxinerama-dev libxi-dev \
                libxxf86vm-dev libgl1-mesa-dev chromium

.PHONY: run dist serve deps vet unit wasmunit crosscheck browser test bench fuzz assets clean

run: dist
	$(GO) run ./serve -dir $(DIST) -addr $(ADDR)

dist:
	@test -n "$(WASM_EXEC)" || { echo "wasm_exec.js not found under $(GOROOT)" >&2; exit 1; }
	mkdir -p $(DIST)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $(DIST)/convlab.wasm ./wasm
	cp $(WASM_EXEC) $(DIST)/wasm_exec.js
	cp wasm/worker.js $(DIST)/worker.js
	sed "s/@WASM_BYTES@/$$(wc -c < $(DIST)/convlab.wasm | tr -d ' ')/" wasm/index.html > $(DIST)/index.html
	@ls -l $(DIST)

serve:
	$(GO) run ./serve -dir $(DIST) -addr $(ADDR)

# deps installs the Debian packages above when any is missing (root only).
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing: $$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "missing Debian packages: $$missing"; \
			echo "install them with: sudo apt-get install $$missing"; \
		fi; \
	fi

vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./nn/... ./assets/... ./ui/... ./wasm/...

unit:
	$(GO) test $$($(GO) list ./... | grep -v /wasm/browsertest)

# browser runs the headless-Chromium tests, or says clearly that it skipped them.
browser:
	@if [ -x /usr/bin/chromium ] || command -v chromium >/dev/null; then \
		$(GO) test -count=1 -v -timeout 12m ./wasm/browsertest/; \
	else \
		echo "SKIPPED: browser tests need Chromium (/usr/bin/chromium); install it with: apt-get install chromium"; \
	fi

# wasmunit runs the browser-side packages' tests compiled to WebAssembly,
# under Node.js, so the code the page runs is tested as it runs there.
WASM_PACKAGES := ./nn/ ./assets/ ./ui/runner/ ./ui/session/ ./ui/digit/ ./ui/plot/ ./ui/tsne/ ./ui/widget/ ./ui/layout/ ./ui/insightview/
WASM_EXEC_TEST = GOOS=js GOARCH=wasm $(GO) test -exec="$(GOROOT)/lib/wasm/go_js_wasm_exec"
wasmunit:
	@if command -v node >/dev/null; then \
		$(WASM_EXEC_TEST) -short $(WASM_PACKAGES); \
	else \
		echo "SKIPPED: WebAssembly unit tests need Node.js (apt-get install nodejs)"; \
	fi

# crosscheck trains one short run natively and under WebAssembly (Node.js)
# and fails unless the two fingerprints (final losses and weight sums,
# printed with 17 significant digits, which identify a float64 exactly)
# are bit-identical.
crosscheck:
	@native=$$(mktemp) && wasm=$$(mktemp) && trap 'rm -f "$$native" "$$wasm" "$$native.fp" "$$wasm.fp"' EXIT && \
	$(GO) test -count=1 -v -run '^TestFingerprint$$' ./nn/ > "$$native" || { cat "$$native"; exit 1; }; \
	$(WASM_EXEC_TEST) -count=1 -v -run '^TestFingerprint$$' ./nn/ > "$$wasm" || { cat "$$wasm"; exit 1; }; \
	awk '$$2 == "fingerprint" {print $$4, $$5}' "$$native" > "$$native.fp"; \
	awk '$$2 == "fingerprint" {print $$4, $$5}' "$$wasm" > "$$wasm.fp"; \
	if [ ! -s "$$native.fp" ] || [ "$$(wc -l < "$$native.fp")" != "$$(wc -l < "$$wasm.fp")" ]; then \
		echo "crosscheck: the fingerprint test printed no or unequal fingerprints" >&2; exit 1; \
	fi; \
	paste "$$native.fp" "$$wasm.fp" | awk '{same = ($$2 == $$4); bad += !same; \
		printf "%-14s native %-24s wasm %-24s %s\n", $$1, $$2, $$4, (same ? "identical" : "DIFFERENT")} \
		END {if (bad) {print bad " value(s) differ between native and WebAssembly"; exit 1} print "bit-identical natively and under WebAssembly"}'

test: deps vet unit wasmunit browser

bench:
	GOMAXPROCS=1 $(GO) test -run '^$$' -bench . -benchtime 3s ./nn/

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParseIDX -fuzztime 60s ./assets/
	$(GO) test -run '^$$' -fuzz FuzzLoad -fuzztime 60s ./nn/

assets:
	$(GO) generate ./assets

clean:
	rm -rf $(DIST) testout
