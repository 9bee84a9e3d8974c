"""Oracle test for the ROOT reader: files written by uproot (and by ROOT itself when a PyROOT is
available) read by `cascade` exactly as uproot reads them.

Checks:
- uproot-written trees (`uproot.recreate` + `mktree`/`extend`) with every flat leaf type, ZLIB, LZ4,
  ZSTD, LZMA and uncompressed baskets, many small baskets, several trees and a subdirectory:
  `cascade inspect --json` rows/dtypes/min/max/sum, and `cascade convert x.root y.h5` read back by
  h5py, value by value against uproot's `tree.arrays(library="np")`;
- a basket over 16 MiB (several compression blocks);
- an RNTuple (uproot's `file[name] = {...}`) and a binary non-event file give one clean error line;
- the toy analysis run on ROOT copies of samples/toy/*.h5 gives byte-identical models, regions, fit
  and tables, and value-identical scores, to the run on `cascade convert`'s HDF5 of those copies;
- with PyROOT (env ROOT_PYTHON, default /tmp/rootpip/venv/bin/python when present): trees written by
  ROOT with `TTree::Branch` defaults in ZLIB/LZ4/ZSTD/LZMA, a leaf list, a memory-resident tree whose
  basket is embedded in the TTree record, and a >2 GB (sparse) file with 64-bit seek pointers.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import uproot

CASCADE = os.environ["CASCADE"]
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
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


def run_fails(*args):
    r = subprocess.run([CASCADE, *args], capture_output=True)
    return r.returncode, r.stderr


DTYPES = {"b": np.bool_, "i1": np.int8, "u1": np.uint8, "i2": np.int16, "u2": np.uint16, "i4": np.int32,
          "u4": np.uint32, "i8": np.int64, "u8": np.uint64, "f4": np.float32, "f8": np.float64}
NUMPY_NAME = {np.bool_: "bool", np.int8: "int8", np.uint8: "uint8", np.int16: "int16", np.uint16: "uint16",
              np.int32: "int32", np.uint32: "uint32", np.int64: "int64", np.uint64: "uint64",
              np.float32: "float32", np.float64: "float64"}


def make_columns(n, rng):
    out = {}
    for k, t in DTYPES.items():
        if t is np.bool_:
            out[k] = rng.integers(0, 2, n).astype(bool)
        elif np.issubdtype(t, np.integer):
            info = np.iinfo(t)
            x = rng.integers(info.min, info.max, n, dtype=t, endpoint=True)
            x[: n // 2] %= 5  # compressible half, so compressed baskets are really compressed
            out[k] = x
        else:
            x = np.round(rng.normal(0, 100, n), 1).astype(t)
            x[::7] = np.nan
            out[k] = x
    return out


def compare_tree(path, tree_path, arrays):
    """inspect --json and convert → h5py against uproot's arrays."""
    summary = json.loads(run("inspect", path, "--table", tree_path, "--json"))
    check(summary["layout"] == "root" and summary["table"] == tree_path, f"{path}:{tree_path}: layout/table {summary['layout']} {summary['table']}")
    n = len(next(iter(arrays.values())))
    check(summary["rows"] == n, f"{path}:{tree_path}: rows {summary['rows']} != {n}")
    cols = {c["name"]: c for c in summary["columns"]}
    check(list(cols) == list(arrays), f"{path}:{tree_path}: columns {list(cols)}")
    for name, v in arrays.items():
        c = cols.get(name)
        if c is None:
            continue
        check(c["dtype"] == str(v.dtype), f"{path}:{tree_path}:{name}: dtype {c['dtype']} vs {v.dtype}")
        x = v.astype(np.float64)
        ok = x[~np.isnan(x)]
        check(c["nan_count"] == int(np.isnan(x).sum()), f"{name}: nan count")
        if len(ok):
            check(c["min"] == float(ok.min()) and c["max"] == float(ok.max()), f"{path}:{tree_path}:{name}: min/max {c['min']} {c['max']} vs {ok.min()} {ok.max()}")
            want = float(np.sum(ok))
            # cascade sums in row order, numpy pairwise: equal up to rounding.
            check(abs(c["sum"] - want) <= 1e-10 * max(1.0, float(np.sum(np.abs(ok)))), f"{path}:{tree_path}:{name}: sum {c['sum']} vs {want}")
    out = path + "." + tree_path.replace("/", "_") + ".h5"
    run("convert", path, out, "--table", tree_path)
    with h5py.File(out) as h:
        g = h["events"]
        for name, v in arrays.items():
            got = g[name][:]
            check(got.dtype == v.dtype, f"{out}:{name}: h5 dtype {got.dtype} vs {v.dtype}")
            check(np.array_equal(got, v, equal_nan=v.dtype.kind == "f"), f"{out}:{name}: values differ from uproot")


