"""check-cert-schema.py CERT-SCHEMA AUDIT-SCHEMA REPORT...: each report of
"spnaudit cert --format json" is valid against the certificate schema,
whose findings are the audit schema's (resolved by its $id, no network).
Exit 1 naming the first error."""
import json
import sys

import jsonschema


def main():
    cert_schema = json.load(open(sys.argv[1], encoding="utf-8"))
    audit_schema = json.load(open(sys.argv[2], encoding="utf-8"))
    resolver = jsonschema.RefResolver.from_schema(cert_schema, store={audit_schema["$id"]: audit_schema})
    validator = jsonschema.Draft202012Validator(cert_schema, resolver=resolver)
    for path in sys.argv[3:]:
        report = json.load(open(path, encoding="utf-8"))
        errors = sorted(validator.iter_errors(report), key=lambda e: list(e.path))
        if errors:
            print("FAIL: %s: %s at %s" % (path, errors[0].message, list(errors[0].path)))
            return 1
        print("ok: %s matches the schema" % path)
    return 0


sys.exit(main())
