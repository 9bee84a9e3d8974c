#!/usr/bin/env bash
# Memory benchmark (issue 9): `cascade apply` on a 10,000,000-event HDF5 file must keep its peak
# resident memory under 500 MB, because apply streams blocks of training.chunk_rows rows.
#
#   analysis/benchmarks/bench_memory.sh            # uses .build/release/cascade (built if missing)
#   EVENTS=2000000 analysis/benchmarks/bench_memory.sh
#
# Steps: `cascade generate` a small toy (training sample); tile its signal file to EVENTS rows
# with h5py (only the columns the cascade reads, gzip, chunked — the layout cascade writes);
# train a small 2-stage cascade on the toy; `/usr/bin/time -v cascade apply --files BIG`.
# Disk: ~0.5 GB input + the apply outputs (kept columns limited by keep_columns); the work
# directory (analysis/benchmarks/data/memory) is removed at the end unless KEEP=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
EVENTS=${EVENTS:-10000000}
LIMIT_MB=${LIMIT_MB:-500}
PYTHON=${PYTHON:-/work/venv-cache/bin/python}
[ -x "$PYTHON" ] || PYTHON=.build/venv/bin/python
CASCADE=${CASCADE:-.build/release/cascade}
if [ ! -x "$CASCADE" ]; then swift build -c release --product cascade; fi
CASCADE=$(realpath "$CASCADE")
W=analysis/benchmarks/data/memory
rm -rf "$W"; mkdir -p "$W"
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$W"' EXIT

"$CASCADE" generate --out "$W/toy" --events 20000 --seed 3 >/dev/null
"$PYTHON" - "$W/toy/signal.h5" "$W/big.h5" "$EVENTS" <<'PY'
import sys, h5py, numpy as np
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
cols = ["event_number", "weight", "m_lg", "photon_iso", "photon_sieie", "dr_lg", "n_jets", "n_bjets", "ht"]
with h5py.File(src, "r") as f, h5py.File(dst, "w") as g:
    ev = g.create_group("events")
    block = 1 << 20
    for c in cols:
        x = f["events"][c][...]
        d = ev.create_dataset(c, shape=(n,), dtype=x.dtype, chunks=(65536,), compression="gzip", compression_opts=1)
        for s in range(0, n, block):
            e = min(n, s + block)
            d[s:e] = np.arange(s, e, dtype=x.dtype) if c == "event_number" else np.resize(x, e - s)
PY
cat > "$W/config.json" <<'JSON'
{"name": "memory", "output": "run", "event_number": "event_number",
 "keep_columns": ["event_number", "weight", "m_lg"],
 "samples": [
   {"name": "signal", "role": "signal", "files": ["toy/signal.h5"], "weight": "weight"},
   {"name": "wjets", "role": "background", "files": ["toy/wjets.h5"], "weight": "weight"},
   {"name": "top", "role": "background", "files": ["toy/ttbar.h5", "toy/singletop.h5"], "weight": "weight"},
   {"name": "big", "role": "data", "files": ["big.h5"]}],
 "bdt": {"trees": 50, "depth": 4, "learning_rate": 0.2, "bins": 64},
 "stages": [
   {"name": "vs_wjets", "background": "wjets", "features": ["photon_iso", "photon_sieie", "dr_lg"], "working_point": {"signal_efficiency": 0.95}},
   {"name": "vs_top", "background": "top", "features": ["n_jets", "n_bjets", "ht"], "working_point": {"signal_efficiency": 0.95}}],
 "training": {"folds": 2, "seed": 1, "chunk_rows": 65536}}
JSON
"$CASCADE" train "$W/config.json" --quiet
/usr/bin/time -v "$CASCADE" apply "$W/config.json" --sample big --quiet 2> "$W/time.txt"
rss_kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$W/time.txt")
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$W/time.txt")
rows=$("$CASCADE" inspect "$W/run/scores/big/big.h5" --json | "$PYTHON" -c 'import json,sys; d=json.load(sys.stdin); d=d[0] if isinstance(d,list) else d; print(d.get("rows", d.get("row_count", "?")))')
rss_mb=$((rss_kb / 1024))
echo "bench_memory: apply on $EVENTS events ($rows rows scored): peak RSS ${rss_mb} MB (limit ${LIMIT_MB} MB), wall $wall"
[ "$rss_mb" -lt "$LIMIT_MB" ] || { echo "bench_memory: FAIL: peak RSS ${rss_mb} MB >= ${LIMIT_MB} MB"; exit 1; }
