#!/usr/bin/env python3
"""One run of the sculpting example: per stage the AUC, per (stage, background) the sculpting
metrics, and the closure pulls. Standard library only.

usage: summary.py CONFIG RUN_DIR TRUTH_JSON
"""
import json
import subprocess
import sys

config, run, truth = sys.argv[1:4]
eff = json.load(open(f"{run}/tables/efficiency.json"))
print("AUC (test): " + ", ".join(f"{s['stage']} {s['auc_test']:.4f}" for s in eff))
rows = json.load(open(f"{run}/tables/sculpting.json"))
print(f"{'stage':<10} {'sample':<10} {'jsd_cr':>8} {'jsd_surv':>8} {'chi2/ndf':>8} {'flatness':>8}")
for r in rows:
    print(f"{r['stage']:<10} {r['sample']:<10} {r['jsd_cr']:8.4f} {r['jsd_survivors']:8.4f} "
          f"{r['chi2_ndf'] if r['chi2_ndf'] is not None else float('nan'):8.2f} {r['flatness']:8.4f}{'  !' if r['sculpted'] else ''}")
subprocess.run([sys.executable, "analysis/toy/closure.py", config, f"{run}/fit/result.json", truth])
