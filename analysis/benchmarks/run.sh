#!/usr/bin/env bash
# One entry for every benchmark: cascade against its peers on the same data in the same run,
# reported as ratios. Needs the release build (make build) and a Python venv with
# analysis/benchmarks/requirements.txt (make bench creates both).
#
# usage: analysis/benchmarks/run.sh [chain|io|root|bdt|fit|fit-large|memory ...]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-.build/venv/bin/python}
CASCADE=${CASCADE:-.build/release/cascade}
[ -x "$CASCADE" ] || { echo "run.sh: build first (make build): $CASCADE missing" >&2; exit 1; }
"$PY" -m pip install -q --disable-pip-version-check -r analysis/benchmarks/requirements.txt
which=${*:-chain io root bdt fit fit-large memory}
for b in $which; do
  echo "=== $b"
  case $b in
    chain) "$PY" analysis/benchmarks/bench_chain.py --cascade "$CASCADE" ;;
    io) "$PY" analysis/benchmarks/bench_io.py --cascade "$CASCADE" ;;
    root) "$PY" analysis/benchmarks/bench_root.py --cascade "$CASCADE" ;;
    bdt) "$PY" analysis/benchmarks/bench_bdt.py --cascade "$CASCADE" ;;
    fit) "$PY" analysis/benchmarks/bench_fit.py --cascade "$CASCADE" ;;
    fit-large) "$PY" analysis/benchmarks/bench_fit_large.py --cascade "$CASCADE" ;;
    memory)
      if [ -x analysis/benchmarks/bench_memory.sh ]; then CASCADE="$CASCADE" analysis/benchmarks/bench_memory.sh
      else echo "(bench_memory.sh not present)"; fi ;;
    *) echo "unknown benchmark: $b" >&2; exit 1 ;;
  esac
done
