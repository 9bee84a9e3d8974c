"""Event-file reading throughput: `cascade inspect` vs pandas.read_csv and h5py.

Generates (seeded) one 1,000,000-row x 16-column table (10 float32 features, one with NaNs,
3 float64, int32, int64, bool) and writes it as CSV (pandas `to_csv`, shortest round-trip floats)
and as a gzip-chunked HDF5 (h5py, one shuffle+gzip-4 1-D dataset per column, chunks of 65536 rows).

On the same files, --repeat runs of every tool, alternating within each repeat (cascade CSV,
pandas, cascade HDF5, h5py, cascade CSV, …), each tool in its own process, the load average
printed before every run:
- CSV:  `cascade inspect FILE.csv` (parses every cell, then min/max/NaN/sum of every column),
        timed as the whole process, vs `pandas.read_csv(FILE.csv)` (parse only), timed around
        the call inside a worker process (after a warm-up read of a few rows);
- HDF5: `cascade inspect FILE.h5` (reads and summarises every column), whole process, vs h5py
        reading every column into numpy (`[ds[:] for ds in group.values()]`), timed inside the
        worker.
The peers' timed part does less than cascade (no statistics, no process start); the time the
peer then takes for the same min/max/NaN/sum of every column with numpy is printed for reference.

Reported for every figure: median and min–max over the repeats of the wall time, the CPU time
(user + system: cascade's process from os.wait4, the peer's timed call from getrusage) and the
peak RSS of each tool's process (os.wait4 ru_maxrss; every tool is started by a tiny launcher so
that this script's own memory is not counted). Ratios are throughput ratios (peer time /
cascade time, > 1 means cascade is faster), min = min(peer)/max(cascade), max =
max(peer)/min(cascade); peak RSS ratio cascade / peer for reference.
Goals (issue 2): CSV >= 1.5x pandas, HDF5 >= 1.5x h5py.

    python analysis/benchmarks/bench_io.py --cascade .build/release/cascade [--rows 1000000] [--repeat 3] [--json out.json]
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

GOAL = 1.5


def make_table(rows, seed=1):
    import pandas as pd
    rng = np.random.default_rng(seed)
    cols = {}
    for i in range(10):
        v = (rng.exponential(40.0, rows) if i % 2 == 0 else rng.normal(0.0, 2.0, rows)).astype(np.float32)
        if i == 9:
            v[rng.random(rows) < 0.05] = np.nan
        cols[f"f{i}"] = v
    cols["met"] = rng.exponential(30.0, rows)
    cols["mass"] = rng.normal(125.0, 10.0, rows)
    cols["weight"] = rng.normal(1.0, 0.3, rows)
    cols["n_jets"] = rng.poisson(3.0, rows).astype(np.int32)
    cols["event_number"] = rng.integers(0, 2**40, rows, dtype=np.int64)
    cols["is_tight"] = rng.random(rows) < 0.6
    return pd.DataFrame(cols)


def stats(arrays):
    """min, max, NaN count and sum of the non-NaN values of every column, as `cascade inspect` does."""
    out = {}
    for name, v in arrays:
        if v.dtype.kind == "f":
            nan = np.isnan(v)
            ok = v[~nan]
            out[name] = (float(ok.min()), float(ok.max()), int(nan.sum()), float(ok.sum(dtype=np.float64)))
        else:
            out[name] = (float(v.min()), float(v.max()), 0, float(v.sum(dtype=np.float64)))
    return out


def cpu_self():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def worker(tool, path):
    """Runs inside a child process: read the whole table (timed), then the statistics (timed), print JSON."""
    if tool == "pandas":
        import pandas as pd
        pd.read_csv(path, nrows=10)  # warm-up: lazy imports and parser set-up are not timed
        c0, t0 = cpu_self(), time.perf_counter()
        df = pd.read_csv(path)
        read_s, read_cpu = time.perf_counter() - t0, cpu_self() - c0
        s0 = time.perf_counter()
        stats((name, df[name].to_numpy()) for name in df.columns)
        stats_s = time.perf_counter() - s0
    else:
        import h5py
        with h5py.File(path, "r") as f:  # warm-up: the library and its filters are loaded
            next(iter(f["events"].values()))[:1]
        c0, t0 = cpu_self(), time.perf_counter()
        with h5py.File(path, "r") as f:
            g = f["events"]
            cols = [(name, ds[:]) for name, ds in g.items()]
        read_s, read_cpu = time.perf_counter() - t0, cpu_self() - c0
        s0 = time.perf_counter()
        stats(cols)
        stats_s = time.perf_counter() - s0
    print(json.dumps({"wall_s": read_s, "cpu_s": read_cpu, "stats_s": stats_s}))


# Peak RSS from os.wait4 is only the tool's own if its parent is small: at exec, Linux carries the
# parent's RSS high-water mark into the child's ru_maxrss (fork and vfork alike), and this script
# holds the generated data. So every tool is started by this tiny launcher (python -S, ~8 MiB),
# which spawns it, waits for it with os.wait4 and writes wall time, exit code, ru_maxrss and CPU.
LAUNCHER = r'''
import os, sys, time
t0 = time.perf_counter()
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - t0
with open(sys.argv[1], "w") as f:
    f.write(f"{wall} {os.waitstatus_to_exitcode(status)} {ru.ru_maxrss} {ru.ru_utime + ru.ru_stime}")
'''


def run(cmd):
    """Runs cmd in its own process: (stdout, wall s, CPU s, peak RSS MiB, load average before)."""
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".rusage") as res:
        p = subprocess.run([sys.executable, "-S", "-c", LAUNCHER, res.name, *cmd], stdout=out, stderr=err)
        out.seek(0), err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
        fields = res.read().split()
    if p.returncode != 0 or len(fields) != 4 or fields[1] != "0":
        sys.exit(f"failed: {' '.join(cmd)}\n{stderr[-2000:]}")
    wall, _, maxrss_kib, cpu = fields
    return stdout, float(wall), float(cpu), int(maxrss_kib) / 1024, load


def spread(v):
    return {"median": statistics.median(v), "min": min(v), "max": max(v), "all": list(v)}


def ratio(num, den):
    """median(num)/median(den) with range min(num)/max(den) … max(num)/min(den)."""
    return {"median": statistics.median(num) / statistics.median(den),
            "min": min(num) / max(den), "max": max(num) / min(den)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cascade", default=".build/release/cascade")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", default=None, help="where to write the generated files (default: a temp dir)")
    ap.add_argument("--json", help="write the results (every run, medians, min–max, ratios) here")
    ap.add_argument("--worker", choices=["pandas", "h5py"], help=argparse.SUPPRESS)
    ap.add_argument("--file", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.worker, args.file)
        return
    import h5py

    workdir = args.dir or tempfile.mkdtemp(prefix="cascade-bench-io-")
    os.makedirs(workdir, exist_ok=True)
    csv = os.path.join(workdir, "bench.csv")
    h5 = os.path.join(workdir, "bench.h5")
    df = make_table(args.rows)
    df.to_csv(csv, index=False)
    with h5py.File(h5, "w") as f:
        g = f.create_group("events")
        for name in df.columns:
            g.create_dataset(name, data=df[name].to_numpy(), chunks=(min(65536, args.rows),),
                             compression="gzip", compression_opts=4, shuffle=True)
    print(f"table: {args.rows} rows x {df.shape[1]} columns; CSV {os.path.getsize(csv) / 1e6:.1f} MB, "
          f"HDF5 {os.path.getsize(h5) / 1e6:.1f} MB; {os.cpu_count()} cores; {args.repeat} repeats", flush=True)

    # Sanity: cascade sees the same table.
    out = json.loads(subprocess.run([args.cascade, "inspect", "--json", csv, h5], check=True,
                                    capture_output=True, text=True).stdout)
    for obj in out:
        assert obj["rows"] == args.rows, obj["rows"]
        s = {c["name"]: c for c in obj["columns"]}
        assert s["f9"]["nan_count"] == int(df["f9"].isna().sum()), obj["file"]
        assert abs(s["weight"]["sum"] - df["weight"].sum()) <= 1e-9 * abs(df["weight"].sum())
    del df

    tools = [("CSV", "cascade", csv), ("CSV", "pandas", csv), ("HDF5", "cascade", h5), ("HDF5", "h5py", h5)]
    runs = {(fmt, tool): [] for fmt, tool, _ in tools}
    for r in range(args.repeat):
        for fmt, tool, path in tools:  # alternate the tools run by run
            if tool == "cascade":
                _, wall, cpu, rss, load = run([args.cascade, "inspect", path])
                res = {"wall_s": wall, "cpu_s": cpu}
                what = "cascade inspect (process)"
            else:
                o, proc, _, rss, load = run([sys.executable, os.path.abspath(__file__), "--worker", tool, "--file", path])
                res = json.loads(o.strip().splitlines()[-1])
                res["process_s"] = proc
                what = "pandas.read_csv" if tool == "pandas" else "h5py all columns"
            res.update({"rss_mib": rss, "load": load})
            runs[(fmt, tool)].append(res)
            extra = f", +stats {res['stats_s']:.3f} s, process {res['process_s']:.2f} s" if tool != "cascade" else ""
            print(f"  run {r + 1}: {fmt:4} {what:26} wall {res['wall_s']:6.3f} s  cpu {res['cpu_s']:6.3f} s  "
                  f"RSS {rss:5.0f} MiB{extra}  (load {load:.2f})", flush=True)

    loads = [x["load"] for v in runs.values() for x in v]
    summary = {}
    for (fmt, tool), rr in runs.items():
        sm = {k: spread([x[k] for x in rr]) for k in ("wall_s", "cpu_s", "rss_mib")}
        if tool != "cascade":
            sm["wall_plus_stats_s"] = spread([x["wall_s"] + x["stats_s"] for x in rr])
            sm["process_s"] = spread([x["process_s"] for x in rr])
        summary[f"{fmt} {tool}"] = sm
    print(f"\nmedian (min–max) of {args.repeat} runs; load average {min(loads):.2f}–{max(loads):.2f} on "
          f"{os.cpu_count()} cores (wall-clock ratios need an idle machine; CPU-time ratios compare the work done)")
    cell = lambda d, f: f"{d['median']:{f}} ({d['min']:{f}}–{d['max']:{f}})"
    for key, sm in summary.items():
        print(f"  {key:13} wall {cell(sm['wall_s'], '.3f')} s  cpu {cell(sm['cpu_s'], '.3f')} s  "
              f"peak RSS {cell(sm['rss_mib'], '.0f')} MiB")
    ratios = {}
    for fmt, peer, name in [("CSV", "pandas", "pandas.read_csv"), ("HDF5", "h5py", "h5py")]:
        c, p = summary[f"{fmt} cascade"], summary[f"{fmt} {peer}"]
        rw, rc = ratio(p["wall_s"]["all"], c["wall_s"]["all"]), ratio(p["cpu_s"]["all"], c["cpu_s"]["all"])
        rs = ratio(p["wall_plus_stats_s"]["all"], c["wall_s"]["all"])
        rm = ratio(c["rss_mib"]["all"], p["rss_mib"]["all"])
        ratios[fmt] = {"peer": peer, "throughput_wall": rw, "throughput_cpu": rc, "throughput_wall_peer_with_stats": rs,
                       "rss_cascade_over_peer": rm, "goal": f">= {GOAL}",
                       "met": rw["median"] >= GOAL}
        print(f"{fmt:4}: throughput cascade / {name}: wall {rw['median']:.2f}x (min {rw['min']:.2f}, max {rw['max']:.2f}), "
              f"cpu {rc['median']:.2f}x (min {rc['min']:.2f}, max {rc['max']:.2f}); goal >= {GOAL}: "
              f"{'met' if rw['median'] >= GOAL else 'not met'}")
        print(f"      (peer + the same statistics: wall {rs['median']:.2f}x, min {rs['min']:.2f}, max {rs['max']:.2f}; "
              f"peak RSS cascade / {peer}: {rm['median']:.2f}, min {rm['min']:.2f}, max {rm['max']:.2f})")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rows": args.rows, "repeat": args.repeat, "csv_bytes": os.path.getsize(csv),
                       "hdf5_bytes": os.path.getsize(h5), "load_average": spread(loads),
                       "runs": {f"{fmt} {tool}": v for (fmt, tool), v in runs.items()},
                       "summary": summary, "ratios": ratios}, f, indent=2)


if __name__ == "__main__":
    main()
