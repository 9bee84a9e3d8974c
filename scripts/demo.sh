#!/usr/bin/env bash
# make demo: the whole toy analysis on the shipped samples — train the 3-stage cascade, route
# every event, evaluate, fit every yield, write the report — then print the results.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/release/cascade}
RUN=runs/toy
start=$(date +%s)
"$BIN" run configs/toy.json
echo
"$BIN" report "$RUN" --format text
echo
echo "Fitted normalisations (POI first), nuisance parameters of the systematics, and yields"
echo "============================================"
"$BIN" fit --run "$RUN" | grep -E '^(fit|parameter|mu_|jes|photon_sf|ttbar_generator|lumi)'
echo
echo "Systematic migrations and pruning: $RUN/tables/systematics.md"
# awk reads the file itself: no pipe to close early (set -o pipefail would fail on SIGPIPE).
awk 'NR > 40 { exit } { print } /^## photon_sf/ { exit }' "$RUN/tables/systematics.md"
echo
cat "$RUN/fit/yields.md"
echo
echo "closure against the generator's truth (samples/toy/truth.json):"
analysis/toy/closure.py configs/toy.json "$RUN/fit/result.json" samples/toy/truth.json || true
echo
echo "HTML report: $RUN/report/index.html   (demo took $(( $(date +%s) - start )) s)"
