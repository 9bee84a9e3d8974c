# The two commands: `make demo` and `make test`. Both install what they need on Debian (as root).
SWIFT ?= swift
VENV ?= .build/venv
PY := $(VENV)/bin/python
BIN_DEBUG := .build/debug/cascade
BIN := .build/release/cascade

.PHONY: demo test build deps test-deps venv unit interop cluster check-report bench clean

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

clean:
	rm -rf .build
