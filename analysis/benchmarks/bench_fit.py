"""Binned likelihood fit: `cascade fit` vs pyhf (numpy backend + iminuit) on the same workspace.

Generates (seeded) a pyhf workspace with 4 regions x 28 bins x 4 samples: every sample has a
normfactor (mu for the signal, mu_<bkg> per background), every region a staterror (112 gamma
parameters), two normsys shared across regions; observations are Poisson fluctuations of the
nominal prediction. Both tools do the same job from the JSON file: build the model, minimise,
compute HESSE uncertainties (cascade additionally computes the MINOS interval of the POI).

Timed, best of --repeat runs (wall clock):
- cascade: `cascade fit WS.json --json` (process start, JSON parse, model, fit, HESSE, MINOS);
- pyhf:    `pyhf.Workspace(spec).model()` + `pyhf.infer.mle.fit(..., return_uncertainties=True)`
           with iminuit (tolerance 1e-6, analytic gradients are not available on numpy).
The ratio is pyhf time / cascade time (> 1: cascade is faster); goal (issue 6): >= 20x.
Results must agree: twice_nll to 1e-6, best-fit values to 1e-4, errors to 1e-3 relative.

    python analysis/benchmarks/bench_fit.py --cascade .build/release/cascade [--repeat 3]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pyhf


def make_workspace(seed=11, regions=4, bins=28):
    rng = np.random.default_rng(seed)
    x = np.linspace(0.0, 1.0, bins)
    channels, observations = [], []
    for r in range(regions):
        name = f"CR_{r}" if r < regions - 1 else "SR"
        shapes = {
            "signal": (40.0 if name == "SR" else 4.0) * np.exp(-0.5 * ((x - 0.5) / 0.1) ** 2) + 0.2,
            "bkg1": (300.0 if r == 0 else 60.0) * np.exp(-2.0 * x) + 5.0,
            "bkg2": (250.0 if r == 1 else 50.0) * (1.2 - x) + 3.0,
            "bkg3": (200.0 if r == 2 else 40.0) * (0.5 + x * x) + 2.0,
        }
        samples = []
        expected = np.zeros(bins)
        for s, nominal in shapes.items():
            nominal = np.round(nominal * rng.uniform(0.9, 1.1, bins), 4)
            expected += nominal
            mods = [
                {"name": "mu" if s == "signal" else f"mu_{s}", "type": "normfactor", "data": None},
                {"name": f"staterror_{name}", "type": "staterror", "data": [round(float(v), 4) for v in np.sqrt(nominal) * 0.3]},
            ]
            if s != "signal":
                mods.append({"name": "jes", "type": "normsys", "data": {"hi": 1.03, "lo": 0.96}})
            if s == "bkg3":
                mods.append({"name": "bkg3_xsec", "type": "normsys", "data": {"hi": 1.1, "lo": 0.9}})
            samples.append({"name": s, "data": [float(v) for v in nominal], "modifiers": mods})
        channels.append({"name": name, "samples": samples})
        observations.append({"name": name, "data": [float(v) for v in rng.poisson(expected)]})
    return {"channels": channels, "observations": observations, "version": "1.0.0",
            "measurements": [{"name": "meas", "config": {"poi": "mu", "parameters": []}}]}


def best_of(n, fn):
    best, out = float("inf"), None
    for _ in range(n):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cascade", default=".build/release/cascade")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    spec = make_workspace()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bench_ws.json")
        json.dump(spec, open(path, "w"))

        def run_cascade():
            out = subprocess.run([args.cascade, "fit", path, "--json"], check=True, capture_output=True, text=True)
            return json.loads(out.stdout)

        pyhf.set_backend("numpy", pyhf.optimize.minuit_optimizer(tolerance=1e-6))

        def run_pyhf():
            model = pyhf.Workspace(spec).model()
            ws = pyhf.Workspace(spec)
            res, twice_nll = pyhf.infer.mle.fit(ws.data(model), model, return_uncertainties=True, return_fitted_val=True)
            return model, res, float(twice_nll)

        t_c, c = best_of(args.repeat, run_cascade)
        t_p, (model, res, tnll) = best_of(args.repeat, run_pyhf)

    npar = len(model.config.par_names)
    bad = []
    if [p["name"] for p in c["parameters"]] != model.config.par_names:
        bad.append("parameter names differ")
    if abs(c["twice_nll"] - tnll) > 1e-6:
        bad.append(f"twice_nll {c['twice_nll']} vs {tnll}")
    dv = max(abs(p["value"] - res[i, 0]) for i, p in enumerate(c["parameters"]))
    fixed = model.config.suggested_fixed()
    de = max(abs(p["error"] / res[i, 1] - 1) for i, p in enumerate(c["parameters"]) if not fixed[i])
    if dv > 1e-4:
        bad.append(f"max |value difference| {dv:.3g} > 1e-4")
    if de > 1e-3:
        bad.append(f"max relative error difference {de:.3g} > 1e-3")
    print(f"workspace: 4 regions x 28 bins x 4 samples, {npar} parameters (staterror, normfactors, normsys)")
    print(f"cascade fit --json : {t_c * 1000:9.1f} ms   (converged={c['converged']}, twice_nll={c['twice_nll']:.9f})")
    print(f"pyhf numpy+minuit  : {t_p * 1000:9.1f} ms   (twice_nll={tnll:.9f})")
    print(f"agreement: twice_nll diff {abs(c['twice_nll'] - tnll):.2e}, max value diff {dv:.2e}, max rel. error diff {de:.2e}")
    print(f"speed-up (pyhf / cascade): {t_p / t_c:.1f}x  (goal >= 20x)")
    if bad:
        print("RESULTS DIFFER: " + "; ".join(bad))
        sys.exit(1)


if __name__ == "__main__":
    main()
