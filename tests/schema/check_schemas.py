#!/usr/bin/env python3
"""Validates the manifest fixtures and the example against schemas/fluxacdc.schema.json
with a real JSON Schema 2020-12 validator, and the bad fixtures the schema can catch
are rejected.  Plan/apply JSON schemas are validated against real output by the
integration tests (tests/integration/*), which call this module's `validate` helper."""
import glob
import json
import os
import sys

import jsonschema
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Bad fixtures whose problem is structural (the schema sees it); the others are
# reference, interpolation, syntax or encoding problems only fluxacdc can find.
SCHEMA_CATCHES = {
    "unknown-key", "version-two", "bad-pool-name", "bad-connect-url", "orm-and-keys",
    "dsn-and-host", "wrong-type", "top-not-mapping", "unknown-top", "flavor",
    "version-missing", "snapshot-new-tables", "defaults-connector", "group-refs", "url-credentials",
}


class Loader(yaml.SafeLoader):
    """YAML 1.2-ish: only true/false are booleans, as in fluxacdc."""


Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
import re  # noqa: E402
Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                             list("tTfF"))


def load_schema(name):
    with open(os.path.join(ROOT, "schemas", name)) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def main():
    failures = 0
    passed = 0
    v = load_schema("fluxacdc.schema.json")
    for name in sorted(glob.glob(os.path.join(ROOT, "schemas", "*.json"))):
        with open(name) as f:
            jsonschema.Draft202012Validator.check_schema(json.load(f))
        passed += 1
    good = sorted(glob.glob(os.path.join(ROOT, "tests/fixtures/manifests/good/*.yaml")))
    good.append(os.path.join(ROOT, "fluxacdc.yaml.example"))
    for path in good:
        with open(path) as f:
            doc = yaml.load(f, Loader=Loader)
        errors = list(v.iter_errors(doc))
        if errors:
            failures += 1
            print(f"  FAIL {path}: {errors[0].message} at {list(errors[0].absolute_path)}")
        else:
            passed += 1
    for path in sorted(glob.glob(os.path.join(ROOT, "tests/fixtures/manifests/bad/*.yaml"))):
        name = os.path.basename(path)[:-5]
        if name not in SCHEMA_CATCHES:
            continue
        with open(path) as f:
            doc = yaml.load(f, Loader=Loader)
        if v.is_valid(doc):
            failures += 1
            print(f"  FAIL {path}: the schema accepts it")
        else:
            passed += 1
    # golden plan files are real plan JSON (from recorded Connect answers)
    pv = load_schema("plan.schema.json")
    for path in sorted(glob.glob(os.path.join(ROOT, "tests/fixtures/plans/*.json"))):
        with open(path) as f:
            errors = list(pv.iter_errors(json.load(f)))
        if errors:
            failures += 1
            print(f"  FAIL {path}: {errors[0].message} at {list(errors[0].absolute_path)}")
        else:
            passed += 1
    print(f"schema: {passed} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
