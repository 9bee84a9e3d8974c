# The two commands: `make demo` and `make test`. Both install what they need on Debian (as root).
SWIFT ?= swift
VENV ?= .build/venv
PY := $(VENV)/bin/python
BIN_DEBUG := .build/debug/cascade
BIN := .build/release/cascade

.PHONY: docs demo test build deps test-deps venv unit interop cluster check-report bench clean fuzz test-sanitize bench-memory

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

# API documentation of the library modules (DocC catalogs in Sources/<Module>/<Module>.docc), as
# static sites in .build/docs/<Module>/ (open index.html through any static file server).
DOC_MODULES ?= CascadeSupport EventData Boosting Cascade Evaluation YieldFit Report Analysis Workflow
docs: deps
	@mkdir -p .build/docs; for m in $(DOC_MODULES); do \
	  $(SWIFT) package --allow-writing-to-directory .build/docs/$$m generate-documentation --target $$m \
	    --disable-indexing --transform-for-static-hosting --output-path .build/docs/$$m || exit 1; \
	done
	@echo "docs: .build/docs/<Module>/index.html for $(DOC_MODULES)"

bench: build venv
	analysis/benchmarks/run.sh

# libFuzzer targets (CSV reader, config loader, pyhf workspace loader), FUZZ_SECONDS each (default
# 60); findings in .build-fuzz/findings/<target>/. FUZZ_JOBS=3 runs them concurrently.
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) SWIFT=$(SWIFT) Fuzz/run.sh

# The unit tests under AddressSanitizer (whole suite; memory errors, leaks not checked) and
# ThreadSanitizer (the parallel code: boosting, event I/O, cascade); separate build directories
# so `make test` stays unaffected. Not part of `make test`: two extra full builds.
TSAN_FILTER ?= BoostingTests|EventDataTests|PipelineTests|DeterminismAuditTests
test-sanitize: deps
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --skip-build --sanitize=address --scratch-path .build-asan
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	TSAN_OPTIONS=halt_on_error=1 $(SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan --filter '$(TSAN_FILTER)'

# Peak RSS of `cascade apply` on a generated 10,000,000-event file (must stay < 500 MB).
bench-memory: build venv
	PYTHON=$(PY) analysis/benchmarks/bench_memory.sh

clean:
	rm -rf .build .build-fuzz .build-asan .build-tsan
