#!/usr/bin/env python3
"""Benchmark: reading a ROOT TTree with `cascade inspect` (and `cascade convert` to HDF5) vs uproot.

One generated file (default 1,000,000 entries × 16 flat branches, 8 Float_t + 8 Double_t, ZLIB
level 1 — uproot's default compression — one basket per branch per 100,000 entries written by
`mktree` + `extend`). Each tool runs in its own process and is timed from outside, alternating
runs; reported: median wall time (min–max) and throughput in uncompressed MB/s.

- cascade: `cascade inspect FILE --json` (reads every branch, min/max/NaN count/sum per column);
- uproot: `tree.arrays(library="np")` plus the same min/max/NaN count/sum per column with numpy;
- also `cascade convert FILE out.h5` (read + write HDF5) for reference.

    python analysis/benchmarks/bench_root.py [--rows 1000000] [--runs 3] [--cascade .build/release/cascade]

Goal: cascade inspect ≥ 1.5× uproot's throughput. The machine's load average is printed: on a
shared machine the ratio is what is comparable, not the absolute times.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import uproot

UPROOT_READ = r'''
import sys, numpy as np, uproot
arrays = uproot.open(sys.argv[1])["events"].arrays(library="np")
out = {}
for k, v in arrays.items():
    ok = v[~np.isnan(v)]
    out[k] = (float(ok.min()), float(ok.max()), int(len(v) - len(ok)), float(ok.sum(dtype=np.float64)))
print(len(out))
'''


def generate(path, rows, seed=3):
    rng = np.random.default_rng(seed)
    step = 100_000
    with uproot.recreate(path, compression=uproot.ZLIB(1)) as f:
        types = {f"f{i}": np.float32 for i in range(8)} | {f"d{i}": np.float64 for i in range(8)}
        t = f.mktree("events", types)
        for s in range(0, rows, step):
            n = min(step, rows - s)
            # Physics-like values: rounded to a few digits so ZLIB has something to compress.
            t.extend({k: np.round(rng.normal(50, 20, n), 3 if v is np.float32 else 5).astype(v) for k, v in types.items()})
    return sum(rows * (4 if k.startswith("f") else 8) for k in types)


def timed(cmd):
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {r.stderr.decode()[-400:]}")
    return dt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cascade", default=".build/release/cascade")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-root-")
    path = os.path.join(tmp, "bench.root")
    raw_bytes = generate(path, args.rows)
    size = os.path.getsize(path)
    print(f"file: {args.rows} entries × 16 branches (8 float32, 8 float64), ZLIB(1), {size / 1e6:.1f} MB on disk, {raw_bytes / 1e6:.1f} MB of values")
    with open(path, "rb") as f:  # warm the page cache for everyone
        f.read()
    tools = {
        "cascade inspect": [args.cascade, "inspect", path, "--json"],
        "uproot arrays+stats": [sys.executable, "-c", UPROOT_READ, path],
        "cascade convert →h5": [args.cascade, "convert", path, os.path.join(tmp, "out.h5")],
    }
    times = {k: [] for k in tools}
    load_before = os.getloadavg()
    for _ in range(args.runs):
        for name, cmd in tools.items():  # alternate the tools run by run
            times[name].append(timed(cmd))
    load_after = os.getloadavg()
    print(f"load average: {load_before[0]:.2f} before, {load_after[0]:.2f} after ({os.cpu_count()} cores)")
    med = {k: statistics.median(v) for k, v in times.items()}
    for name, v in times.items():
        print(f"  {name:22s} median {med[name]:.3f} s (min {min(v):.3f}, max {max(v):.3f})  {raw_bytes / 1e6 / med[name]:7.1f} MB/s")
    ratio = med["uproot arrays+stats"] / med["cascade inspect"]
    lo = min(times["uproot arrays+stats"]) / max(times["cascade inspect"])
    hi = max(times["uproot arrays+stats"]) / min(times["cascade inspect"])
    print(f"cascade inspect throughput / uproot: {ratio:.2f}× (range {lo:.2f}–{hi:.2f}×; goal ≥ 1.5×)")
    for f in os.listdir(tmp):
        os.remove(os.path.join(tmp, f))
    os.rmdir(tmp)


if __name__ == "__main__":
    main()