def uproot_arrays(path, tree_path):
    return uproot.open(path)[tree_path].arrays(library="np")


def test_uproot_files(tmp):
    rng = np.random.default_rng(5)
    n = 20_000
    data = make_columns(n, rng)
    for name, comp in [("zlib", uproot.ZLIB(4)), ("lz4", uproot.LZ4(4)), ("zstd", uproot.ZSTD(4)), ("lzma", uproot.LZMA(4)), ("none", None)]:
        path = os.path.join(tmp, f"{name}.root")
        with uproot.recreate(path, compression=comp) as f:
            t = f.mktree("events", {k: v.dtype for k, v in data.items()})
            for s in range(0, n, 997):  # 21 baskets per branch, the last one short
                t.extend({k: v[s : s + 997] for k, v in data.items()})
            small = f.mktree("other", {"f8": np.float64, "i4": np.int32})
            small.extend({"f8": data["f8"][:100], "i4": data["i4"][:100]})
            sub = f.mkdir("sub").mkdir("deeper")
            inner = sub.mktree("inner", {"u2": np.uint16, "f4": np.float32})
            for s in range(0, 3000, 250):
                inner.extend({"u2": data["u2"][s : s + 250], "f4": data["f4"][s : s + 250]})
        if comp is not None:
            infos = uproot.open(path)["events"]["f8"].basket(0).block_compression_info
            check(infos is not None and infos[0][0] == type(comp).__name__, f"{name}: baskets compressed with {infos}")
        check(uproot.open(path)["events"]["f8"].num_baskets == 21, f"{name}: basket count")
        for tree in ["events", "other", "sub/deeper/inner"]:
            compare_tree(path, tree, uproot_arrays(path, tree))
        code, err = run_fails("inspect", path)
        check(code == 1 and b"several trees (events, other, sub/deeper/inner)" in err, f"{name}: several trees error {err!r}")

    # One basket of 24 MB: ROOT's format splits it into 16 MiB compression blocks.
    big = os.path.join(tmp, "big.root")
    with uproot.recreate(big, compression=uproot.ZLIB(1)) as f:
        t = f.mktree("events", {"x": np.float64})
        t.extend({"x": np.arange(3_000_000, dtype=np.float64) % 977})
    infos = uproot.open(big)["events"]["x"].basket(0).block_compression_info
    check(infos is not None and len(infos) >= 2, f"big basket blocks {infos}")
    compare_tree(big, "events", uproot_arrays(big, "events"))


def test_errors(tmp):
    rn = os.path.join(tmp, "rntuple.root")
    with uproot.recreate(rn) as f:
        f["ntuple"] = {"x": np.arange(10.0)}
    code, err = run_fails("inspect", rn)
    lines = err.decode().strip().split("\n")
    check(code == 1 and len(lines) == 1 and "is an RNTuple (ROOT::RNTuple)" in lines[0], f"rntuple error {err!r}")
    binary = os.path.join(tmp, "noise.bin")
    with open(binary, "wb") as f:
        f.write(np.random.default_rng(1).integers(0, 256, 5000, dtype=np.uint8).tobytes())
    code, err = run_fails("inspect", binary)
    check(code == 1 and err == f"cascade: error: {binary}: not an event file: binary data that is neither CSV, HDF5 nor ROOT\n".encode(), f"binary error {err!r}")


