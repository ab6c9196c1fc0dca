#!/usr/bin/env python3
"""validate.py SCHEMA FILE...: validates JSON files (or JSON lines with --lines)
against a schema in schemas/, with a real JSON Schema 2020-12 validator.
Used by integration tests on real output."""
import json
import os
import sys

import jsonschema

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main(argv):
    lines = "--lines" in argv
    argv = [a for a in argv if a != "--lines"]
    with open(os.path.join(ROOT, "schemas", argv[0])) as f:
        v = jsonschema.Draft202012Validator(json.load(f))
    bad = 0
    for path in argv[1:]:
        with open(path) as f:
            docs = [json.loads(l) for l in f if l.strip()] if lines else [json.load(f)]
        for doc in docs:
            for e in v.iter_errors(doc):
                bad += 1
                print(f"{path}: {e.message} at {list(e.absolute_path)}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
