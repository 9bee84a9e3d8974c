"""Systematics of the toy run against independent computations (h5py + numpy + pyhf).

Runs `$CASCADE run configs/toy.json` (into runs/toy; or uses the run directory $SYST_RUN), then:
1. every (region, sample, variation) template in systematics/templates.json equals Sigma w and
   Sigma w^2 recomputed here from scores/ and systematics/events/ (weight and shift variations)
   or systematics/files/<variation>/regions/ (file variations), to 1e-9 relative;
2. pyhf.Workspace accepts fit/workspace.json, and pyhf's MLE equals fit/result.json (1e-4);
3. the injected JES shift (theta = +1 in the shipped pseudo-data) is recovered within 2 sigma;
4. without the jes modifiers (pyhf's Workspace.prune) the same data give a biased top
   normalisation: mu_top moves up by more than 0.03 and beyond 2 sigma of its truth, while the
   fit with jes keeps it within 2 sigma.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import pyhf

CASCADE = os.environ["CASCADE"]
ROOT = os.path.dirname(os.path.abspath(__file__)) + "/../.."
failures = 0


def check(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    failures += not ok


run = os.environ.get("SYST_RUN")
if not run:
    # The shipped toy analysis (writes runs/toy, as compare.sh does).
    subprocess.run([CASCADE, "run", os.path.join(ROOT, "configs/toy.json"), "--quiet"], check=True, stderr=subprocess.DEVNULL)
    run = os.path.join(ROOT, "runs/toy")
config = json.load(open(os.path.join(run, "config.json")))
templates = json.load(open(os.path.join(run, "systematics/templates.json")))
edges = np.array(templates["edges"])
obs = templates["observable"]
regions = [s.get("region") or (f"CR_{s['background']}" if isinstance(s["background"], str) else f"CR_{s['name']}") for s in config["stages"]] + ["SR"]
samples = {s["name"]: s for s in config["samples"] if s["role"] != "data"}


def hist(x, w):
    inside = np.isfinite(x) & (x >= edges[0]) & (x < edges[-1])
    idx = np.searchsorted(edges, x[inside], side="right") - 1
    return np.bincount(idx, w[inside], len(edges) - 1), np.bincount(idx, w[inside] ** 2, len(edges) - 1)


def read(path, cols):
    with h5py.File(path) as f:
        return {c: f["events"][c][:].astype(float) for c in cols}


expected = {}
for name, s in samples.items():
    scale = s.get("scale", 1.0)
    for sf in sorted(glob.glob(os.path.join(run, "scores", name, "*.h5"))):
        stem = os.path.basename(sf)
        nominal = read(sf, [obs, "region", s["weight"]])
        vf = os.path.join(run, "systematics/events", name, stem)
        if not os.path.exists(vf):
            continue
        with h5py.File(vf) as f:
            vcols = {c: f["events"][c][:].astype(float) for c in f["events"].keys()}
        keys = sorted({c.split("__", 1)[1] for c in vcols})
        for key in keys:
            w = vcols.get("weight__" + key, nominal[s["weight"]]) * scale
            r = vcols.get("region__" + key, nominal["region"])
            x = vcols.get("observable__" + key, nominal[obs])
            for ri, region in enumerate(regions):
                m = r == ri
                h = hist(x[m], w[m])
                prev = expected.get((region, name, key), (0, 0))
                expected[(region, name, key)] = (prev[0] + h[0], prev[1] + h[1])
    for vdir in glob.glob(os.path.join(run, "systematics/files/*")):
        key = os.path.basename(vdir)
        for region in regions:
            p = os.path.join(vdir, "regions", region, name + ".h5")
            if os.path.exists(p):
                d = read(p, [obs, s["weight"]])
                expected[(region, name, key)] = hist(d[obs], d[s["weight"]] * scale)

written = {(t["region"], t["sample"], t["variation"]): t for t in templates["templates"] if t["variation"] != "nominal"}
check(len(expected) > 0 and set(expected) == set(written), f"templates cover the same {len(written)} (region, sample, variation) triples")
worst = 0.0
for k, (sw, sw2) in expected.items():
    t = written.get(k)
    if t is None:
        continue
    scale = max(1e-12, float(np.abs(sw).max()))
    worst = max(worst, float(np.abs(np.array(t["sumw"]) - sw).max()) / scale, float(np.abs(np.array(t["sumw2"]) - sw2).max()) / max(1e-12, float(np.abs(sw2).max())))
check(worst < 1e-9, f"templates equal the independent Sigma w, Sigma w^2 (worst relative difference {worst:.2e})")

# Nominal templates equal the fit's region histograms (same file the fit reads).
ws_doc = json.load(open(os.path.join(run, "fit/workspace.json")))
nominal = {(t["region"], t["sample"]): t for t in templates["templates"] if t["variation"] == "nominal"}
same = all(np.allclose(np.maximum(np.array(nominal[(c["name"], s["name"])]["sumw"]), 1e-6), s["data"], rtol=1e-12, atol=0)
           for c in ws_doc["channels"] for s in c["samples"])
check(same, "workspace nominal data = nominal templates (bins <= 0 clipped to 1e-6)")

ws = pyhf.Workspace(ws_doc)
model = ws.model()
data = ws.data(model)
pyhf.set_backend("numpy", pyhf.optimize.minuit_optimizer(tolerance=1e-6))
best = pyhf.infer.mle.fit(data, model)
result = json.load(open(os.path.join(run, "fit/result.json")))
ours = {p["name"]: p["value"] for p in result["parameters"]}
diff = 0.0
for name in model.config.par_order:
    sl = model.config.par_slice(name)
    vals = best[sl]
    for i, v in enumerate(vals):
        key = name if len(vals) == 1 else f"{name}[{i}]"
        diff = max(diff, abs(float(v) - ours[key]))
check(diff < 1e-4, f"pyhf MLE of fit/workspace.json = cascade fit (max |diff| {diff:.2e})")
mods = {(m["name"], m["type"]) for c in ws_doc["channels"] for s in c["samples"] for m in s["modifiers"]}
check(("jes", "normsys") in mods and ("jes", "histosys") in mods, "jes becomes a normsys + histosys pair")

truth = json.load(open(os.path.join(ROOT, "samples/toy/truth.json")))
theta = truth["systematics"]["jes"]["true_shift"]
jes = next(p for p in result["parameters"] if p["name"] == "jes")
check(abs(jes["value"] - theta) <= 2 * jes["error"], f"injected JES shift recovered: {jes['value']:.3f} +- {jes['error']:.3f} (true {theta})")

# Without jes: the shifted pseudo-data are absorbed by the normalisations instead.
mu_top_truth = truth["processes"]["ttbar"]["true_normalisation"]
with_jes = next(p for p in result["parameters"] if p["name"] == "mu_top")
pruned = ws.prune(modifiers=["jes"])
pmodel = pruned.model()
pyhf.set_backend("numpy", pyhf.optimize.minuit_optimizer(tolerance=1e-6))
fitted = pyhf.infer.mle.fit(pruned.data(pmodel), pmodel, return_uncertainties=True)
k = pmodel.config.par_slice("mu_top").start
no_jes, no_jes_err = float(fitted[k][0]), float(fitted[k][1])
pull_with = (with_jes["value"] - mu_top_truth) / with_jes["error"]
pull_without = (no_jes - mu_top_truth) / no_jes_err
check(no_jes - with_jes["value"] > 0.03 and abs(pull_without) > 2 >= abs(pull_with),
      f"without jes mu_top is biased: {no_jes:.4f} +- {no_jes_err:.4f} (pull {pull_without:+.2f}) vs "
      f"{with_jes['value']:.4f} +- {with_jes['error']:.4f} with jes (pull {pull_with:+.2f}), truth {mu_top_truth}")

sys.exit(1 if failures else 0)
