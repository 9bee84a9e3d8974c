# The two commands: `make demo` and `make test`. Both install what they need on Debian (as root).
SWIFT ?= swift
VENV ?= .build/venv
PY := $(VENV)/bin/python
BIN_DEBUG := .build/debug/cascade
BIN := .build/release/cascade

.PHONY: demo test build deps test-deps venv unit interop cluster check-report bench clean fuzz test-sanitize bench-memory

deps:
	@scripts/ensure-deps.sh build

test-deps:
	@scripts/ensure-deps.sh test

venv: test-deps
	@scripts/ensure-venv.sh

build: deps
	$(SWIFT) build -c release --product cascade

demo: build
	scripts/demo.sh $(BIN)

unit: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Oracle tests: files and numbers checked by the tools physicists trust (h5py, XGBoost, pyhf, …).
interop: venv unit
	CASCADE=$(BIN_DEBUG) PYTHON=$(PY) Tests/interop/run.sh

cluster: test-deps unit
	CASCADE=$(BIN_DEBUG) Tests/cluster/run.sh

check-report: test-deps unit
	SWIFT="$(SWIFT)" CASCADE=$(BIN_DEBUG) Tests/report/check-report.sh

test: unit interop cluster check-report
	@echo "make test: all suites passed"

bench: build venv
	analysis/benchmarks/run.sh

# libFuzzer targets (CSV reader, config loader, pyhf workspace loader), FUZZ_SECONDS each (default
# 60); findings in .build-fuzz/findings/<target>/. FUZZ_JOBS=3 runs them concurrently.
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) SWIFT=$(SWIFT) Fuzz/run.sh

# The unit tests under AddressSanitizer (whole suite) and ThreadSanitizer (the parallel code:
# boosting, event I/O, cascade); separate build directories so `make test` stays unaffected.
TSAN_FILTER ?= BoostingTests|EventDataTests|PipelineTests|DeterminismAuditTests
test-sanitize: deps
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	$(SWIFT) test --skip-build --sanitize=address --scratch-path .build-asan
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	TSAN_OPTIONS=halt_on_error=1 $(SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan --filter '$(TSAN_FILTER)'

# Peak RSS of `cascade apply` on a generated 10,000,000-event file (must stay < 500 MB).
bench-memory: build venv
	PYTHON=$(PY) analysis/benchmarks/bench_memory.sh

clean:
	rm -rf .build .build-fuzz .build-asan .build-tsan
