"""Oracle test for the evaluation: ROC area vs scikit-learn, KS test vs scipy.

Generated scores (with ties, weights, negative weights) go to a CSV that
`cascade report --evaluate-csv FILE` (a hidden diagnostic) evaluates:
- AUC vs sklearn.metrics.roc_auc_score(sample_weight=...) to 1e-9 (positive weights);
- with negative weights sklearn's roc_auc_score refuses the non-monotone curve, so the AUC is
  compared with the trapezoid over sklearn's own weighted curve (roc_curve) to 1e-9;
- KS statistic vs scipy.stats.ks_2samp (unit weights) to 1e-12; p-value vs
  scipy.stats.kstwobign.sf(D*sqrt(n1*n2/(n1+n2))) (ROOT's TMath::KolmogorovProb convention) to 1e-9,
  and reported next to ks_2samp's own p-value.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from scipy import stats
from sklearn.metrics import roc_auc_score, roc_curve

CASCADE = os.environ["CASCADE"]
failures = []


def evaluate(scores, labels, weights):
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write("score,label,weight\n")
        for s, l, w in zip(scores, labels, weights):
            f.write(f"{float(s)!r},{int(l)},{float(w)!r}\n")
        path = f.name
    try:
        out = subprocess.run([CASCADE, "report", "--evaluate-csv", path], check=True, capture_output=True, text=True)
    finally:
        os.unlink(path)
    return json.loads(out.stdout)


def check(name, got, want, tol):
    ok = abs(got - want) <= tol
    print(f"{'ok  ' if ok else 'FAIL'} {name}: cascade {float(got)!r} reference {float(want)!r} (tol {tol})")
    if not ok:
        failures.append(name)


rng = np.random.default_rng(7)
for case in range(4):
    ns, nb = 1500 + 300 * case, 2000 - 200 * case
    s = rng.normal(0.6, 0.2, ns)
    b = rng.normal(0.4, 0.25, nb)
    if case % 2 == 1:  # many ties
        s, b = np.round(s, 2), np.round(b, 2)
    scores = np.concatenate([s, b])
    labels = np.concatenate([np.ones(ns), np.zeros(nb)])
    unit = np.ones(ns + nb)
    weights = rng.exponential(1.0, ns + nb) if case >= 2 else unit

    r = r0 = evaluate(scores, labels, weights)
    check(f"case {case}: AUC vs roc_auc_score", r["auc"], roc_auc_score(labels, scores, sample_weight=weights), 1e-9)

    if case < 2:  # unweighted: ks_2samp applies
        ks = stats.ks_2samp(s, b)
        check(f"case {case}: KS statistic vs ks_2samp", r["ks_statistic"], ks.statistic, 1e-12)
        en = ns * nb / (ns + nb)
        check(f"case {case}: KS p vs kstwobign.sf", r["ks_p"], stats.kstwobign.sf(ks.statistic * np.sqrt(en)), 1e-9)
        asymp = stats.ks_2samp(s, b, method="asymp").pvalue
        print(f"     ks_2samp p-values: exact/auto {ks.pvalue!r}, asymp {asymp!r}; cascade {r['ks_p']!r}")

    # Negative weights (NLO-style): about 10% of events with w < 0.
    wneg = weights * np.where(rng.random(ns + nb) < 0.1, -0.5, 1.0)
    r = evaluate(scores, labels, wneg)
    fpr, tpr, _ = roc_curve(labels, scores, sample_weight=wneg, drop_intermediate=False)
    ref = float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))
    check(f"case {case}: AUC with negative weights vs sklearn curve trapezoid", r["auc"], ref, 1e-9)

    # Signal efficiency at 10% background efficiency, interpolated on sklearn's curve (positive weights).
    fpr, tpr, _ = roc_curve(labels, scores, sample_weight=weights, drop_intermediate=False)
    # Vertical steps at exactly 0.10 take the top; otherwise interpolate linearly.
    at = tpr[fpr == 0.10]
    ref = float(at.max()) if at.size else float(np.interp(0.10, fpr, tpr))
    check(f"case {case}: sig eff at bkg eff 0.10", r0["sig_eff_at_bkg_0.10"], ref, 1e-9)

# KS where the p-value is not negligible: two samples of nearby distributions, some ties.
for case, (n1, n2, shift) in enumerate([(400, 700, 0.0), (1000, 800, 0.05), (3000, 2500, 0.02)]):
    a = np.round(rng.normal(0.0, 1.0, n1), 3)
    b = np.round(rng.normal(shift, 1.0, n2), 3)
    r = evaluate(np.concatenate([a, b]), np.concatenate([np.ones(n1), np.zeros(n2)]), np.ones(n1 + n2))
    ks = stats.ks_2samp(a, b)
    check(f"KS case {case}: statistic vs ks_2samp", r["ks_statistic"], ks.statistic, 1e-12)
    ref = stats.kstwobign.sf(ks.statistic * np.sqrt(n1 * n2 / (n1 + n2)))
    check(f"KS case {case}: p vs kstwobign.sf (relative)", r["ks_p"] / ref, 1.0, 1e-9)
    print(f"     ks_2samp p-value (finite-n distribution): {float(ks.pvalue)!r}; cascade (asymptotic) {r['ks_p']!r}")
    if not abs(r["ks_p"] - ks.pvalue) < 0.05:
        failures.append(f"KS case {case}: asymptotic p far from ks_2samp")

if failures:
    print(f"{len(failures)} check(s) failed: {failures}")
    sys.exit(1)
print("evaluation interop: all checks passed")
