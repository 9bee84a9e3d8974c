#!/usr/bin/env bash
# Pseudo-experiments and the template mismatch for the sculpting example, after run.sh.
#
# The cascades trained by run.sh (runs/sculpting-<config>) are kept; only the pseudo-data change:
#  - ensemble: `cascade generate --correlated --seed 1 --data-seed S` for S = 101…(100+N) gives the
#    same Monte Carlo and fresh pseudo-data (κ = 0.5); each is routed through every trained cascade
#    (`cascade apply --sample data` into a copy of the run's regions/) and fitted (`cascade fit --run`);
#  - truth shapes: a large sample generated with the pseudo-data's κ as Monte Carlo
#    (`--simulation-exponent 0.5`, seed 2, independent of the templates), routed through every
#    cascade: its region histograms are each background's true shape in the pseudo-data's generator
#    (template mismatch), and Σ norm × them is the expected pseudo-data (the Asimov-like fit).
# ensemble.py prints the tables. Needs numpy + h5py (e.g. /work/main/.build/venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${CASCADE:-.build/release/cascade}
PY=${PYTHON:-python3}
N=${ENSEMBLE:-20}
BIG=${BIG_EVENTS:-100000}
WORK=runs/sculpting-ensemble
CONFIGS=${CONFIGS:-plain reweight flatness}
mkdir -p "$WORK"

# A config `name` of the trained run `cfg` whose samples point at `mc_dir` / `data_dir` and whose
# output is `out` (absolute paths: the copies live under runs/).
retarget() {
  "$PY" - "$@" <<'EOF'
import json, os, sys
cfg, mc_dir, data_dir, out, path = sys.argv[1:6]
c = json.load(open(f"analysis/sculpting/{cfg}.json"))
c["output"] = os.path.abspath(out)
for s in c["samples"]:
    d = data_dir if s["role"] == "data" else mc_dir
    s["files"] = [os.path.abspath(os.path.join(d, os.path.basename(f))) for f in s["files"]]
json.dump(c, open(path, "w"), indent=2)
EOF
}

[ -f "$WORK/truth-shapes/samples/truth.json" ] ||
  "$BIN" generate --correlated --simulation-exponent 0.5 --events "$BIG" --seed 2 --out "$WORK/truth-shapes/samples" > /dev/null
for c in $CONFIGS; do
  out="$WORK/truth-shapes/$c"
  [ -f "$out/regions.done" ] && continue
  rm -rf "$out"; mkdir -p "$out"
  retarget "$c" "$WORK/truth-shapes/samples" analysis/sculpting/samples "$out" "$out.json"
  for s in signal wgamma wjets ttbar singletop; do
    "$BIN" apply "$out.json" --models "runs/sculpting-$c/models" --sample "$s" --quiet
  done
  touch "$out/regions.done"
done

for i in $(seq 1 "$N"); do
  seed=$((100 + i))
  gen="$WORK/data/$seed"
  [ -f "$gen/truth.json" ] ||
    "$BIN" generate --correlated --events 4096 --seed 1 --data-seed "$seed" --out "$gen" > /dev/null
  for c in $CONFIGS; do
    out="$WORK/$c/$seed"
    [ -f "$out/fit/result.json" ] && continue
    rm -rf "$out"; mkdir -p "$out"
    cp -r "runs/sculpting-$c/regions" "$out/regions"
    retarget "$c" analysis/sculpting/samples "$gen" "$out" "$out/config.json"
    "$BIN" apply "$out/config.json" --models "runs/sculpting-$c/models" --sample data --quiet
    "$BIN" fit --run "$out" > /dev/null 2> >(grep -v '^cascade: warning: fit:' >&2)
  done
done
"$PY" analysis/sculpting/ensemble.py "$WORK" analysis/sculpting/samples/truth.json $CONFIGS
