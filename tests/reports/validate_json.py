"""Validates JSON documents against a JSON Schema (2020-12), for the report tests.

usage: validate_json.py SCHEMA [--def NAME] FILE...
  --def NAME   validate against $defs/NAME of the schema instead of the whole schema
Prints one line per error (file, path, message) and exits 1 if there is any; 0 otherwise.
"""
import json
import sys

import jsonschema


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        schema = json.load(f)
    files = argv[2:]
    if files[0] == "--def":
        schema = dict(schema, **{"$ref": "#/$defs/" + files[1]})
        for key in ("required", "properties", "additionalProperties", "type"):
            schema.pop(key, None)
        files = files[2:]
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    errors = 0
    for path in files:
        with open(path) as f:
            doc = json.load(f)
        for e in validator.iter_errors(doc):
            errors += 1
            if errors <= 20:
                where = "/".join(str(p) for p in e.absolute_path)
                print(f"{path}: /{where}: {e.message[:300]}")
    print(f"{len(files)} document(s), {errors} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
