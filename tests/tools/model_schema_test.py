#!/usr/bin/python3
"""docs/model.schema.json is part of the model-format contract: every model cqtcnn ships or
tests with (models/*.json, tests/data/nn/*.json, the fuzzers' model seeds) validates against it,
and each of the mistakes below is refused by both the schema and `cqtcnn inspect`, so that the
two stay in step.

  model_schema_test.py <path-to-cqtcnn> <source-dir>

Exits 77 (ctest: skipped) when Debian's python3-jsonschema is not installed (tools/install-deps.sh)."""
import copy
import glob
import json
import os
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed: skipped")
    sys.exit(77)

cqtcnn, src = sys.argv[1], sys.argv[2]
schema = json.load(open(os.path.join(src, "docs", "model.schema.json")))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def schema_errors(model):
    return [f"{'/'.join(map(str, e.path))}: {e.message[:100]}" for e in validator.iter_errors(model)]


def cqtcnn_inspect(model):
    """cqtcnn inspect's exit code and stderr for `model`."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "m.json")
        json.dump(model, open(path, "w"))
        run = subprocess.run([cqtcnn, "inspect", path], capture_output=True, text=True)
        return run.returncode, run.stderr.strip()


files = sorted(glob.glob(os.path.join(src, "models", "*.json")) + glob.glob(os.path.join(src, "tests", "data", "nn", "*.json"))
               + glob.glob(os.path.join(src, "tests", "fuzz", "corpus", "model", "*.json")))
models = [f for f in files if json.load(open(f)).get("format") == "cqtcnn-model"]  # not the front-end files
check(len(models) >= 20, f"{len(models)} model files found")
for path in models:
    errors = schema_errors(json.load(open(path)))
    check(not errors, f"{os.path.relpath(path, src)} validates" + (f": {errors[:3]}" if errors else ""))

# Mistakes that the schema and cqtcnn must both refuse, made in a shipped model.
base = json.load(open(os.path.join(src, "tests", "data", "nn", "basic.json")))
check(cqtcnn_inspect(base)[0] == 0, "cqtcnn inspect accepts basic.json as it is")
mistakes = {
    "an unknown top-level field": lambda m: m.update(weights={}),
    "no labels": lambda m: m.pop("labels"),
    "an empty label list": lambda m: m.update(labels=[]),
    "input_shape of two numbers": lambda m: m.update(input_shape=m["input_shape"][:2]),
    "input_shape 0": lambda m: m["input_shape"].__setitem__(0, 0),
    "format misspelt": lambda m: m.update(format="cqtcnn_model"),
    "version 2": lambda m: m.update(version=2),
    "an unknown layer type": lambda m: m["layers"][1].update(type="swish"),
    "a layer without a type": lambda m: m["layers"][1].pop("type"),
    "an unknown layer option": lambda m: m["layers"][0].update(strides=2),
    "no layers": lambda m: m.update(layers=[]),
}
for what, edit in mistakes.items():
    model = copy.deepcopy(base)
    edit(model)
    code, message = cqtcnn_inspect(model)
    check(bool(schema_errors(model)) and code == 2,
          f"{what}: schema {'refuses' if schema_errors(model) else 'ACCEPTS'}, cqtcnn exit {code} ({message[:90]})")

# The same for the front end, in a model that has one (the schema's `frontend` is generated from
# include/cqtcnn/params.hpp by cmake/model_docs.cpp).
shipped = json.load(open(os.path.join(src, "models", "digits.json")))
check(cqtcnn_inspect(shipped)[0] == 0, "cqtcnn inspect accepts models/digits.json as it is")
frontend_mistakes = {
    "a front end without sample_rate": lambda f: f.pop("sample_rate"),
    "cqt.hop_length 0": lambda f: f["cqt"].update(hop_length=0),
    "cqt.sparsity 1 (its range is open there)": lambda f: f["cqt"].update(sparsity=1),
    "an unknown window": lambda f: f["cqt"].update(window="kaiser"),
    "an unknown front-end member": lambda f: f.update(hop=1),
    "a pcen object with values db": lambda f: f.update(values="db", pcen={}),
    "normalize.std 0": lambda f: f.update(normalize={"std": 0}),
}
for what, edit in frontend_mistakes.items():
    model = copy.deepcopy(shipped)
    edit(model["frontend"])
    code, message = cqtcnn_inspect(model)
    check(bool(schema_errors(model)) and code == 2,
          f"{what}: schema {'refuses' if schema_errors(model) else 'ACCEPTS'}, cqtcnn exit {code} ({message[:90]})")

if failures:
    print(f"{len(failures)} failed")
    sys.exit(1)
print("all passed")
