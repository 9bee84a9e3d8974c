"""The toy cascade done by hand, as a physicist would script it from the README: h5py + XGBoost +
pyhf. The peer of `cascade run` in bench_chain.py (same samples, stages, folds, working points,
fit); it writes per-event scores and region files (HDF5) and the fit result like `cascade` does.

    python analysis/benchmarks/chain_by_hand.py --samples DIR --out OUT [--threads 2]

Cascade (configs/toy.json): vs_wjets (photon_iso, photon_sieie, photon_eta, dr_lg), vs_top
(n_jets, n_bjets, ht; ttbar + singletop), vs_wgamma (met, cos_theta, photon_ptrel, pt_lg,
photon_eta, lep_eta; learning rate 0.05); 200 trees, depth 3, 255 bins, 2 folds by event number
mod 2 (each event scored by the model that did not see it), classes balanced, negative weights
left out of training; thresholds keep 95 %, 95 %, 80 % of the signal reaching each stage. Fit:
m_lg, 28 bins in [60, 200], one normfactor per process (top shared), staterror, all four regions.
"""
import argparse
import json
import os

import h5py
import numpy as np
import pyhf
import xgboost as xgb

SAMPLES = {"signal": "signal", "wgamma": "background", "wjets": "background", "ttbar": "background",
           "singletop": "background", "data": "data"}
STAGES = [
    ("vs_wjets", ["wjets"], "CR_wjets", ["photon_iso", "photon_sieie", "photon_eta", "dr_lg"], 0.95, 0.1),
    ("vs_top", ["ttbar", "singletop"], "CR_top", ["n_jets", "n_bjets", "ht"], 0.95, 0.1),
    ("vs_wgamma", ["wgamma"], "CR_wgamma", ["met", "cos_theta", "photon_ptrel", "pt_lg", "photon_eta", "lep_eta"], 0.8, 0.05),
]
NORM = {"signal": "mu_signal", "wgamma": "mu_wgamma", "wjets": "mu_wjets", "ttbar": "mu_top", "singletop": "mu_top"}
EDGES = np.linspace(60, 200, 29)


def load(samples_dir):
    out = {}
    for name in SAMPLES:
        with h5py.File(os.path.join(samples_dir, f"{name}.h5"), "r") as f:
            g = f["events"]
            cols = {k: g[k][...] for k in g.keys()}
        if "weight" not in cols:
            cols["weight"] = np.ones(len(cols["event_number"]))
        out[name] = cols
    return out


def train_stage(events, alive, stage, threads):
    name, bkgs, region, feats, sig_eff, lr = stage
    x, y, w = [], [], []
    for s in ["signal"] + bkgs:
        m = alive[s]
        x.append(np.column_stack([events[s][f][m] for f in feats]))
        y.append(np.full(m.sum(), 1 if s == "signal" else 0))
        w.append(events[s]["weight"][m])
    x, y, w = np.vstack(x), np.concatenate(y), np.concatenate(w)
    fold = np.concatenate([events[s]["event_number"][alive[s]] % 2 for s in ["signal"] + bkgs])
    tw = np.where(w > 0, w, 0.0)  # negative weights left out of training
    for c in (0, 1):  # balance the classes
        tw[y == c] /= tw[y == c].sum()
    models = []
    for k in range(2):
        train = fold != k
        d = xgb.DMatrix(x[train], label=y[train], weight=tw[train])
        params = {"objective": "binary:logistic", "tree_method": "hist", "max_depth": 3, "eta": lr,
                  "max_bin": 255, "nthread": threads, "lambda": 1.0, "min_child_weight": 0.0}
        models.append(xgb.train(params, d, num_boost_round=200))
    oof = np.empty(len(y))
    for k in range(2):
        test = fold == k
        oof[test] = models[k].inplace_predict(x[test])  # model k never saw fold k
    # Threshold keeping `sig_eff` of the signal weight (largest such score).
    s = oof[y == 1]
    sw = w[y == 1]
    order = np.argsort(-s, kind="stable")
    cum = np.cumsum(sw[order])
    threshold = s[order][np.searchsorted(cum, sig_eff * sw.sum())]
    return models, threshold