def test_toy_run(tmp):
    """The toy analysis on ROOT copies of its samples vs on their HDF5 conversion."""
    config = json.load(open(os.path.join(REPO, "configs", "toy.json")))
    rootdir, h5dir = os.path.join(tmp, "toy_root"), os.path.join(tmp, "toy_h5")
    os.makedirs(rootdir)
    os.makedirs(h5dir)
    # The samples' files and the alternative samples of `files` systematics.
    inputs = [f for s in config["samples"] for f in s["files"]]
    for v in config.get("systematics", []):
        if v["type"] == "files":
            inputs += [f for side in ("up", "down") for f in ([v[side]] if isinstance(v.get(side), str) else v.get(side, []))]
    for f in inputs:
        src = os.path.normpath(os.path.join(REPO, "configs", f))
        stem = os.path.splitext(os.path.basename(src))[0]
        with h5py.File(src) as h:
            cols = {k: h["events"][k][:] for k in h["events"]}
        rpath = os.path.join(rootdir, stem + ".root")
        with uproot.recreate(rpath, compression=uproot.ZSTD(3)) as out:
            t = out.mktree("events", {k: v.dtype for k, v in cols.items()})
            n = len(next(iter(cols.values())))
            for a in range(0, n, 3001):
                t.extend({k: v[a : a + 3001] for k, v in cols.items()})
        run("convert", rpath, os.path.join(h5dir, stem + ".h5"))

    def configure(kind, ext, folder):
        c = json.loads(json.dumps(config))
        c["output"] = os.path.join(tmp, "run_" + kind)
        for s in c["samples"]:
            s["files"] = [os.path.join(folder, os.path.splitext(os.path.basename(f))[0] + ext) for f in s["files"]]
            if kind == "root":
                s["table"] = "events"
        for v in c.get("systematics", []):
            for side in ("up", "down"):
                if v["type"] == "files" and side in v:
                    names = [v[side]] if isinstance(v[side], str) else v[side]
                    v[side] = [os.path.join(folder, os.path.splitext(os.path.basename(f))[0] + ext) for f in names]
        p = os.path.join(tmp, kind + ".json")
        json.dump(c, open(p, "w"))
        return p, c["output"]

    runs = {}
    for kind, ext, folder in [("root", ".root", rootdir), ("h5", ".h5", h5dir)]:
        p, out = configure(kind, ext, folder)
        run("run", p, "--quiet")
        runs[kind] = out
    compared = 0
    for dirpath, _, files in os.walk(runs["h5"]):
        for name in files:
            a = os.path.join(dirpath, name)
            rel = os.path.relpath(a, runs["h5"])
            b = os.path.join(runs["root"], rel)
            if rel in ("manifest.json", "config.json") or rel.startswith("report"):
                continue  # these name the input files
            check(os.path.exists(b), f"toy run on ROOT lacks {rel}")
            if not os.path.exists(b):
                continue
            if rel.startswith("scores") or "/scores/" in rel or rel.startswith("systematics/events/"):
                # Score and variation files record their source file name (x.root vs x.h5): compare the data.
                with h5py.File(a) as ha, h5py.File(b) as hb:
                    ga, gb = ha["events"], hb["events"]
                    check(list(ga) == list(gb), f"{rel}: columns")
                    for k in ga:
                        check(np.array_equal(ga[k][:], gb[k][:], equal_nan=True), f"{rel}:{k}: scores differ")
            else:
                check(open(a, "rb").read() == open(b, "rb").read(), f"{rel}: ROOT and HDF5 runs differ")
            compared += 1
    check(compared >= 20, f"only {compared} outputs compared")
    print(f"toy run: {compared} outputs identical between ROOT and HDF5 inputs")


