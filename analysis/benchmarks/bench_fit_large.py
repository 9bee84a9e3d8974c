"""Fits of published-likelihood size: `cascade fit` (whole process) vs pyhf + iminuit (in process).

Generates (seeded) TRExFitter-like workspaces of the size of the likelihoods published on HEPData
(100–170 parameters, 10–24 thousand normsys/histosys modifiers sharing names, 14–46 bins): many
channels of a few bins, many samples per channel, every sample carrying a normsys + histosys pair
for most of the shared nuisance parameters, staterror per channel, a lumi parameter and several
normfactors. Observations are Poisson draws of the nominal prediction.

Both tools do the same job: build the model, minimise, HESSE uncertainties, and the MINOS
interval of the POI (`cascade fit` always computes it; pyhf's fit is followed by iminuit's
`minos` on the POI). For each workspace: median wall time of --repeat runs of each tool
(alternating), the ratio pyhf / cascade (goal ≥ 20× on every workspace), and the agreement of
the minimum (twice NLL, best-fit values) and of the POI's MINOS interval. Prints the load
average with every figure.

    python analysis/benchmarks/bench_fit_large.py --cascade .build/release/cascade [--repeat 3]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import pyhf

# (channels, bins per channel, samples per channel, shared systematics, normfactors)
SHAPES = [(14, 1, 12, 60, 4), (12, 2, 10, 100, 3), (23, 2, 9, 110, 6), (10, 4, 16, 75, 5)]


def make_workspace(channels, bins, samples, systematics, normfactors, seed):
    rng = np.random.default_rng(seed)
    chans, obs = [], []
    for c in range(channels):
        name = f"SR_{c}" if c < 2 else f"CR_{c}"
        expected = np.zeros(bins)
        sample_list = []
        for s in range(samples):
            nominal = rng.uniform(0.5, 60.0) * rng.uniform(0.5, 1.5, bins) * (0.3 if s == 0 else 1.0)
            nominal = np.round(nominal, 4)
            expected += nominal
            mods = [{"name": "lumi", "type": "lumi", "data": None},
                    {"name": f"staterror_{name}", "type": "staterror", "data": np.round(0.05 * nominal, 4).tolist()}]
            if s == 0:
                mods.append({"name": "mu_sig", "type": "normfactor", "data": None})
            elif s <= normfactors - 1:
                mods.append({"name": f"mu_bkg{s}", "type": "normfactor", "data": None})
            for k in range(systematics):
                if rng.uniform() < 0.1:
                    continue  # not every sample has every systematic
                size = rng.uniform(0.002, 0.04)
                hi, lo = 1 + size * rng.uniform(0.5, 1.5), 1 - size * rng.uniform(0.5, 1.5)
                mods.append({"name": f"sys_{k}", "type": "normsys", "data": {"hi": round(hi, 5), "lo": round(lo, 5)}})
                tilt = rng.uniform(-1, 1, bins) * size * 0.5
                mods.append({"name": f"sys_{k}", "type": "histosys", "data": {
                    "hi_data": np.round(nominal * (1 + tilt), 4).tolist(), "lo_data": np.round(nominal * (1 - tilt), 4).tolist()}})
            sample_list.append({"name": f"s{s}", "data": nominal.tolist(), "modifiers": mods})
        chans.append({"name": name, "samples": sample_list})
        obs.append({"name": name, "data": rng.poisson(expected).astype(float).tolist()})
    lumi = {"name": "lumi", "auxdata": [1.0], "sigmas": [0.017], "bounds": [[0.9, 1.1]], "inits": [1.0]}
    return {"channels": chans, "observations": obs, "version": "1.0.0",
            "measurements": [{"name": "meas", "config": {"poi": "mu_sig", "parameters": [lumi]}}]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cascade", default=".build/release/cascade")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    pyhf.set_backend("numpy", pyhf.optimize.minuit_optimizer(tolerance=1e-3))
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for i, shape in enumerate(SHAPES):
            spec = make_workspace(*shape, seed=100 + i)
            path = os.path.join(tmp, f"ws{i}.json")
            json.dump(spec, open(path, "w"))
            ws = pyhf.Workspace(spec)
            model = ws.model()
            nmod = sum(len(s["modifiers"]) for c in spec["channels"] for s in c["samples"])
            times_c, times_p, loads = [], [], []
            for _ in range(args.repeat):
                loads.append(os.getloadavg()[0])
                t0 = time.perf_counter()
                out = subprocess.run([args.cascade, "fit", path, "--json"], check=True, capture_output=True, text=True)
                times_c.append(time.perf_counter() - t0)
                c = json.loads(out.stdout)
                t0 = time.perf_counter()
                m = pyhf.Workspace(spec).model()
                res, tnll, opt = pyhf.infer.mle.fit(
                    ws.data(m), m, return_uncertainties=True, return_fitted_val=True, return_result_obj=True)
                opt.minuit.minos(m.config.poi_name)
                times_p.append(time.perf_counter() - t0)
                res = res[:, 0]
                me = opt.minuit.merrors[m.config.poi_name]
            tc, tp = statistics.median(times_c), statistics.median(times_p)
            dnll = c["twice_nll"] - float(tnll)
            dv = max(abs(p["value"] - res[j]) for j, p in enumerate(c["parameters"]))
            print(f"ws{i}: {shape[0]} channels x {shape[1]} bins, {len(model.config.par_names)} parameters, {nmod} modifiers")
            print(f"  cascade fit  median {tc:7.3f} s (min {min(times_c):.3f}, max {max(times_c):.3f})")
            print(f"  pyhf+iminuit median {tp:7.3f} s (min {min(times_p):.3f}, max {max(times_p):.3f})")
            print(f"  speed-up {tp / tc:.1f}x (min {min(times_p) / max(times_c):.1f}, max {max(times_p) / min(times_c):.1f}); goal >= 20x;"
                  f" load {min(loads):.2f}-{max(loads):.2f}")
            cm = next(p["minos"] for p in c["parameters"] if p["name"] == m.config.poi_name)
            print(f"  minimum: twice_nll cascade - pyhf = {dnll:+.2e}, max |value diff| = {dv:.2e}")
            print(f"  MINOS of {m.config.poi_name}: cascade [{cm[0]:+.4f}, {cm[1]:+.4f}], iminuit [{me.lower:+.4f}, {me.upper:+.4f}]")
            if dnll > 1e-3:
                print("  cascade's minimum is HIGHER than pyhf's")
                failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
