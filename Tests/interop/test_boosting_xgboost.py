"""XGBoost interop for `cascade bdt`: checked by xgboost itself.

1. A cascade gradient model exported with `cascade bdt export-xgboost` loads in xgboost.Booster
   and gives the same margins and probabilities as `cascade bdt predict` (NaN rows included).
2. A model trained by XGBoost here (with missing values), imported with
   `cascade bdt import-xgboost`, scores like XGBoost's own predict (margins to 1e-6).
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import xgboost as xgb

CASCADE = os.environ["CASCADE"]
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(*args):
    r = subprocess.run([CASCADE, *args], capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stdout, r.stderr)
        raise SystemExit(f"cascade {' '.join(args)} failed")
    return r.stdout


def write_csv(path, X, extra):
    cols = [f"x{i}" for i in range(X.shape[1])] + list(extra)
    with open(path, "w") as f:
        f.write(",".join(cols) + "\n")
        for i in range(X.shape[0]):
            vals = ["" if np.isnan(v) else repr(float(v)) for v in X[i]]
            vals += [repr(float(extra[k][i])) for k in extra]
            f.write(",".join(vals) + "\n")


def read_scores(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
        idx = header.index("score")
        return np.array([float(line.split(",")[idx]) for line in f])


rng = np.random.default_rng(2024)
n, nf = 4000, 4
y = (rng.random(n) < 0.5).astype(float)
X = rng.normal(size=(n, nf)).astype(np.float32) + (y[:, None] * np.array([1.0, 0.6, 0.3, 0.0])).astype(np.float32)
X[rng.random((n, nf)) < 0.05] = np.nan
w = 0.5 + rng.random(n)

with tempfile.TemporaryDirectory() as d:
    data = os.path.join(d, "train.csv")
    write_csv(data, X, {"w": w, "label": y})
    features = ",".join(f"x{i}" for i in range(nf))

    # 1. cascade → XGBoost
    model = os.path.join(d, "model.json")
    run("bdt", "train", "--input", data, "--label", "label", "--weight", "w", "--features", features,
        "--trees", "30", "--depth", "4", "--learning-rate", "0.3", "--out", model)
    xgb_path = os.path.join(d, "exported.json")
    run("bdt", "export-xgboost", model, xgb_path)
    booster = xgb.Booster(model_file=xgb_path)
    dm = xgb.DMatrix(X, missing=np.nan, feature_names=[f"x{i}" for i in range(nf)])
    xgb_margin = booster.predict(dm, output_margin=True)
    xgb_prob = booster.predict(dm)
    out_m = os.path.join(d, "margin.csv")
    out_p = os.path.join(d, "prob.csv")
    run("bdt", "predict", "--model", model, "--input", data, "--out", out_m, "--output-margin")
    run("bdt", "predict", "--model", model, "--input", data, "--out", out_p)
    ours_m, ours_p = read_scores(out_m), read_scores(out_p)
    check(booster.num_boosted_rounds() == 30, f"exported model has 30 trees in xgboost ({booster.num_boosted_rounds()})")
    dm_max = float(np.max(np.abs(ours_m - xgb_margin)))
    # XGBoost sums Float32 leaves; cascade sums in Float64: equal to Float32 rounding.
    check(dm_max < 2e-5, f"export: cascade vs xgboost margins, max |diff| = {dm_max:.2e} (< 2e-5)")
    dp_max = float(np.max(np.abs(ours_p - xgb_prob)))
    check(dp_max < 5e-6, f"export: cascade vs xgboost probabilities, max |diff| = {dp_max:.2e} (< 5e-6)")

    # 2. XGBoost → cascade
    dtrain = xgb.DMatrix(X, label=y, weight=w, missing=np.nan, feature_names=[f"x{i}" for i in range(nf)])
    bst = xgb.train({"objective": "binary:logistic", "max_depth": 5, "eta": 0.2, "tree_method": "hist",
                     "base_score": 0.4, "seed": 3}, dtrain, num_boost_round=40)
    xgb_file = os.path.join(d, "xgb.json")
    bst.save_model(xgb_file)
    imported = os.path.join(d, "imported.json")
    run("bdt", "import-xgboost", xgb_file, imported)
    out_i = os.path.join(d, "imported_margin.csv")
    run("bdt", "predict", "--model", imported, "--input", data, "--out", out_i, "--output-margin")
    ref = bst.predict(dm, output_margin=True)
    di = float(np.max(np.abs(read_scores(out_i) - ref)))
    check(di <= 1e-6, f"import: cascade vs xgboost margins on an xgboost-trained model, max |diff| = {di:.2e} (≤ 1e-6)")
    info = run("bdt", "info", imported)
    check("trees:     40" in info, "info shows the 40 imported trees")

print(f"test_boosting_xgboost: {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
