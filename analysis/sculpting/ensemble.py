#!/usr/bin/env python3
"""Tables of ensemble.sh: template mismatch per region, the Asimov-like fit of the expected
pseudo-data, and the pull distribution over the pseudo-experiments. Needs numpy and h5py.

usage: ensemble.py WORK_DIR TRUTH_JSON CONFIG...
"""
import json
import os
import subprocess
import sys

import h5py
import numpy as np

work, truth_path = sys.argv[1:3]
configs = sys.argv[3:]
binary = os.environ.get("CASCADE", ".build/release/cascade")
truth = json.load(open(truth_path))["processes"]
BACKGROUNDS = ["wgamma", "wjets", "ttbar", "singletop"]
PROCESSES = ["signal"] + BACKGROUNDS


def config_of(name):
    return json.load(open(f"analysis/sculpting/{name}.json"))


def histogram(path, fit):
    """(Σw, Σw²) of the fit observable per bin (under/overflow dropped, as the fit does)."""
    with h5py.File(path, "r") as f:
        x = np.asarray(f["events"][fit["observable"]][...], dtype=np.float64)
        w = np.asarray(f["events"]["weight"][...], dtype=np.float64)
    edges = np.linspace(fit["range"][0], fit["range"][1], fit["bins"] + 1)
    return np.histogram(x, edges, weights=w)[0], np.histogram(x, edges, weights=w * w)[0]


def regions(run):
    return sorted(os.listdir(f"{run}/regions"))


def mismatch(template, true):
    """χ²/ndf of the normalised shapes (Σw² of both), the largest |template/true − 1| over bins
    holding ≥ 2 % of the true shape, and the yield ratio template/true."""
    (t, t2), (q, q2) = template, true
    T, Q = t.sum(), q.sum()
    p, r = t / T, q / Q
    var = t2 / T**2 + q2 / Q**2
    used = var > 0
    chi2 = float(((p - r) ** 2 / np.where(used, var, 1))[used].sum()) / max(1, used.sum() - 1)
    big = r >= 0.02
    dev = float(np.max(np.abs(p[big] / r[big] - 1))) if big.any() else float("nan")
    return chi2, dev, T / Q


def fit_workspace(ws, path):
    json.dump(ws, open(path, "w"))
    out = subprocess.run([binary, "fit", path, "--json"], capture_output=True, text=True, check=True).stdout
    return {p["name"]: (p["value"], p["error"]) for p in json.loads(out)["parameters"]}


def truths(config):
    by_param = {}
    for s in config["samples"]:
        if s["role"] != "data":
            by_param[config["fit"]["normfactors"][s["name"]]] = truth[s["name"]]["true_normalisation"]
    return by_param


print("Template mismatch: MC template (κ = 1, the run's samples) vs the same process's true shape in the")
print("pseudo-data's generator (κ = 0.5, 100k events/process, routed through the same cascade).")
print("chi2/ndf of the normalised shapes | max |template/true − 1| over bins ≥ 2 % | yield ratio template/true")
for c in configs:
    fit = config_of(c)["fit"]
    run, big = f"runs/sculpting-{c}", f"{work}/truth-shapes/{c}"
    print(f"== {c}")
    print(f"{'region':<10} " + " ".join(f"{s:>24}" for s in BACKGROUNDS))
    for region in regions(run):
        cells = []
        for s in BACKGROUNDS:
            chi2, dev, ratio = mismatch(histogram(f"{run}/regions/{region}/{s}.h5", fit),
                                        histogram(f"{big}/regions/{region}/{s}.h5", fit))
            cells.append(f"{chi2:7.2f} {dev:7.3f} {ratio:7.3f}")
        print(f"{region:<10} " + " ".join(f"{x:>24}" for x in cells))

print()
print("Asimov-like fit: observations = Σ true norm × true shape (κ = 0.5) per region; fitted − truth")
print("in units of the fit's error (the bias of an infinite ensemble of pseudo-data).")
for c in configs:
    config = config_of(c)
    fit, run, big = config["fit"], f"runs/sculpting-{c}", f"{work}/truth-shapes/{c}"
    ws = json.load(open(f"{run}/fit/workspace.json"))
    # The workspace's templates must be the histograms computed here (empty bins floored at 1e-6).
    for ch in ws["channels"]:
        for s in ch["samples"]:
            mine = histogram(f"{run}/regions/{ch['name']}/{s['name']}.h5", fit)[0]
            assert np.allclose(mine, s["data"], rtol=1e-9, atol=2e-6), (c, ch["name"], s["name"])
    for obs in ws["observations"]:
        obs["data"] = sum(truth[s]["true_normalisation"] * histogram(f"{big}/regions/{obs['name']}/{s}.h5", fit)[0]
                          for s in PROCESSES).tolist()
    fitted = fit_workspace(ws, f"{work}/asimov-{c}.json")
    print(f"{c:<9} " + "  ".join(f"{p} {v:.4f} ({(v - t) / e:+.2f} σ)" for p, t in truths(config).items()
                                  for v, e in [fitted[p]]))

print()
print("Pseudo-experiments (same MC and cascades, fresh pseudo-data): pull = (fitted − truth) / error,")
print("mean ± RMS over the ensemble (RMS of the pulls about their mean; error of the mean = RMS/√N).")
for c in configs:
    config = config_of(c)
    t = truths(config)
    pulls = {p: [] for p in t}
    base = f"{work}/{c}"
    for seed in sorted(os.listdir(base)):
        path = f"{base}/{seed}/fit/result.json"
        if not os.path.exists(path):
            continue
        r = json.load(open(path))
        for p in r["parameters"]:
            if p["name"] in t:
                pulls[p["name"]].append((p["value"] - t[p["name"]]) / p["error"])
    n = len(pulls["mu_signal"])
    print(f"{c:<9} N={n:<3} " + "  ".join(
        f"{p} {np.mean(v):+.2f} ± {np.std(v):.2f}" for p, v in pulls.items()))
