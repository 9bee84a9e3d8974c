"""The shipped toy samples, read by h5py/pandas (independent readers), agree with their
truth.json, and `cascade generate` with the command documented in samples/README.md reproduces
them value for value."""
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import pandas as pd

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
CASCADE = os.environ["CASCADE"]
failures = 0


def check(ok, what):
    global failures
    print(f"{'ok  ' if ok else 'FAIL'} {what}")
    failures += 0 if ok else 1


def read(path):
    if path.endswith(".csv"):
        return {k: v.to_numpy() for k, v in pd.read_csv(path).items()}
    with h5py.File(path, "r") as f:
        return {k: f["events"][k][()] for k in f["events"].keys()}


def check_production(directory, ext):
    truth = json.load(open(os.path.join(directory, "truth.json")))
    lumi = truth["luminosity_fb"]
    ids = []
    for name, p in truth["processes"].items():
        t = read(os.path.join(directory, p["file"]))
        w = t["weight"]
        check(len(w) == p["mc_events"], f"{directory}/{name}: {len(w)} events as recorded")
        check(abs(w.sum() - p["cross_section_fb"] * lumi) < 1e-6 * p["cross_section_fb"] * lumi,
              f"{name}: sum of weights {w.sum():.4f} = sigma*L = {p['cross_section_fb'] * lumi}")
        neg = (w < 0).mean()
        check((0.07 < neg < 0.13) if name == "singletop" else neg == 0, f"{name}: negative-weight fraction {neg:.3f}")
        check(t["event_number"].dtype == np.int64 and t["n_jets"].dtype.kind == "i", f"{name}: integer event_number and n_jets")
        lo, hi = p["event_numbers"]
        check(t["event_number"].min() == lo and t["event_number"].max() == hi, f"{name}: event numbers {lo}..{hi}")
        ids.append(t["event_number"])
    d = read(os.path.join(directory, truth["data"]["file"]))
    drawn = sum(p["data_drawn"] for p in truth["processes"].values())
    check(len(d["event_number"]) == truth["data"]["events"] == drawn, f"data: {drawn} events = sum of drawn yields")
    for name, p in truth["processes"].items():
        mu = p["data_expected"]
        check(abs(p["data_drawn"] - mu) < 5 * np.sqrt(mu), f"data: {name} drawn {p['data_drawn']} vs expected {mu:.1f}")
        check(abs(mu - p["true_normalisation"] * p["cross_section_fb"] * lumi) < 1e-6 * mu, f"data: {name} expected = norm*sigma*L")
    ids.append(d["event_number"])
    all_ids = np.concatenate(ids)
    check(len(np.unique(all_ids)) == len(all_ids), f"{directory}: event numbers unique across all files")
    return truth


truth = check_production(os.path.join(ROOT, "samples", "toy"), "h5")
csv_truth = check_production(os.path.join(ROOT, "samples", "toy-csv"), "csv")

# Regenerate with the documented commands and compare every column.
readme = open(os.path.join(ROOT, "samples", "README.md")).read()
for directory, seed, extra in [("toy", truth["seed"], ["--jes-shift", "1"]), ("toy-csv", csv_truth["seed"], ["--format", "csv", "--lumi", str(csv_truth["luminosity_fb"])])]:
    t = json.load(open(os.path.join(ROOT, "samples", directory, "truth.json")))
    args = ["generate", "--out", f"samples/{directory}", "--events", str(t["events_per_process"]), "--seed", str(seed)] + extra
    documented = "cascade " + " ".join(args)
    check(documented in readme, f"samples/README.md documents `{documented}`")
    with tempfile.TemporaryDirectory() as tmp:
        args[2] = tmp
        r = subprocess.run([CASCADE] + args, capture_output=True, text=True)
        check(r.returncode == 0, f"regenerating samples/{directory}: exit {r.returncode} {r.stderr.strip()}")
        for f in sorted(os.listdir(os.path.join(ROOT, "samples", directory))):
            if f == "truth.json":
                check(json.load(open(os.path.join(tmp, f))) == t, f"{directory}/truth.json regenerated identically")
                continue
            a, b = read(os.path.join(ROOT, "samples", directory, f)), read(os.path.join(tmp, f))
            same = a.keys() == b.keys() and all(np.array_equal(a[k], b[k], equal_nan=True) for k in a)
            check(same, f"{directory}/{f} regenerated value for value")

if failures:
    print(f"test_samples_toy: {failures} failures")
    sys.exit(1)
print("test_samples_toy: shipped samples agree with truth.json and are reproducible")
