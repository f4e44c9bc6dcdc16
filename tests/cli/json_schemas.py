#!/usr/bin/env python3
"""Validates gpokit's JSON documents against docs/schema/ with an independent validator.

Usage: json_schemas.py SCHEMA_DIR [--require NAME/MAJOR]... FILE...

Checks each schema in SCHEMA_DIR against the JSON Schema 2020-12 metaschema, then each
FILE: it must be a JSON object whose "schema" member ("gpokit-NAME/MAJOR") names a schema
of SCHEMA_DIR (gpokit-NAME-MAJOR.json), and must validate against it. --require names a
schema at least one FILE must have used. Prints one line per failure and a count per
schema; exit 1 on any failure, 77 when the python3-jsonschema validator is missing.
"""
import glob
import json
import os
import sys

try:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match
except ImportError:
    print("SKIPPED: python3-jsonschema (Draft202012Validator) is not installed")
    sys.exit(77)


def main():
    args = sys.argv[1:]
    schema_dir = args.pop(0)
    required = []
    files = []
    while args:
        a = args.pop(0)
        if a == "--require":
            required.append(args.pop(0))
        else:
            files.append(a)

    failures = 0
    schemas = {}
    for path in sorted(glob.glob(os.path.join(schema_dir, "*.json"))):
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
        try:
            Draft202012Validator.check_schema(schema)
        except Exception as e:  # SchemaError: names the keyword that is wrong
            print(f"FAIL {path}: not a valid 2020-12 schema: {e}")
            failures += 1
            continue
        name = os.path.basename(path)[: -len(".json")]
        if schema.get("$id", "").rsplit("/", 1)[-1] != name + ".json":
            print(f"FAIL {path}: $id {schema.get('$id')!r} does not end in {name}.json")
            failures += 1
        schemas[name] = schema
    print(f"ok   {len(schemas)} schemas are valid JSON Schema 2020-12")

    # References between the files ($ref to gpokit-defs-1.json ...) resolve from the
    # files themselves, never over the network.
    try:
        from referencing import Registry, Resource

        registry = Registry().with_resources(
            (s["$id"], Resource.from_contents(s)) for s in schemas.values())

        def validator(schema):
            return Draft202012Validator(schema, registry=registry)
    except ImportError:  # jsonschema before 4.18 (Debian 12 has 4.10)
        from jsonschema import RefResolver

        store = {s["$id"]: s for s in schemas.values()}

        def validator(schema):
            return Draft202012Validator(schema, resolver=RefResolver.from_schema(schema, store=store))

    validators = {}
    counts = {}
    for path in files:
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            print(f"FAIL {path}: not JSON: {e}")
            failures += 1
            continue
        tag = doc.get("schema") if isinstance(doc, dict) else None
        if not isinstance(tag, str) or "/" not in tag:
            print(f"FAIL {path}: no \"schema\" member naming its schema")
            failures += 1
            continue
        name = tag.replace("/", "-")
        if name not in schemas:
            print(f"FAIL {path}: \"schema\" is {tag!r}, which docs/schema does not describe")
            failures += 1
            continue
        if name not in validators:
            validators[name] = validator(schemas[name])
        errors = sorted(validators[name].iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors[:5]:
            if e.context:  # oneOf / anyOf: the alternative that came closest
                e = best_match(e.context)
            where = "/" + "/".join(str(p) for p in e.absolute_path)
            print(f"FAIL {path}: {where}: {e.message[:300]}")
        if errors:
            failures += 1
        counts[tag] = counts.get(tag, 0) + 1
    for tag in sorted(counts):
        print(f"ok   {counts[tag]:5} documents of {tag} checked")
    for tag in required:
        if tag not in counts:
            print(f"FAIL no document of {tag} was checked")
            failures += 1
    print(f"json schemas: {len(files)} documents, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
