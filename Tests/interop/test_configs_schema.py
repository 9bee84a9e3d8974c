"""Every shipped config validates against configs/schema.json (JSON Schema 2020-12, checked by
python-jsonschema); the schema itself is valid and rejects unknown keys and bad values."""
import copy
import glob
import json
import os
import subprocess
import sys
import tempfile

from jsonschema import Draft202012Validator

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
schema = json.load(open(os.path.join(ROOT, "configs", "schema.json")))
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema)

failures = 0
configs = sorted(p for p in glob.glob(os.path.join(ROOT, "configs", "*.json")) if not p.endswith("schema.json"))
assert len(configs) >= 4, configs
for path in configs:
    doc = json.load(open(path))
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    for e in errors:
        print(f"FAIL {os.path.basename(path)}: {'/'.join(map(str, e.path))}: {e.message}")
    failures += len(errors)
    # Every sample file a shipped config names is shipped too (paths relative to the config).
    for s in doc["samples"]:
        files = s["files"] if isinstance(s["files"], list) else [s["files"]]
        for f in files:
            matches = glob.glob(os.path.join(os.path.dirname(path), f))
            if not matches:
                print(f"FAIL {os.path.basename(path)}: {f} does not exist")
                failures += 1
    print(f"checked {os.path.basename(path)}: {len(errors)} schema errors")

toy = json.load(open(os.path.join(ROOT, "configs", "toy.json")))


def rejected(mutate, what):
    doc = copy.deepcopy(toy)
    mutate(doc)
    ok = not validator.is_valid(doc)
    print(f"{'ok  ' if ok else 'FAIL'} schema rejects {what}")
    return 0 if ok else 1


failures += rejected(lambda d: d.update(stagse=[]), "an unknown top-level key")
failures += rejected(lambda d: d["samples"][0].update(wieght="weight"), "an unknown sample key")
failures += rejected(lambda d: d["bdt"].update(n_trees=10), "an unknown bdt key")
failures += rejected(lambda d: d["stages"][1].setdefault("bdt", {}).update(detph=3), "an unknown stage bdt key")
failures += rejected(lambda d: d["stages"][0].update(cut=0.5), "an unknown stage key")
failures += rejected(lambda d: d["training"].update(fold=2), "an unknown training key")
failures += rejected(lambda d: d["fit"].update(observables="m_lg"), "an unknown fit key")
failures += rejected(lambda d: d["samples"][0].update(role="bkg"), "an unknown role")
failures += rejected(lambda d: d["stages"][0].update(working_point={"signal_efficiency": 1.5}), "an efficiency above 1")
failures += rejected(lambda d: d["stages"][0].update(working_point={"signal_efficiency": 0.9, "threshold": 0.1}), "two working points")
failures += rejected(lambda d: d["stages"][0].update(working_point={"maximize": "purity"}), "maximising anything but significance")
failures += rejected(lambda d: d["bdt"].update(bins=256), "more than 255 bins")
failures += rejected(lambda d: d["stages"][0].update(working_point={"optimize": "expected_purity"}), "an unknown optimisation objective")
failures += rejected(lambda d: d["stages"][0].update(working_point={"optimize": "expected_poi_error", "start": {"optimize": "expected_poi_error"}}), "an optimised start")
failures += rejected(lambda d: d.update(optimisation={"budget": 0}), "an optimisation budget below 1")
failures += rejected(lambda d: d["training"].update(negative_weights="drop"), "an unknown negative-weight policy")
failures += rejected(lambda d: d["fit"].update(edges=[60, 200]), "edges together with bins")
failures += rejected(lambda d: d["fit"].pop("range"), "bins without range")
failures += rejected(lambda d: d["stages"][0].update(region="SR"), "a stage region named SR")
failures += rejected(lambda d: d.pop("stages"), "a config without stages")

# The schema and `cascade validate` agree: every shipped config passes both, and a config the
# schema rejects for an unknown key is rejected by cascade too, naming the key's JSON path.
cascade = os.environ.get("CASCADE")
if cascade:
    for path in configs:
        r = subprocess.run([cascade, "validate", path], capture_output=True, text=True)
        check_ok = r.returncode == 0
        print(f"{'ok  ' if check_ok else 'FAIL'} cascade validate {os.path.basename(path)}: {(r.stdout + r.stderr).strip()}")
        failures += 0 if check_ok else 1
    bad = copy.deepcopy(toy)
    bad["stages"][1].setdefault("bdt", {})["detph"] = 3
    with tempfile.NamedTemporaryFile("w", suffix=".json", dir=os.path.join(ROOT, "configs"), delete=False) as f:
        json.dump(bad, f)
    try:
        r = subprocess.run([cascade, "validate", f.name], capture_output=True, text=True)
    finally:
        os.unlink(f.name)
    ok = r.returncode != 0 and "stages[1].bdt" in r.stderr and "detph" in r.stderr and "depth" in r.stderr
    print(f"{'ok  ' if ok else 'FAIL'} cascade validate rejects stages[1].bdt.detph: {r.stderr.strip()}")
    failures += 0 if ok else 1

if failures:
    print(f"test_configs_schema: {failures} failures")
    sys.exit(1)
print(f"test_configs_schema: {len(configs)} configs valid, schema rejects 17 bad variants")
