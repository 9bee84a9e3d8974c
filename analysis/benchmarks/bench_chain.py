"""The whole chain a user runs: `cascade run` (validate, train, apply, evaluate, fit, report) vs the
same cascade by hand (chain_by_hand.py: h5py + XGBoost + pyhf), both without systematics
(configs/toy.json minus its `systematics`, with "score_files": "new_columns" as the script's score
files hold only new columns; --score-files kept_columns for the self-contained layout), on the toy samples generated
with --events N per process (default 100000), 2 threads each, alternating, --repeat runs each.

Prints the median and min–max wall time of both, their ratio (cascade / script; goal ≤ 0.5),
the load average before every run, and the fitted mu_signal of both as a sanity check.

    python analysis/benchmarks/bench_chain.py --cascade .build/release/cascade [--events 100000] [--repeat 3]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def timed(cmd, env=None):
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - t0, load


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cascade", default=os.path.join(ROOT, ".build/release/cascade"))
    ap.add_argument("--events", type=int, default=100000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--score-files", default="new_columns", choices=["new_columns", "kept_columns"],
                    help="cascade's score-file layout (new_columns writes what the script writes)")
    args = ap.parse_args()
    cascade = os.path.abspath(args.cascade)
    with tempfile.TemporaryDirectory() as tmp:
        samples = os.path.join(tmp, "samples")
        subprocess.run([cascade, "generate", "--out", samples, "--events", str(args.events), "--seed", "1"],
                       check=True, stdout=subprocess.DEVNULL)
        config = json.load(open(os.path.join(ROOT, "configs", "toy.json")))
        config["output"] = os.path.join(tmp, "run")
        for s in config["samples"]:
            s["files"] = [os.path.join(samples, os.path.basename(f)) for f in s["files"]]
        config["training"]["threads"] = args.threads
        # The hand-made script has no systematics: compare the nominal chain. Its score files hold
        # the new columns only (scores, region, event number): so do cascade's (score_files).
        config.pop("systematics", None)
        config["score_files"] = args.score_files
        config["fit"].pop("prune", None)
        config_path = os.path.join(tmp, "toy.json")
        json.dump(config, open(config_path, "w"), indent=1)
        env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
        ours, theirs = [], []
        for r in range(args.repeat):
            t, load = timed([cascade, "run", config_path, "--quiet"])
            ours.append(t)
            print(f"  run {r + 1}: cascade {t:7.2f} s (load {load:.2f})", flush=True)
            t, load = timed([sys.executable, os.path.join(HERE, "chain_by_hand.py"), "--samples", samples,
                             "--out", os.path.join(tmp, "hand"), "--threads", str(args.threads)], env=env)
            theirs.append(t)
            print(f"  run {r + 1}: script  {t:7.2f} s (load {load:.2f})", flush=True)
        mine = json.load(open(os.path.join(tmp, "run", "fit", "result.json")))
        hand = json.load(open(os.path.join(tmp, "hand", "fit", "result.json")))
        mu = lambda res: next(p["value"] for p in res["parameters"] if p["name"] == "mu_signal")
        med_o, med_t = statistics.median(ours), statistics.median(theirs)
        print(f"events per process: {args.events}, threads: {args.threads}, score_files: {args.score_files}")
        print(f"cascade run      median {med_o:.2f} s  (min {min(ours):.2f}, max {max(ours):.2f})")
        print(f"h5py+xgb+pyhf    median {med_t:.2f} s  (min {min(theirs):.2f}, max {max(theirs):.2f})")
        print(f"ratio cascade/script: {med_o / med_t:.2f} (min {min(ours) / max(theirs):.2f}, max {max(ours) / min(theirs):.2f}); goal <= 0.5")
        print(f"mu_signal: cascade {mu(mine):.4f}, script {mu(hand):.4f}")


if __name__ == "__main__":
    main()
