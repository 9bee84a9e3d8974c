"""Oracle test for `cascade fit` against pyhf 0.7.6 (numpy backend + iminuit, tolerance 1e-9).

1. A generated 3-region workspace with every modifier type (normfactor, shapefactor, lumi,
   normsys, histosys, shapesys, staterror; a modifier shared across regions), validated by
   pyhf.Workspace, fitted by pyhf and by `$CASCADE fit --json` with pyhf's default interpolation
   (code4 / code4p) and with --interp normsys=code1,histosys=code0; also an Asimov fit:
   twice_nll to 1e-6, best-fit values to 1e-4, HESSE errors to 1e-3 relative, same parameter names.
2. The workspace written by `cascade fit --out` is accepted by pyhf.Workspace and has the same
   twice_nll as the original at the fitted point (1e-9).
3. The six shared reference cases: CLs (observed + expected band) to 1e-6 relative, the 95% CL
   upper limit (observed + band; toms748, rtol 1e-10) to 1e-6 relative, and Z0 (observed and
   expected, from pyhf's q0 p-values) to 1e-6.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import pyhf
from scipy.stats import norm

CASCADE = os.environ["CASCADE"]
ROOT = os.path.dirname(os.path.abspath(__file__)) + "/../.."
pyhf.set_backend("numpy", pyhf.optimize.minuit_optimizer(tolerance=1e-9))
failures = []
checked = 0


def check(name, got, want, tol, rel=False):
    global checked
    checked += 1
    dev = abs(got - want) / abs(want) if rel and want != 0 else abs(got - want)
    if not dev <= tol:
        failures.append(f"{name}: cascade {got!r} vs pyhf {want!r} (deviation {dev:.3g} > {tol})")


def cascade(*args):
    out = subprocess.run([CASCADE, "fit", *args], capture_output=True, text=True)
    if out.returncode != 0:
        failures.append(f"cascade fit {' '.join(args)} failed: {out.stderr.strip()}")
        return None
    return json.loads(out.stdout) if "--json" in args else out.stdout


def generated_workspace():
    rng = np.random.RandomState(7)
    def r(lo, hi, n):
        return [float(x) for x in np.round(rng.uniform(lo, hi, n), 3)]
    sr_b, cr1_b, cr2_b = r(80, 160, 5), r(300, 500, 4), r(150, 250, 3)
    ch = [
        {"name": "SR", "samples": [
            {"name": "signal", "data": r(5, 30, 5), "modifiers": [
                {"name": "mu", "type": "normfactor", "data": None},
                {"name": "lumi", "type": "lumi", "data": None},
                {"name": "sig_xsec", "type": "normsys", "data": {"hi": 1.08, "lo": 0.93}}]},
            {"name": "bkgA", "data": sr_b, "modifiers": [
                {"name": "mu_A", "type": "normfactor", "data": None},
                {"name": "lumi", "type": "lumi", "data": None},
                {"name": "staterror_SR", "type": "staterror", "data": [round(0.05 * x, 3) for x in sr_b]},
                {"name": "jes", "type": "histosys", "data": {"hi_data": [round(x * 1.04, 3) for x in sr_b], "lo_data": [round(x * 0.97, 3) for x in sr_b]}},
                {"name": "jes", "type": "normsys", "data": {"hi": 1.02, "lo": 0.985}}]},
            {"name": "bkgC", "data": r(20, 40, 5), "modifiers": [
                {"name": "bkgC_unc", "type": "shapesys", "data": r(2, 5, 5)},
                {"name": "staterror_SR", "type": "staterror", "data": r(0.5, 2, 5)}]}]},
        {"name": "CR1", "samples": [
            {"name": "bkgA", "data": cr1_b, "modifiers": [
                {"name": "mu_A", "type": "normfactor", "data": None},
                {"name": "lumi", "type": "lumi", "data": None},
                {"name": "staterror_CR1", "type": "staterror", "data": [round(0.03 * x, 3) for x in cr1_b]},
                {"name": "jes", "type": "histosys", "data": {"hi_data": [round(x * 1.03, 3) for x in cr1_b], "lo_data": [round(x * 0.96, 3) for x in cr1_b]}}]},
            {"name": "signal", "data": r(0.5, 2, 4), "modifiers": [
                {"name": "mu", "type": "normfactor", "data": None},
                {"name": "lumi", "type": "lumi", "data": None}]}]},
        {"name": "CR2", "samples": [
            {"name": "bkgB", "data": cr2_b, "modifiers": [
                {"name": "sf_B", "type": "shapefactor", "data": None},
                {"name": "lumi", "type": "lumi", "data": None}]},
            {"name": "bkgA", "data": r(10, 30, 3), "modifiers": [
                {"name": "mu_A", "type": "normfactor", "data": None},
                {"name": "staterror_CR2", "type": "staterror", "data": r(1, 3, 3)}]}]},
    ]
    spec = {"channels": ch, "observations": [], "version": "1.0.0", "measurements": [{"name": "meas", "config": {"poi": "mu", "parameters": [
        {"name": "lumi", "auxdata": [1.0], "sigmas": [0.017], "inits": [1.0], "bounds": [[0.8, 1.2]]}]}}]}
    spec["observations"] = [{"name": c["name"], "data": [0.0] * len(c["samples"][0]["data"])} for c in ch]
    model = pyhf.Workspace(spec).model()
    truth = model.config.suggested_init()
    truth[model.config.par_slice("mu")] = [1.4]
    truth[model.config.par_slice("mu_A")] = [0.9]
    expected = model.expected_data(truth, include_auxdata=False)
    counts = rng.poisson(expected).astype(float)
    for c in spec["observations"]:
        sl = model.config.channel_slices[c["name"]]
        c["data"] = [float(x) for x in counts[sl]]
    return spec


def compare_fit(tag, spec_path, model, data, args):
    res = cascade(spec_path, "--json", *args)
    if res is None:
        return None
    bestfit, twice_nll = pyhf.infer.mle.fit(data, model, return_uncertainties=True, return_fitted_val=True)
    names = [p["name"] for p in res["parameters"]]
    if names != model.config.par_names:
        failures.append(f"{tag}: parameter names {names} vs pyhf {model.config.par_names}")
        return res
    check(f"{tag} twice_nll", res["twice_nll"], float(twice_nll), 1e-6)
    fixed = model.config.suggested_fixed()
    for i, p in enumerate(res["parameters"]):
        check(f"{tag} {p['name']} value", p["value"], float(bestfit[i, 0]), 1e-4)
        if not fixed[i]:
            check(f"{tag} {p['name']} error", p["error"], float(bestfit[i, 1]), 1e-3, rel=True)
    return res


with tempfile.TemporaryDirectory() as tmp:
    spec = generated_workspace()
    path = tmp + "/generated.json"
    json.dump(spec, open(path, "w"))
    ws = pyhf.Workspace(spec)
    for tag, args, settings in [
        ("default interpolation", [], None),
        ("code1/code0", ["--interp", "normsys=code1,histosys=code0"], {"normsys": {"interpcode": "code1"}, "histosys": {"interpcode": "code0"}}),
    ]:
        model = ws.model(modifier_settings=settings) if settings else ws.model()
        compare_fit(tag, path, model, ws.data(model), args)
    model = ws.model()
    asimov = model.expected_data(model.config.suggested_init())
    res = compare_fit("asimov", path, model, asimov, ["--asimov"])

    # The workspace cascade writes is valid for pyhf and describes the same likelihood.
    res = cascade(path, "--json", "--out", tmp + "/out")
    if res is not None:
        written = pyhf.Workspace(json.load(open(tmp + "/out/workspace.json")))
        m2 = written.model()
        pars = [p["value"] for p in res["parameters"]]
        check("written workspace twice_nll", float(pyhf.infer.mle.twice_nll(pars, written.data(m2), m2)[0]), res["twice_nll"], 1e-9)

    # Inference on the shared reference cases.
    cases = ["1bin_shapesys", "1bin_shapesys_q0", "1bin_normsys", "2bin_histosys", "2bin_2channel", "2bin_2channel_couplednorm"]
    settings = {"normsys": {"interpcode": "code1"}, "histosys": {"interpcode": "code0"}}
    for name in cases:
        wpath = f"{ROOT}/Tests/Fixtures/pyhf/{name}.workspace.json"
        h = json.load(open(f"{ROOT}/Tests/Fixtures/pyhf/{name}.expected.json"))["hypotest"]
        w = pyhf.Workspace(json.load(open(wpath)))
        m = w.model(modifier_settings=settings)
        d = w.data(m)
        stat = h["test_stat"]
        args = ["--interp", "normsys=code1,histosys=code0", "--hypotest", str(h["mu"]), "--test-stat", stat, "--significance"]
        if stat != "q0":
            args.append("--limit")
        res = cascade(wpath, "--json", *args)
        if res is None:
            continue
        obs, exp = pyhf.infer.hypotest(h["mu"], d, m, test_stat=stat, return_expected_set=True)
        check(f"{name} CLs obs", res["hypotest"]["cls_obs"], float(obs), 1e-6, rel=True)
        for i in range(5):
            check(f"{name} CLs exp[{i}]", res["hypotest"]["cls_exp"][i], float(exp[i]), 1e-6, rel=True)
        p0, p0_exp = pyhf.infer.hypotest(0.0, d, m, test_stat="q0", return_expected_set=True)
        check(f"{name} Z0 obs", res["significance"]["observed"], float(norm.isf(float(p0))), 1e-6)
        check(f"{name} Z0 exp", res["significance"]["expected"], float(norm.isf(float(p0_exp[2]))), 1e-6)
        if stat != "q0":
            lim_obs, lim_exp = pyhf.infer.intervals.upper_limits.toms748_scan(
                d, m, 0.0, 10.0, atol=1e-12, rtol=1e-10, test_stat="qtilde")
            check(f"{name} limit obs", res["limit"]["observed"], float(lim_obs), 1e-6, rel=True)
            for i in range(5):
                check(f"{name} limit exp[{i}]", res["limit"]["expected"][i], float(lim_exp[i]), 1e-6, rel=True)

print(f"test_fit_pyhf: {checked} comparisons with pyhf {pyhf.__version__}")
if failures:
    print("\n".join(failures))
    sys.exit(1)
print("all within tolerance")
