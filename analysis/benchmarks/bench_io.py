"""Event-file reading throughput: `cascade inspect` vs pandas.read_csv and h5py.

Generates one 1,000,000-row x 16-column table (10 float32 features, one with NaNs, 3 float64,
int32, int64, bool) and writes it as CSV (pandas `to_csv`, shortest round-trip floats) and as a
gzip-chunked HDF5 (h5py, one shuffle+gzip-4 1-D dataset per column, chunks of 65536 rows).

Timed on the same files, best of --repeat runs (wall clock, including process start for cascade):
- CSV:  `cascade inspect FILE.csv` (parses every cell, then min/max/NaN/sum of every column)
        vs `pandas.read_csv(FILE.csv)` (parse only);
- HDF5: `cascade inspect FILE.h5` (reads and summarises every column) vs h5py reading every
        column into numpy (`[ds[:] for ds in group.values()]`).
Ratios are throughput ratios (other tool's time / cascade's time): > 1 means cascade is faster.
Both wall-clock and CPU time (user + system, cascade's child process included) are reported: on
a loaded machine cascade's parallel parsing cannot show in wall-clock time.
Goals (issue 2): CSV >= 1.5x pandas, HDF5 >= 1.0x h5py.

    python analysis/benchmarks/bench_io.py --cascade .build/release/cascade [--rows 1000000]
"""
import argparse
import os
import resource
import subprocess
import tempfile
import time

import h5py
import numpy as np
import pandas as pd


def make_table(rows, seed=1):
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


def cpu_seconds():
    """CPU time (user + system) of this process and its finished children."""
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def best_of(n, fn):
    """Best wall-clock time and best CPU time over n runs."""
    walls, cpus = [], []
    for _ in range(n):
        c0, t0 = cpu_seconds(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(cpu_seconds() - c0)
    return min(walls), min(cpus)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cascade", default=".build/release/cascade")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", default=None, help="where to write the generated files (default: a temp dir)")
    args = ap.parse_args()

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
          f"HDF5 {os.path.getsize(h5) / 1e6:.1f} MB; {os.cpu_count()} cores")

    def cascade(path):
        subprocess.run([args.cascade, "inspect", path], check=True, stdout=subprocess.DEVNULL)

    def h5py_all():
        with h5py.File(h5, "r") as f:
            return [ds[:] for ds in f["events"].values()]

    # Sanity: cascade sees the same table.
    import json
    out = json.loads(subprocess.run([args.cascade, "inspect", "--json", csv, h5], check=True,
                                    capture_output=True, text=True).stdout)
    for obj in out:
        assert obj["rows"] == args.rows, obj["rows"]
        s = {c["name"]: c for c in obj["columns"]}
        assert s["f9"]["nan_count"] == int(df["f9"].isna().sum()), obj["file"]
        assert abs(s["weight"]["sum"] - df["weight"].sum()) <= 1e-9 * abs(df["weight"].sum())

    t_pandas, c_pandas = best_of(args.repeat, lambda: pd.read_csv(csv))
    t_cascade_csv, c_cascade_csv = best_of(args.repeat, lambda: cascade(csv))
    t_h5py, c_h5py = best_of(args.repeat, h5py_all)
    t_cascade_h5, c_cascade_h5 = best_of(args.repeat, lambda: cascade(h5))

    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} cores (wall-clock ratios need an idle machine; "
          f"CPU-time ratios compare the work done)")
    print(f"CSV : pandas.read_csv wall {t_pandas:6.3f} s cpu {c_pandas:6.3f} s | cascade inspect wall "
          f"{t_cascade_csv:6.3f} s cpu {c_cascade_csv:6.3f} s | throughput ratio wall {t_pandas / t_cascade_csv:4.2f}x "
          f"cpu {c_pandas / c_cascade_csv:4.2f}x (goal >= 1.5)")
    print(f"HDF5: h5py all columns wall {t_h5py:6.3f} s cpu {c_h5py:6.3f} s | cascade inspect wall "
          f"{t_cascade_h5:6.3f} s cpu {c_cascade_h5:6.3f} s | throughput ratio wall {t_h5py / t_cascade_h5:4.2f}x "
          f"cpu {c_h5py / c_cascade_h5:4.2f}x (goal >= 1.0)")

if __name__ == "__main__":
    main()