ROOT_SCRIPT = r'''
import array, sys, ROOT
ROOT.gErrorIgnoreLevel = ROOT.kWarning
out = sys.argv[1]
def branches(t):
    v = {"x": array.array("f", [0]), "y": array.array("d", [0]), "i": array.array("i", [0]), "o": array.array("b", [0]),
         "l": array.array("q", [0]), "us": array.array("H", [0]), "c": array.array("b", [0]), "pair": array.array("f", [0, 0])}
    t.Branch("x", v["x"], "x/F"); t.Branch("y", v["y"], "y/D"); t.Branch("i", v["i"], "i/I"); t.Branch("o", v["o"], "o/O")
    t.Branch("l", v["l"], "l/L"); t.Branch("us", v["us"], "us/s"); t.Branch("c", v["c"], "c/B"); t.Branch("pair", v["pair"], "a/F:b/F")
    def fill(k):
        v["x"][0] = k * 0.5; v["y"][0] = k * 0.25 - 3; v["i"][0] = k - 5000; v["o"][0] = k % 3 == 0
        v["l"][0] = k * 1000003; v["us"][0] = k % 65536; v["c"][0] = k % 256 - 128; v["pair"][0] = k; v["pair"][1] = -k
        t.Fill()
    return fill
for alg, name in [(1, "zlib"), (4, "lz4"), (5, "zstd"), (2, "lzma")]:
    f = ROOT.TFile(f"{out}/root_{name}.root", "RECREATE"); f.SetCompressionAlgorithm(alg)
    t = ROOT.TTree("events", "t"); fill = branches(t)
    for k in range(200000): fill(k)
    t.Write(); f.Close()
f = ROOT.TFile(f"{out}/root_embedded.root", "RECREATE"); ROOT.gROOT.cd()
t = ROOT.TTree("events", "t"); fill = branches(t)
for k in range(1000): fill(k)
f.cd(); f.WriteTObject(t, "events"); f.Close()
f = ROOT.TFile(f"{out}/root_large.root", "RECREATE")
f.GetListOfFree().First().SetFirst(3_000_000_000); f.SetEND(3_000_000_000)  # sparse: records past 2 GB
t = ROOT.TTree("events", "t"); fill = branches(t)
for k in range(1000): fill(k)
t.Write(); f.Close()
'''


def test_root_written(tmp):
    py = os.environ.get("ROOT_PYTHON", "/tmp/rootpip/venv/bin/python")
    if not os.path.exists(py) or subprocess.run([py, "-c", "import ROOT"], capture_output=True).returncode != 0:
        print("note: no PyROOT (set ROOT_PYTHON): ROOT-written files checked only through Tests/Fixtures/root")
        return
    r = subprocess.run([py, "-c", ROOT_SCRIPT, tmp], capture_output=True, text=True)
    if r.returncode != 0:
        check(False, f"PyROOT script failed: {r.stderr[-500:]}")
        return
    for name in ["zlib", "lz4", "zstd", "lzma", "embedded", "large"]:
        path = os.path.join(tmp, f"root_{name}.root")
        tree = uproot.open(path)["events"]
        arrays = {k: v for k, v in tree.arrays([b for b in tree.keys() if b != "pair"], library="np").items()}
        pair = tree["pair"].array(library="np")
        arrays["pair.a"], arrays["pair.b"] = pair["a"], pair["b"]
        if name == "embedded":
            check(len(tree["x"].embedded_baskets) == 1, "embedded basket present")
        if name == "large":
            with open(path, "rb") as f:
                check(int.from_bytes(f.read(8)[4:8], "big") >= 1_000_000, "large file header")
        compare_tree(path, "events", arrays)
    print("ROOT-written files (ZLIB, LZ4, ZSTD, LZMA, embedded basket, 64-bit large file) checked")


def main():
    tmp = tempfile.mkdtemp(prefix="cascade-root-")
    try:
        test_uproot_files(tmp)
        test_errors(tmp)
        test_root_written(tmp)
        test_toy_run(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print(f"{len(failures)} failure(s)")
        sys.exit(1)
    print("eventdata-root: all checks passed")


if __name__ == "__main__":
    main()
