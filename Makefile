# saiasat — see README.md. `make run` and `make test` are all a fresh Debian
# machine with Go needs.

GO      ?= go
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
BIN     := bin/saiasat
FUZZTIME ?= 30s
# A new input is minimized by at most FUZZMIN executions: Go's default, 60 s,
# let one minimization of a 4 KB seed take a whole FUZZTIME=60s run of
# FuzzCheck (33 executions, then none).
FUZZMIN ?= 200x

.PHONY: build test run bench bench-serve fuzz deps vet clean screenshots

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/saiasat

# The main job on the bundled policy: check the draft (findings, exit 1,
# are an answer, not a failure), list the verified releases, then serve the
# site and the API on http://127.0.0.1:8080/ until Ctrl-C.
ADDR ?= 127.0.0.1:8080
run: build
	@./$(BIN) check policies && echo "saiasat check: no findings in policies/" || [ $$? -eq 1 ]
	@./$(BIN) log
	./$(BIN) serve --addr $(ADDR) --policies policies

# Every test: vet, formatting, and the whole suite with the race detector,
# including the end-to-end test that builds the binary; then the consent
# API's load and memory tests (server/load_test.go, memory_test.go), which
# are built without the race detector: 320,000 consents per store are too
# slow under it, and it would inflate the resident set measured. -v
# prints their figures (time, CPU, memory peaks).
test: deps vet
	$(GO) test -race -count=1 ./...
	$(GO) test -count=1 -timeout 30m -v -run '^(TestLoad|TestListingMemory)$$' ./server/

vet:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

# The publish benchmark's peer is pandoc, from Debian's packages.
bench: deps
	@command -v pandoc >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends pandoc >/dev/null; }
	$(GO) test -run '^$$' -bench . -benchmem ./...
	$(MAKE) bench-serve

# saiasat serve against nginx with wrk (Debian's packages), and the server's
# memory with 100 editions: bench/serve.sh.
bench-serve: build
	@command -v nginx >/dev/null && command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends nginx wrk >/dev/null; }
	bench/serve.sh

# Each page type of the published site (current, edition, editions, draft,
# index, 404) at 390 px and 1280 px in kk and ru, with headless Chromium,
# into screenshots/ (ignored): look at the site as a borrower meets it.
screenshots: build deps
	BIN=$(BIN) bench/screenshots.sh

# Each fuzz target for FUZZTIME (bench/fuzz.sh lists them; it tells Go
# 1.26's end-of-budget race, golang/go#75804, from a finding).
fuzz:
	GO=$(GO) FUZZTIME=$(FUZZTIME) FUZZMIN=$(FUZZMIN) bench/fuzz.sh

# What the tests need beyond Go, from Debian's packages, installed when
# missing: poppler-utils (pdftotext reads the PDFs the tests make),
# chromium (the browser test of the published site), tidy (HTML5 checks) and
# postgresql (the consent ledger's tests start their own server with it),
# sqlite3 (a test edits the ledger with the database's own client),
# libreoffice-writer-nogui (headless LibreOffice: the Word import, export and
# tracked-changes redline are tested against a real word processor) and nginx
# (a test serves the published folder with it and compares with serve).
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
deps:
	@command -v $(GO) >/dev/null || { echo "make deps: Go is required (https://go.dev/doc/install)"; exit 1; }
	@missing=""; \
	  command -v npm >/dev/null || missing="$$missing npm"; \
	  command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	  [ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	  command -v tidy >/dev/null || missing="$$missing tidy"; \
	  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	  command -v sqlite3 >/dev/null || missing="$$missing sqlite3"; \
	  command -v soffice >/dev/null || missing="$$missing libreoffice-writer-nogui"; \
	  [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	  if [ -n "$$missing" ]; then \
	    echo "make deps: installing$$missing"; \
	    $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  fi
	$(GO) mod download
	@grep -qs '"version": "$(AXE_VERSION)"' $(AXE)/package.json || \
	  npm install --prefix .deps/npm --no-save --no-package-lock --no-audit --no-fund --loglevel=error axe-core@$(AXE_VERSION)

# axe-core, from npm (Debian's npm, which deps installs), pinned, into
# .deps/npm (ignored): the browser test injects it into the pages to check
# their accessibility (site/axe_test.go).
AXE_VERSION := 4.14.1
AXE := .deps/npm/node_modules/axe-core

clean:
	rm -rf bin