def score(models, events, feats, mask):
    x = np.column_stack([events[f][mask] for f in feats])
    fold = events["event_number"][mask] % 2
    out = np.empty(mask.sum())
    for k in range(2):
        m = fold == k
        if m.any():
            out[m] = models[k].inplace_predict(x[m])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    events = load(args.samples)
    n = {s: len(events[s]["weight"]) for s in events}
    alive = {s: np.ones(n[s], bool) for s in events}
    region = {s: np.full(n[s], len(STAGES), np.int8) for s in events}
    scores = {s: {} for s in events}
    for si, stage in enumerate(STAGES):
        models, threshold = train_stage(events, alive, stage, args.threads)
        for s in events:  # route every sample (MC and data) that is still alive
            sc = np.full(n[s], np.nan)
            sc[alive[s]] = score(models, events[s], stage[3], alive[s])
            scores[s][stage[0]] = sc
            out = alive[s] & (sc < threshold)
            region[s][out] = si
            alive[s] &= ~out
    regions = [st[2] for st in STAGES] + ["SR"]
    os.makedirs(os.path.join(args.out, "scores"), exist_ok=True)
    for s in events:
        with h5py.File(os.path.join(args.out, "scores", f"{s}.h5"), "w") as f:
            g = f.create_group("events")
            for k, v in list(scores[s].items()) + [("region", region[s]), ("event_number", events[s]["event_number"])]:
                g.create_dataset(f"score_{k}" if k in scores[s] else k, data=v, compression="gzip", compression_opts=4)
        for ri, r in enumerate(regions):
            os.makedirs(os.path.join(args.out, "regions", r), exist_ok=True)
            m = region[s] == ri
            with h5py.File(os.path.join(args.out, "regions", r, f"{s}.h5"), "w") as f:
                g = f.create_group("events")
                for k, v in events[s].items():
                    g.create_dataset(k, data=v[m], compression="gzip", compression_opts=4)
    channels, observations = [], []
    for ri, r in enumerate(regions):
        samples = []
        for s, role in SAMPLES.items():
            if role == "data":
                continue
            m = region[s] == ri
            h, _ = np.histogram(events[s]["m_lg"][m], EDGES, weights=events[s]["weight"][m])
            h2, _ = np.histogram(events[s]["m_lg"][m], EDGES, weights=events[s]["weight"][m] ** 2)
            h = np.maximum(h, 1e-6)
            samples.append({"name": s, "data": h.tolist(), "modifiers": [
                {"name": NORM[s], "type": "normfactor", "data": None},
                {"name": f"staterror_{r}", "type": "staterror", "data": np.sqrt(h2).tolist()}]})
        d, _ = np.histogram(events["data"]["m_lg"][region["data"] == ri], EDGES)
        channels.append({"name": r, "samples": samples})
        observations.append({"name": r, "data": d.astype(float).tolist()})
    spec = {"channels": channels, "observations": observations, "version": "1.0.0",
            "measurements": [{"name": "fit", "config": {"poi": "mu_signal", "parameters": []}}]}
    ws = pyhf.Workspace(spec)
    model = ws.model()
    pyhf.set_backend("numpy", pyhf.optimize.minuit_optimizer(tolerance=1e-3))
    best, twice_nll = pyhf.infer.mle.fit(ws.data(model), model, return_uncertainties=True, return_fitted_val=True)
    os.makedirs(os.path.join(args.out, "fit"), exist_ok=True)
    result = {"twice_nll": float(twice_nll), "parameters": [
        {"name": p, "value": float(best[i][0]), "error": float(best[i][1])}
        for p in model.config.par_order for i in [model.config.par_slice(p).start] if model.config.param_set(p).n_parameters == 1]}
    json.dump(result, open(os.path.join(args.out, "fit", "result.json"), "w"), indent=1)
    json.dump(spec, open(os.path.join(args.out, "fit", "workspace.json"), "w"))


if __name__ == "__main__":
    main()
