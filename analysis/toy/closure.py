#!/usr/bin/env python3
"""Closure of the toy analysis: every fitted normalisation must lie within 2 sigma of the value
the generator put in (truth.json). Standard library only.

usage: closure.py CONFIG RESULT_JSON TRUTH_JSON
"""
import json
import sys


def main(config_path, result_path, truth_path):
    config = json.load(open(config_path))
    result = json.load(open(result_path))
    truth = json.load(open(truth_path))["processes"]
    params = {p["name"]: p for p in result["parameters"]}
    mapping = config.get("fit", {}).get("normfactors", {})
    # One parameter may float several samples (mu_top for ttbar and singletop): they must share a truth.
    by_param = {}
    for s in config["samples"]:
        if s["role"] == "data":
            continue
        name = mapping.get(s["name"], "mu_" + s["name"])
        by_param.setdefault(name, []).append(s["name"])
    failures = 0
    print(f"{'parameter':<12} {'samples':<22} {'fitted':>9} {'error':>8} {'truth':>7} {'pull':>6}")
    for name, samples in by_param.items():
        truths = {truth[s]["true_normalisation"] for s in samples}
        if len(truths) != 1:
            print(f"{name}: samples {samples} have different true normalisations {truths}")
            failures += 1
            continue
        t = truths.pop()
        p = params[name]
        pull = (p["value"] - t) / p["error"]
        ok = abs(pull) <= 2
        failures += not ok
        print(f"{name:<12} {'+'.join(samples):<22} {p['value']:9.4f} {p['error']:8.4f} {t:7.3f} {pull:+6.2f} {'ok' if ok else 'FAIL'}")
    # The injected jet-energy-scale shift of the pseudo-data (theta) must be recovered too.
    jes = json.load(open(truth_path)).get("systematics", {}).get("jes")
    if jes is not None and "jes" in params:
        p, t = params["jes"], jes["true_shift"]
        pull = (p["value"] - t) / p["error"]
        ok = abs(pull) <= 2
        failures += not ok
        print(f"{'jes':<12} {'(shift, theta)':<22} {p['value']:9.4f} {p['error']:8.4f} {t:7.3f} {pull:+6.2f} {'ok' if ok else 'FAIL'}")
    print("closure:", "passed" if failures == 0 else f"{failures} parameter(s) beyond 2 sigma")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
