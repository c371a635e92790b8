# apikeys — build, test, generate. `make test` is what CI runs.
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
FUZZTIME ?= 30s

.PHONY: all build test test-short bench bench-go bench-cli fuzz generate check-generated release-check lint clean campaign

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/apikeys ./cmd/apikeys

test:
	$(GO) vet ./...
	$(GO) test -race ./...

test-short:
	$(GO) test ./...

# Go benchmarks of the hot paths, then bench/run.sh: the built binary's start-up, list and
# memory as ratios to reference points, appended to docs/performance.md (see bench/README.md).
bench: bench-go bench-cli

bench-go:
	$(GO) test -run '^$$' -bench . -benchmem ./internal/...

bench-cli:
	bash bench/run.sh

# Each fuzz target runs for FUZZTIME; go test -fuzz takes one target at a time.
fuzz:
	@set -e; for t in $$(grep -rhoE '^func (Fuzz[A-Za-z0-9_]+)' --include='*_test.go' internal | sed 's/func //'); do \
	  pkg=$$(grep -rlE "^func $$t\(" --include='*_test.go' internal | head -1 | xargs dirname); \
	  echo "== $$t ($$pkg)"; \
	  $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) ./$$pkg; \
	done

# completions/, docs/cli/ and docs/man/ are generated from the command tree and committed.
generate:
	$(GO) run ./cmd/gen-docs

# Regenerates into a temporary directory and fails, listing the files, when the committed ones differ.
check-generated:
	$(GO) run ./cmd/gen-docs -check

# Validates .goreleaser.yaml and builds every archive and package offline into dist/.
# Needs goreleaser v2.16.0: go install github.com/goreleaser/goreleaser/v2@v2.16.0
GORELEASER ?= goreleaser
release-check:
	$(GORELEASER) check
	$(GORELEASER) release --snapshot --clean

# golangci-lint v2, pinned; .golangci.yml says which linters and why each exclusion exists.
# The first run installs it from the module proxy (about 85 s on 2 cores, several minutes
# under load).
GOLANGCI_LINT_VERSION ?= v2.15.0
GOLANGCI_LINT ?= $(shell $(GO) env GOPATH)/bin/golangci-lint
lint:
	@$(GOLANGCI_LINT) version 2>/dev/null | grep -q ' $(GOLANGCI_LINT_VERSION:v%=%) ' || \
	  $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	$(GOLANGCI_LINT) run ./...

clean:
	rm -rf bin dist

# A longer fault campaign than `make test` runs (see cmd/apikeys/campaign_test.go).
CAMPAIGN_ROUNDS ?= 100
campaign:
	APIKEYS_CAMPAIGN_ROUNDS=$(CAMPAIGN_ROUNDS) $(GO) test -count=1 -run TestFaultCampaign -v -timeout 60m ./cmd/apikeys
