"""Oracle test for the event-data layer: files written by `cascade convert` as h5py/pandas see them,
and `cascade inspect --json` of the reference files against numpy's expected.json.

Checks:
- a CSV (NaN, ±inf, empty cells, int64 extremes, bools, shortest-repr doubles) converted to HDF5
  with small chunks is read by h5py with identical values, dtypes float64/int64/bool, column order
  kept, gzip+shuffle chunks, and the provenance-free layout `/events`;
- the h5py compound reference (float32/int32/bool/int64) converted to HDF5 keeps its dtypes in h5py,
  and pandas reads our CSV output with identical values;
- converting the same input twice gives byte-identical HDF5;
- `cascade inspect --json` of the three reference layouts: rows, table, dtypes, NaN counts, sums
  (1e-12 relative: numpy sums pairwise, cascade in row order).
"""
import json
import zlib
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import pandas as pd

CASCADE = os.environ["CASCADE"]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures", "hdf5")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(*args):
    r = subprocess.run([CASCADE, *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"cascade {' '.join(args)} failed: {r.stderr.strip()}")
    return r.stdout


def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    if a.dtype.kind == "f":
        return bool(np.array_equal(a, b, equal_nan=True) and np.array_equal(np.signbit(a), np.signbit(b)))
    return bool(np.array_equal(a, b))


tmp = tempfile.mkdtemp(prefix="cascade-interop-eventdata-")
rng = np.random.default_rng(5)
n = 1000
x = rng.normal(size=n) * 10.0 ** rng.integers(-12, 12, size=n)
x[:6] = [np.nan, np.inf, -np.inf, -0.0, 5e-324, np.finfo(float).max]
ids = rng.integers(-(2**62), 2**62, size=n, dtype=np.int64)
ids[0], ids[1] = np.iinfo(np.int64).min, np.iinfo(np.int64).max
flags = rng.random(n) < 0.3
empty_rows = set(range(10, n, 97))
csv = os.path.join(tmp, "in.csv")
with open(csv, "w") as f:
    f.write("x,event_number,is_tight,y\r\n")
    for i in range(n):
        y = "" if i in empty_rows else repr(float(i) / 7)
        xs = {0: "nan", 1: "inf", 2: "-Inf"}.get(i, repr(float(x[i])))
        f.write(f"{xs},{ids[i]},{'true' if flags[i] else 'False'},{y}\r\n")
yv = np.array([np.nan if i in empty_rows else i / 7 for i in range(n)])

h5 = os.path.join(tmp, "out.h5")
run("convert", csv, h5, "--chunk-rows", "7", "--gzip", "5")
with h5py.File(h5, "r") as f:
    g = f["events"]
    check(list(g.keys()) == ["x", "event_number", "is_tight", "y"], f"column order {list(g.keys())}")
    check(g["x"].dtype == np.float64 and g["event_number"].dtype == np.int64 and g["is_tight"].dtype == np.bool_,
          f"dtypes {[g[k].dtype for k in g]}")
    check(g["x"].chunks == (7,) and g["x"].compression == "gzip" and g["x"].compression_opts == 5 and g["x"].shuffle,
          "chunking/compression")
    check(same(g["x"][:], x), "x values")
    check(same(g["event_number"][:], ids), "event_number values")
    check(same(g["is_tight"][:], flags), "bool values")
    check(same(g["y"][:], yv), "y values (empty cells are NaN)")
# cascade shuffles and deflates chunks itself (libdeflate, on all cores): every stored chunk, the
# partial last one included, must hold what libhdf5's own filters store for the same data and
# layout — the same filter mask and, once inflated by zlib, the same shuffled bytes.
h5ref = os.path.join(tmp, "by-h5py.h5")
with h5py.File(h5, "r") as f, h5py.File(h5ref, "w") as r:
    for k in f["events"]:
        r.create_dataset(k, data=f["events"][k][:], chunks=(7,), compression="gzip", compression_opts=5, shuffle=True)
    for k in f["events"]:
        ours, theirs = f["events"][k].id, r[k].id
        check(ours.get_num_chunks() == theirs.get_num_chunks(), f"{k}: chunk count")
        for i in range(ours.get_num_chunks()):
            off = ours.get_chunk_info(i).chunk_offset
            (mask_o, raw_o), (mask_t, raw_t) = ours.read_direct_chunk(off), theirs.read_direct_chunk(off)
            check(mask_o == mask_t, f"{k}: chunk {i}: filter mask {mask_o} vs libhdf5's {mask_t}")
            check(zlib.decompress(raw_o) == zlib.decompress(raw_t), f"{k}: chunk {i} differs from libhdf5's filters")
h5b = os.path.join(tmp, "again.h5")
run("convert", csv, h5b, "--chunk-rows", "7", "--gzip", "5")
check(open(h5, "rb").read() == open(h5b, "rb").read(), "same input gives byte-identical HDF5")

# Typed columns survive HDF5 → HDF5, and pandas reads our CSV.
ref = os.path.join(FIXTURES, "h5py_compound.h5")
typed = os.path.join(tmp, "typed.h5")
run("convert", ref, typed)
out_csv = os.path.join(tmp, "typed.csv")
run("convert", ref, out_csv)
with h5py.File(ref, "r") as r, h5py.File(typed, "r") as f:
    src = r["events"][:]
    for name in src.dtype.names:
        check(f["events"][name].dtype == src.dtype[name], f"{name}: dtype {f['events'][name].dtype} vs {src.dtype[name]}")
        check(same(f["events"][name][:], src[name]), f"{name}: values after HDF5 → HDF5")
    df = pd.read_csv(out_csv)
    for name in src.dtype.names:
        # float32 columns are written in their shortest float32 text: equal once rounded to float32.
        got = df[name].to_numpy().astype(src.dtype[name])
        check(same(got, src[name]), f"{name}: pandas reads the CSV with identical values")

# inspect --json of the reference layouts vs expected.json.
expected = json.load(open(os.path.join(FIXTURES, "expected.json")))
names = ["h5py_columns.h5", "h5py_compound.h5", "pandas_table.h5"]
layouts = {"h5py_columns.h5": "columns", "h5py_compound.h5": "compound", "pandas_table.h5": "pytables"}
report = json.loads(run("inspect", "--json", *[os.path.join(FIXTURES, f) for f in names]))
check(isinstance(report, list) and len(report) == 3, "inspect --json of 3 files is an array of 3")
for name, obj in zip(names, report):
    exp = expected[name]
    check(list(obj.keys()) == ["file", "layout", "table", "rows", "columns"], f"{name}: keys {list(obj.keys())}")
    check(obj["layout"] == layouts[name], f"{name}: layout {obj['layout']}")
    check(obj["table"] == exp["table"], f"{name}: table {obj['table']}")
    check(obj["rows"] == exp["rows"], f"{name}: rows {obj['rows']}")
    check([c["name"] for c in obj["columns"]] != [] and {c["name"] for c in obj["columns"]} == set(exp["columns"]),
          f"{name}: columns")
    for c in obj["columns"]:
        e = exp["columns"][c["name"]]
        check(c["dtype"] == e["dtype"], f"{name}/{c['name']}: dtype {c['dtype']} vs {e['dtype']}")
        check(c["nan_count"] == e["nan_count"], f"{name}/{c['name']}: nan_count")
        check(abs(c["sum"] - e["nansum"]) <= 1e-12 * max(1.0, abs(e["nansum"])),
              f"{name}/{c['name']}: sum {c['sum']!r} vs {e['nansum']!r}")
    with h5py.File(os.path.join(FIXTURES, name), "r") as f:
        obj_cols = {c["name"]: c for c in obj["columns"]}
        if name == "h5py_columns.h5":
            arrays = {k: f["events"][k][:] for k in f["events"]}
        else:
            t = f[exp["table"]][:]
            arrays = {k: t[k] for k in t.dtype.names if k != "index"}
        for k, a in arrays.items():
            a = a.astype(np.float64)
            check(obj_cols[k]["min"] == np.nanmin(a) and obj_cols[k]["max"] == np.nanmax(a), f"{name}/{k}: min/max")

print(f"checked: h5py reads cascade's HDF5 (values, dtypes, order, chunks), determinism, pandas reads the CSV, "
      f"inspect --json of {len(names)} reference layouts; {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
