# Watchroom — two commands on a fresh Debian machine:
#   make run    install missing system packages, build, start on the default map
#   make test   install missing system packages, build, run the whole test suite

SWIFT      ?= swift
MAP        ?= Maps/jiangbei-city.wrmap
SYS_PKGS   := libncursesw5-dev libsqlite3-dev tmux
BIN_DEBUG  := .build/debug/watchroom
BIN_REL    := .build/release/watchroom

.PHONY: run test deps build release bench check-map clean

## Install the system packages that are missing (as root, or through sudo).
deps:
	@command -v $(SWIFT) >/dev/null 2>&1 || { echo "watchroom: Swift 6 toolchain not found on PATH (see https://www.swift.org/install/linux/)"; exit 1; }
	@missing=""; for p in $(SYS_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
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

check-map: build
	$(BIN_DEBUG) map check $(MAP)

## Routing benchmark (release build): default map and a generated million-intersection city.
bench: release
	$(BIN_REL) bench routing --map $(MAP)
	$(BIN_REL) bench routing --generate 1000000 --units 1000

clean:
	rm -rf .build
