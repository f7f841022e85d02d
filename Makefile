# Watchroom — two commands on a fresh Debian machine:
#   make run    install missing system packages, build, start on the default map
#   make test   install missing system packages, build, run the whole test suite
#               (and every fuzz harness for a short fixed time: a crash fails it)
#   make fuzz   every fuzz harness for FUZZ_SECONDS each (docs/reliability.md)
#   make soak   the busy console at 60x for 24 simulated hours in tmux (docs/reliability.md)

SWIFT      ?= swift
MAP        ?= Maps/jiangbei-city.wrmap
SYS_PKGS   := libncursesw5-dev libsqlite3-dev tmux python3
# Only for the benchmarks that compare with htop and Redis (never needed by make test).
BENCH_PKGS := htop python3 util-linux redis-server
BIN_DEBUG  := .build/debug/watchroom
BIN_REL    := .build/release/watchroom
# The benchmarks' own binary (Benchmarks/watchroom-bench), never part of the product.
BIN_BENCH  := .build/release/watchroom-bench

FUZZ_SECONDS    ?= 600
FUZZ_CI_SECONDS ?= 20

.PHONY: run test deps bench-deps install-pkgs build release bench bench-keys bench-serve check-map clean fuzz fuzz-build fuzz-ci soak

## Install the system packages that are missing (as root, or through sudo).
deps:
	@command -v $(SWIFT) >/dev/null 2>&1 || { echo "watchroom: Swift 6 toolchain not found on PATH (see https://www.swift.org/install/linux/)"; exit 1; }
	@$(MAKE) --no-print-directory install-pkgs PKGS="$(SYS_PKGS)"

## Install the benchmark-only packages (htop to compare with) that are missing.
bench-deps:
	@$(MAKE) --no-print-directory install-pkgs PKGS="$(BENCH_PKGS)"

install-pkgs:
	@missing=""; for p in $(PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

run: build
	$(BIN_DEBUG) --map $(MAP)

test: deps
	$(SWIFT) build
	$(SWIFT) test
	$(BIN_DEBUG) map check $(MAP)
	$(MAKE) fuzz-ci

## libFuzzer harnesses (Tests/Fuzz/): built once into .build/fuzz, with -sanitize=fuzzer,address.
fuzz-build: deps
	nice Tests/Fuzz/build.sh

## Each harness for a short fixed budget, after its regression inputs (Tests/FuzzRegressions).
fuzz-ci: fuzz-build
	Tests/Fuzz/run.sh $(FUZZ_CI_SECONDS)

## Long runs: each harness for FUZZ_SECONDS (default 600 s); the corpus grows in .build/fuzz/corpus.
fuzz: fuzz-build
	nice Tests/Fuzz/run.sh $(FUZZ_SECONDS)

## The busy console at 60x for 24 simulated hours (24 min) in tmux; memory and the shift file checked.
soak: release
	nice Benchmarks/soak.sh

check-map: build
	$(BIN_DEBUG) map check $(MAP)

## watchroom-bench in release: routing on the default map and a generated million-intersection city; one-key dispatch on a 250,000-intersection city.
bench: deps
	$(SWIFT) build -c release --product watchroom-bench
	$(BIN_BENCH) routing --map $(MAP)
	$(BIN_BENCH) routing --generate 1000000 --units 1000
	$(BIN_BENCH) dispatch

## The shift server fanning a busy shift (1,000 units, 10x) out to 100 clients, beside Redis pub/sub (docs/benchmarks.md).
bench-serve: deps bench-deps
	$(SWIFT) build -c release --product watchroom-bench
	$(BIN_BENCH) serve --clients 100 --units 1000 --speed 10 --seconds 30

## Bytes per key press and per second on the wire, Watchroom beside htop (docs/benchmarks.md).
bench-keys: release bench-deps
	Benchmarks/key-bytes.py $(BIN_REL)

clean:
	rm -rf .build
