#!/usr/bin/env bash
# The sculpting example: the correlated toy (photon_ptrel follows m_lg in the backgrounds,
# mismodelled in the pseudo-data), the toy cascade run plain and with the vs_wgamma stage
# decorrelated by reweighting and by the flatness loss; prints sculpting, AUC and closure.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${CASCADE:-.build/release/cascade}
[ -x "$BIN" ] || swift build -c release --product cascade
[ -f analysis/sculpting/samples/truth.json ] ||
  "$BIN" generate --correlated --out analysis/sculpting/samples --events 12000 --seed 1 > /dev/null
for c in ${CONFIGS:-plain reweight flatness}; do
  echo "== $c"
  "$BIN" run analysis/sculpting/$c.json --quiet 2> >(grep -v '^cascade: warning: fit:' >&2)
  python3 analysis/sculpting/summary.py analysis/sculpting/$c.json runs/sculpting-$c analysis/sculpting/samples/truth.json
done
