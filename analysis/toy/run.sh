#!/usr/bin/env bash
# The worked toy analysis: the whole chain on the shipped samples, then the closure check
# (every fitted normalisation within 2 sigma of the generator's truth). Exits 1 if closure fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${CASCADE:-.build/release/cascade}
[ -x "$BIN" ] || swift build -c release --product cascade
"$BIN" run configs/toy.json --quiet 2> >(grep -v '^cascade: warning: fit:' >&2)
"$BIN" report runs/toy --format text
analysis/toy/closure.py configs/toy.json runs/toy/fit/result.json samples/toy/truth.json
