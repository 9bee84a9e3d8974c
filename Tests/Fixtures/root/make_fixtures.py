"""Writes the ROOT fixtures of Tests/EventDataTests/ROOTReaderTests.swift (see README.md).

usage: python make_fixtures.py uproot   # flat.root, compressions.root, rntuple.root (uproot 5.7)
       python make_fixtures.py root     # root_written.root, embedded.root (PyROOT 6.40)
Row k of every flat tree holds the values of `row(k)`, so the tests can recompute them.
"""
import sys
import numpy as np

N = 60  # entries
STEP = 8  # entries per extend() call = per basket: 8 baskets, the last one short


def columns():
    k = np.arange(N)
    return {
        "b": (k % 3 == 0),
        "i1": ((k % 256) - 128).astype(np.int8),
        "u1": (k * 4 % 256).astype(np.uint8),
        "i2": (k * 1000 - 30000).astype(np.int16),
        "u2": (k * 1000).astype(np.uint16),
        "i4": (k * 70000000 - 2000000000).astype(np.int32),
        "u4": (k * 70000000).astype(np.uint32),
        "i8": (k * 10**17 - 3 * 10**18).astype(np.int64),
        "u8": (k * 3 * 10**17).astype(np.uint64),
        "f4": (k * 0.5).astype(np.float32),
        "f8": (k * 0.25 - 3).astype(np.float64),
    }


def write_uproot():
    import uproot

    data = columns()
    # Every leaf type, ZLIB, 8 baskets per branch.
    with uproot.recreate("flat.root", compression=uproot.ZLIB(1)) as f:
        t = f.mktree("events", {k: v.dtype for k, v in data.items()})
        for s in range(0, N, STEP):
            t.extend({k: v[s : s + STEP] for k, v in data.items()})
    # One tree per basket compression, two branches each (the file's streamers dominate its size).
    with uproot.recreate("compressions.root", compression=None) as f:
        for name, comp in [("zlib", uproot.ZLIB(1)), ("lz4", uproot.LZ4(1)), ("zstd", uproot.ZSTD(1)), ("lzma", uproot.LZMA(9)), ("none", None)]:
            t = f.mktree(name, {k: data[k].dtype for k in ("i8", "f8")})
            t.compression = comp
            for s in range(0, N, STEP * 4):
                t.extend({k: data[k][s : s + STEP * 4] for k in ("i8", "f8")})
    # uproot >= 5.7 writes an RNTuple for file[name] = {...}
    with uproot.recreate("rntuple.root") as f:
        f["ntuple"] = {"x": np.arange(5.0)}


def write_root():
    import array
    import ROOT

    def branches(t):
        x = array.array("f", [0]); y = array.array("d", [0]); i = array.array("i", [0])
        pair = array.array("f", [0, 0]); vec = ROOT.std.vector("float")()
        t.Branch("x", x, "x/F"); t.Branch("y", y, "y/D"); t.Branch("i", i, "i/I")
        t.Branch("pair", pair, "a/F:b/F"); t.Branch("vec", vec)

        def fill(k):
            x[0] = k * 0.5; y[0] = k * 0.25 - 3; i[0] = k - 50; pair[0] = k; pair[1] = -k
            vec.clear(); vec.push_back(k); t.Fill()
        return fill

    # Default TTree::Branch settings, LZ4; "events" twice (cycle 1: 20 entries, cycle 2: 30),
    # a subdirectory with a tree, and a TNtuple.
    f = ROOT.TFile("root_written.root", "RECREATE"); f.SetCompressionAlgorithm(ROOT.RCompressionSetting.EAlgorithm.kLZ4)
    t = ROOT.TTree("events", "events"); fill = branches(t)
    for k in range(20): fill(k)
    t.Write()
    for k in range(20, 30): fill(k)
    t.Write()
    d = f.mkdir("sub"); d.cd(); t2 = ROOT.TTree("inner", "inner"); fill2 = branches(t2)
    for k in range(5): fill2(k)
    t2.Write()
    f.cd(); nt = ROOT.TNtuple("nt", "nt", "a:b:c")
    for k in range(7): nt.Fill(k, 2 * k, 3 * k)
    nt.Write(); f.Close()
    # A memory-resident tree written whole: its only basket is streamed inside the TTree record.
    f = ROOT.TFile("embedded.root", "RECREATE"); ROOT.gROOT.cd()
    t = ROOT.TTree("events", "events"); fill = branches(t)
    for k in range(12): fill(k)
    f.cd(); f.WriteTObject(t, "events"); f.Close()


if __name__ == "__main__":
    {"uproot": write_uproot, "root": write_root}[sys.argv[1]]()
