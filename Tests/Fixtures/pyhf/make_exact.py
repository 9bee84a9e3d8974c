"""Regenerates exact_hypotest.json: pyhf 0.7.6 (numpy + iminuit, tolerance 1e-9) hypotests of the six
reference cases, i.e. the same asymptotic CLs with the minimiser converged far below the
references' optimiser tolerance. Run with the venv's python from the package root."""
import json
import pyhf

pyhf.set_backend("numpy", pyhf.optimize.minuit_optimizer(tolerance=1e-9))
cases = ["1bin_shapesys", "1bin_shapesys_q0", "1bin_normsys", "2bin_histosys", "2bin_2channel", "2bin_2channel_couplednorm"]
out = {"generator": "pyhf %s + iminuit, tolerance 1e-9, normsys code1, histosys code0" % pyhf.__version__, "cases": {}}
for name in cases:
    ws = pyhf.Workspace(json.load(open(f"Tests/Fixtures/pyhf/{name}.workspace.json")))
    h = json.load(open(f"Tests/Fixtures/pyhf/{name}.expected.json"))["hypotest"]
    model = ws.model(modifier_settings={"normsys": {"interpcode": "code1"}, "histosys": {"interpcode": "code0"}})
    obs, exp = pyhf.infer.hypotest(h["mu"], ws.data(model), model, test_stat=h["test_stat"], return_expected_set=True)
    out["cases"][name] = {"mu": h["mu"], "test_stat": h["test_stat"], "cls_obs": float(obs), "cls_exp": [float(x) for x in exp]}
json.dump(out, open("Tests/Fixtures/pyhf/exact_hypotest.json", "w"), indent=1)
