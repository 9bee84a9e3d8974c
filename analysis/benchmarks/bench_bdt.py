#!/usr/bin/env python3
"""Benchmark: `cascade bdt train` / `bdt predict` vs XGBoost (hist) and LightGBM on the same data.

One generated set (seeded; default 2,000,000 training events × 11 features, plus a test set of a
quarter of that), the same hyperparameters for all: 200 trees, depth 6, learning rate 0.1,
λ = 1, 255 bins, 2 threads (cascade with --no-balance, as the peers do not balance). --repeat
runs of every tool, alternating within each repeat (cascade, xgboost, lightgbm, cascade, …),
each tool in its own process; the load average is printed before every run. For every figure
the median and min–max over the repeats:

- training wall time: cascade = the whole `cascade bdt train` process (data loading included);
  XGBoost / LightGBM = their fit call inside the worker process (DMatrix / Dataset construction
  + `train`, the data already in memory); the peers' whole-process time is printed for reference;
- AUC (weighted) on the test set; it must be the same in every repeat (checked);
- scoring throughput, events/s, timed inside each tool without I/O: `cascade bdt predict`'s
  reported scoring time vs XGBoost `inplace_predict` and LightGBM `predict` (same 200 trees of
  depth 6);
- peak RSS (os.wait4 ru_maxrss) of each tool's process, started by a tiny launcher so that this
  script's own memory is not counted; cascade's is the larger of its train and predict
  processes, the peers' is their worker (load, train, score).

Ratios (min = min(cascade) / max(peer), max = max(cascade) / min(peer)) and goals (issue 3):
training cascade / faster peer ≤ 0.7; AUC cascade − best peer ≥ −0.0005; scoring
cascade / XGBoost throughput ≥ 4; peak RSS cascade / LightGBM ≤ 1.

    python analysis/benchmarks/bench_bdt.py --cascade .build/release/cascade [--rows 2000000] [--repeat 3] [--json out.json]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

FEATURES = [f"f{i}" for i in range(11)]
TREES, DEPTH, LR, BINS, THREADS = 200, 6, 0.1, 255, 2


def set_depth(depth):
    """--depth: the tree depth every tool uses (the workers get it on their command line)."""
    global DEPTH
    DEPTH = depth
PEERS = ["xgboost", "lightgbm"]


def generate(path, rows, seed):
    """A physics-like toy: correlated features, a non-linear signal/background boundary, 2 % NaN."""
    rng = np.random.default_rng(seed)
    y = rng.random(rows) < 0.5
    base = rng.normal(size=(rows, 11)).astype(np.float32)
    mix = rng.normal(scale=0.3, size=(11, 11)).astype(np.float32) + np.eye(11, dtype=np.float32)
    x = base @ mix
    shift = np.linspace(0.6, 0.0, 11).astype(np.float32)
    x[y] += shift
    x[y, 3] = x[y, 3] * 1.5
    x[y, 4] = np.abs(x[y, 4]) - 0.3
    x[:, 5] = np.where(y, x[:, 5] + 0.4 * x[:, 0] * x[:, 1], x[:, 5])
    x[rng.random((rows, 11)) < 0.02] = np.nan
    w = np.where(rng.random(rows) < 0.05, -1.0, 1.0) * (0.5 + rng.random(rows))
    w = w.astype(np.float64)
    w[w < 0] = np.abs(w[w < 0])  # all tools see the same positive weights
    with h5py.File(path, "w") as f:
        g = f.create_group("events")
        for i, name in enumerate(FEATURES):
            g.create_dataset(name, data=x[:, i], chunks=(min(65536, rows),))
        g.create_dataset("label", data=y.astype(np.int8), chunks=(min(65536, rows),))
        g.create_dataset("weight", data=w, chunks=(min(65536, rows),))


def load(path):
    with h5py.File(path, "r") as f:
        g = f["events"]
        x = np.column_stack([g[n][:] for n in FEATURES]).astype(np.float32)
        return x, g["label"][:].astype(np.float64), g["weight"][:]


def auc(score, y, w):
    order = np.argsort(score, kind="mergesort")
    s, yy, ww = score[order], y[order], w[order]
    # Weighted Mann-Whitney with ties counted half.
    ws, wb = ww * yy, ww * (1 - yy)
    _, first = np.unique(s, return_index=True)
    bounds = list(first) + [len(s)]
    area, below = 0.0, 0.0
    for a, b in zip(bounds[:-1], bounds[1:]):
        sb, bb = ws[a:b].sum(), wb[a:b].sum()
        area += sb * (below + bb / 2)
        below += bb
    return area / (ws.sum() * wb.sum())


def worker(tool, train, test, model):
    """Runs inside a child process: load, train (timed: the fit call), score the test set (timed), print JSON."""
    l0 = time.perf_counter()
    x, y, w = load(train)
    load_s = time.perf_counter() - l0
    xt, yt, wt = load(test)
    t0 = time.perf_counter()
    if tool == "xgboost":
        import xgboost as xgb
        d = xgb.DMatrix(x, label=y, weight=w, missing=np.nan, nthread=THREADS)
        bst = xgb.train({"objective": "binary:logistic", "tree_method": "hist", "max_depth": DEPTH, "eta": LR,
                         "max_bin": BINS, "nthread": THREADS, "lambda": 1.0, "min_child_weight": 1e-3},
                        d, num_boost_round=TREES)
        t1 = time.perf_counter()
        bst.save_model(model)
        s0 = time.perf_counter()
        score = bst.inplace_predict(xt)
        s1 = time.perf_counter()
    else:
        import lightgbm as lgb
        d = lgb.Dataset(x, label=y, weight=w, params={"max_bin": BINS, "verbose": -1})
        bst = lgb.train({"objective": "binary", "max_depth": DEPTH, "num_leaves": 2 ** DEPTH, "learning_rate": LR,
                         "num_threads": THREADS, "lambda_l2": 1.0, "min_sum_hessian_in_leaf": 1e-3,
                         "min_data_in_leaf": 0, "verbose": -1, "deterministic": True, "force_col_wise": True},
                        d, num_boost_round=TREES)
        t1 = time.perf_counter()
        bst.save_model(model)
        s0 = time.perf_counter()
        score = bst.predict(xt, num_threads=THREADS)
        s1 = time.perf_counter()
    print(json.dumps({"load_s": load_s, "fit_s": t1 - t0, "score_s": s1 - s0, "auc": auc(np.asarray(score), yt, wt)}))


# Peak RSS from os.wait4 is only the tool's own if its parent is small: at exec, Linux carries the
# parent's RSS high-water mark into the child's ru_maxrss (fork and vfork alike), and this script
# holds the generated data. So every tool is started by this tiny launcher (python -S, ~8 MiB),
# which spawns it, waits for it with os.wait4 and writes wall time, exit code, ru_maxrss and CPU.
LAUNCHER = r'''
import os, sys, time
t0 = time.perf_counter()
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - t0
with open(sys.argv[1], "w") as f:
    f.write(f"{wall} {os.waitstatus_to_exitcode(status)} {ru.ru_maxrss} {ru.ru_utime + ru.ru_stime}")
'''


def run(cmd):
    """Runs cmd in its own process: (stdout, wall s, peak RSS MiB, CPU s, load average before)."""
    # Idle OpenMP threads sleep instead of spinning: on a shared machine spinning only steals
    # cycles from the working threads (this helps XGBoost and LightGBM, never cascade).
    env = dict(os.environ, OMP_WAIT_POLICY="passive")
    load_avg = os.getloadavg()[0]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".rusage") as res:
        p = subprocess.run([sys.executable, "-S", "-c", LAUNCHER, res.name, *cmd], stdout=out, stderr=err, env=env)
        out.seek(0), err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
        fields = res.read().split()
    if p.returncode != 0 or len(fields) != 4 or fields[1] != "0":
        sys.exit(f"failed: {' '.join(cmd)}\n{stderr[-2000:]}")
    wall, _, maxrss_kib, cpu = fields
    return stdout, float(wall), int(maxrss_kib) / 1024, float(cpu), load_avg


def spread(v):
    return {"median": statistics.median(v), "min": min(v), "max": max(v), "all": list(v)}


def ratio(ours, theirs):
    """Median ratio and its range as bench_chain.py: min(ours)/max(theirs) … max(ours)/min(theirs)."""
    return {"median": statistics.median(ours) / statistics.median(theirs),
            "min": min(ours) / max(theirs), "max": max(ours) / min(theirs)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--test-rows", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cascade", default=".build/release/cascade")
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--worker", choices=PEERS)
    ap.add_argument("--train"), ap.add_argument("--test"), ap.add_argument("--model")
    ap.add_argument("--json", help="write the results (every run, medians, min–max, ratios) here")
    ap.add_argument("--depth", type=int, default=DEPTH, help=f"tree depth for every tool (default {DEPTH})")
    a = ap.parse_args()
    set_depth(a.depth)
    if a.worker:
        worker(a.worker, a.train, a.test, a.model)
        return
    test_rows = a.test_rows or max(a.rows // 4, 1000)
    work = a.workdir or tempfile.mkdtemp(prefix="bench-bdt-")
    os.makedirs(work, exist_ok=True)
    train, test = os.path.join(work, "train.h5"), os.path.join(work, "test.h5")
    print(f"generating {a.rows} training and {test_rows} test events × 11 features in {work}")
    generate(train, a.rows, 1)
    generate(test, test_rows, 2)
    yt, wt = load(test)[1:]
    print(f"{TREES} trees, depth {DEPTH}, {BINS} bins, {THREADS} threads, {a.repeat} repeats, "
          f"{os.cpu_count()} cores", flush=True)

    model = os.path.join(work, "cascade.json")
    scores = os.path.join(work, "cascade_scores.h5")
    train_cmd = [a.cascade, "bdt", "train", "--input", train, "--label", "label", "--weight", "weight",
                 "--features", ",".join(FEATURES), "--trees", str(TREES), "--depth", str(DEPTH),
                 "--learning-rate", str(LR), "--bins", str(BINS), "--threads", str(THREADS),
                 "--no-balance", "--out", model]
    predict_cmd = [a.cascade, "bdt", "predict", "--model", model, "--input", test, "--out", scores,
                   "--threads", str(THREADS)]
    runs = {t: [] for t in ["cascade", *PEERS]}
    for r in range(a.repeat):
        # cascade: train (whole process), then predict (its reported scoring time)
        _, wall, rss_train, cpu, load_t = run(train_cmd)
        out, _, rss_pred, _, load_p = run(predict_cmd)
        score_s = float(re.search(r"scoring: ([0-9.]+) s", out).group(1))
        with h5py.File(scores, "r") as f:
            s = f["events/score"][:]
        c = {"train_s": wall, "train_cpu_s": cpu, "score_s": score_s, "auc": auc(s, yt, wt),
             "rss_train_mib": rss_train, "rss_predict_mib": rss_pred, "rss_mib": max(rss_train, rss_pred),
             "load_train": load_t, "load_predict": load_p}
        runs["cascade"].append(c)
        print(f"  run {r + 1}: cascade   train {wall:8.2f} s (process; load {load_t:.2f})  "
              f"scoring {score_s:7.3f} s (load {load_p:.2f})  AUC {c['auc']:.5f}  "
              f"RSS {rss_train:.0f}/{rss_pred:.0f} MiB train/predict", flush=True)
        for tool in PEERS:
            out, wall, rss, cpu, load_w = run([sys.executable, os.path.abspath(__file__), "--worker", tool,
                                               "--train", train, "--test", test, "--depth", str(DEPTH),
                                               "--model", os.path.join(work, f"{tool}.model")])
            p = json.loads(out.strip().splitlines()[-1])
            p.update({"process_s": wall, "process_cpu_s": cpu, "rss_mib": rss, "load": load_w})
            runs[tool].append(p)
            print(f"  run {r + 1}: {tool:9} fit   {p['fit_s']:8.2f} s (process {wall:.2f} s; load {load_w:.2f})  "
                  f"scoring {p['score_s']:7.3f} s  AUC {p['auc']:.5f}  RSS {rss:.0f} MiB", flush=True)

    train_key = {"cascade": "train_s", "xgboost": "fit_s", "lightgbm": "fit_s"}
    summary = {}
    for tool, rr in runs.items():
        summary[tool] = {
            "train_s": spread([x[train_key[tool]] for x in rr]),
            "auc": spread([x["auc"] for x in rr]),
            "score_s": spread([x["score_s"] for x in rr]),
            "scoring_events_per_s": spread([test_rows / x["score_s"] for x in rr]),
            "rss_mib": spread([x["rss_mib"] for x in rr]),
        }
        if tool != "cascade":
            summary[tool]["process_s"] = spread([x["process_s"] for x in rr])
            summary[tool]["load_plus_fit_s"] = spread([x["load_s"] + x["fit_s"] for x in rr])
    loads = [x[k] for x in runs["cascade"] for k in ("load_train", "load_predict")] + \
            [x["load"] for t in PEERS for x in runs[t]]

    print(f"\n{a.rows} training / {test_rows} test events; median (min–max) of {a.repeat} runs; "
          f"load average {min(loads):.2f}–{max(loads):.2f}")
    cell = lambda d, f: f"{d['median']:{f}} ({d['min']:{f}}–{d['max']:{f}})"
    rows = [(tool, cell(sm["train_s"], ".2f"), f"{sm['auc']['median']:.5f}", cell(sm["scoring_events_per_s"], ".3e"),
             cell(sm["rss_mib"], ".0f")) for tool, sm in summary.items()]
    head = ("tool", "train s", "AUC", "scoring events/s", "peak RSS MiB")
    width = [max(len(row[i]) for row in [head, *rows]) for i in range(5)]
    for row in [head, *rows]:
        print("  ".join(v.ljust(width[0]) if i == 0 else v.rjust(width[i]) for i, v in enumerate(row)))
    print("train s: cascade = whole `bdt train` process (data loading included); peers = fit call "
          "(DMatrix/Dataset + train)")
    for tool in PEERS:
        ps, lf = summary[tool]["process_s"], summary[tool]["load_plus_fit_s"]
        print(f"  {tool}: whole worker process (load, fit, save, score, AUC) {ps['median']:.2f} s "
              f"({ps['min']:.2f}–{ps['max']:.2f}); load training set + fit {lf['median']:.2f} s "
              f"({lf['min']:.2f}–{lf['max']:.2f})")
    deterministic = True
    for tool, sm in summary.items():
        if len(set(sm["auc"]["all"])) > 1:
            deterministic = False
            print(f"WARNING: {tool}'s AUC differs across repeats: {sm['auc']['min']:.7f}–{sm['auc']['max']:.7f}")
    if deterministic:
        print("AUC identical in every repeat for every tool")

    c, x, l = (summary[t] for t in ["cascade", "xgboost", "lightgbm"])
    faster = min(PEERS, key=lambda t: summary[t]["train_s"]["median"])
    best = max(PEERS, key=lambda t: summary[t]["auc"]["median"])
    ca, pa = c["auc"], summary[best]["auc"]
    ratios = {
        "train_vs_faster_peer": {**ratio(c["train_s"]["all"], summary[faster]["train_s"]["all"]),
                                 "peer": faster, "goal": "<= 0.7"},
        "auc_minus_best_peer": {"median": ca["median"] - pa["median"], "min": ca["min"] - pa["max"],
                                "max": ca["max"] - pa["min"], "peer": best, "goal": ">= -0.0005"},
        "scoring_throughput_vs_xgboost": {**ratio(c["scoring_events_per_s"]["all"], x["scoring_events_per_s"]["all"]),
                                          "goal": ">= 4"},
        "rss_vs_lightgbm": {**ratio(c["rss_mib"]["all"], l["rss_mib"]["all"]), "goal": "<= 1"},
    }
    # For reference (no goal): cascade's whole process vs the faster peer's training-set load + fit.
    ratios["train_vs_faster_peer_load_plus_fit"] = {
        **ratio(c["train_s"]["all"], summary[faster]["load_plus_fit_s"]["all"]), "peer": faster}
    met = lambda v, goal: "met" if (v <= float(goal[2:]) if goal.startswith("<=") else v >= float(goal[2:])) else "not met"
    r = ratios["train_vs_faster_peer"]
    print(f"\ntraining cascade / faster peer ({faster} fit call): {r['median']:.2f} "
          f"(min {r['min']:.2f}, max {r['max']:.2f}); goal ≤ 0.7: {met(r['median'], r['goal'])}")
    r = ratios["train_vs_faster_peer_load_plus_fit"]
    print(f"  (for reference, vs {faster}'s training-set load + fit: {r['median']:.2f}, "
          f"min {r['min']:.2f}, max {r['max']:.2f})")
    r = ratios["auc_minus_best_peer"]
    print(f"AUC cascade − best peer ({best}): {r['median']:+.5f} (min {r['min']:+.5f}, max {r['max']:+.5f}); "
          f"goal ≥ −0.0005: {met(r['median'], r['goal'])}")
    r = ratios["scoring_throughput_vs_xgboost"]
    print(f"scoring throughput cascade / XGBoost: {r['median']:.2f}× (min {r['min']:.2f}, max {r['max']:.2f}); "
          f"goal ≥ 4: {met(r['median'], r['goal'])}")
    r = ratios["rss_vs_lightgbm"]
    print(f"peak RSS cascade / LightGBM: {r['median']:.2f} (min {r['min']:.2f}, max {r['max']:.2f}); "
          f"goal ≤ 1: {met(r['median'], r['goal'])}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"rows": a.rows, "test_rows": test_rows, "repeat": a.repeat, "threads": THREADS,
                       "trees": TREES, "depth": DEPTH, "bins": BINS, "load_average": spread(loads),
                       "auc_identical_across_repeats": deterministic,
                       "runs": runs, "summary": summary, "ratios": ratios}, f, indent=2)


if __name__ == "__main__":
    main()
