#!/usr/bin/env python3
"""`smc jsonschema` against the code it describes (suite jsonschema).

    check.py SMC SCHEMA_DIR STDLIB DECODE

Every schema of SCHEMA_DIR gives a valid draft 2020-12 document whose
references resolve.  For alltypes.smdl, each case below is decoded by the
generated `_from_json` (DECODE) and judged by the JSON Schema: the two
verdicts must be the case's, and everything `_to_json` writes back must
satisfy the schema.  The cases avoid what JSON Schema cannot say (see
docs/jsonschema.md): @check_fn, byte lengths, duplicate keys, and the
bounds of a decimal given as a string.
"""
import json
import subprocess
import sys
from pathlib import Path

try:
    from jsonschema import Draft202012Validator, FormatChecker
except ImportError:
    sys.exit("check.py: needs python3-jsonschema (scripts/deps.sh check installs it)")

smc, schema_dir, stdlib, decode = sys.argv[1:5]
failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL:", msg)


def jsonschema_of(path):
    r = subprocess.run([smc, "jsonschema", str(path), "-I", stdlib], capture_output=True, text=True)
    if r.returncode != 0 or r.stderr:
        fail(f"smc jsonschema {path}: exit {r.returncode}: {r.stderr}")
        return None
    return json.loads(r.stdout)


def refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                yield v
            else:
                yield from refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from refs(v)


for path in sorted(Path(schema_dir).glob("*.smdl")):
    doc = jsonschema_of(path)
    if doc is None:
        continue
    try:
        Draft202012Validator.check_schema(doc)
    except Exception as e:  # the metaschema's verdict, whatever its class
        fail(f"{path.name}: not a valid 2020-12 schema: {e}")
    for r in refs(doc):
        if not r.startswith("#/$defs/") or r[len("#/$defs/"):] not in doc["$defs"]:
            fail(f"{path.name}: dangling reference {r}")
    print(f"ok: {path.name}: {len(doc['$defs'])} definitions")

doc = jsonschema_of(Path(schema_dir) / "alltypes.smdl")
if doc is None:
    sys.exit(1)


def validator(model):
    return Draft202012Validator(dict(doc, **{"$ref": "#/$defs/" + model}),
                                format_checker=FormatChecker())


ACC = {"email": "a@b.co", "handle_code": "AB12"}


def acc(**kw):
    return json.dumps(dict(ACC, **kw))


# (model, document, valid?)
cases = [
    ("Account", json.dumps(ACC), True),
    ("Account", acc(nickname=None, score=999, ratio=1, level=99, color="red",
                    balance="0.00", born="1999-12-31", wake="23:59:59.999999",
                    id="8c3b2f5e-1d4a-4c6b-9e2f-0a1b2c3d4e5f", settings=[1, {"a": None}],
                    plan_id=2147483647, avatar="AAEC", active=False), True),
    ("Account", json.dumps({"email": "a@b.co"}), False),              # required
    ("Account", acc(handle_code="A"), False),                         # too_short
    ("Account", acc(handle_code="ABCDEFGHI"), False),                 # too_long
    ("Account", acc(handle_code="ab12"), False),                      # pattern
    ("Account", acc(email="nobody"), False),                          # pattern (POSIX class)
    ("Account", acc(email="a b@c.d"), False),                         # [:space:]
    ("Account", acc(score=1000), False),                              # @lt
    ("Account", acc(score=-1), False),                                # @gt
    ("Account", acc(level=0), False),                                 # @ge on i16
    ("Account", acc(level=100), False),
    ("Account", acc(ratio=1.5), False),                               # @le on float
    ("Account", acc(balance=-1), False),                              # @ge on decimal
    ("Account", acc(balance="10.255"), False),                        # scale
    ("Account", acc(balance="1e3"), False),                           # no exponent
    ("Account", acc(color="purple"), False),                          # enum
    ("Account", acc(x=1), False),                                     # forbid_unknown
    ("Account", acc(nickname=""), False),                             # @min_len
    ("Account", acc(born="2000-13-01"), False),                       # date
    ("Account", acc(wake="24:00:00"), False),                         # time
    ("Account", acc(id="not-a-uuid"), False),                         # uuid
    ("Account", acc(plan_id=2147483648), False),                      # i32 range
    ("Account", acc(active="true"), False),                           # type
    ("Account", acc(score=1.5), False),                               # integer
    ("Account", acc(email=None), False),                              # not nullable
    ("Plan", json.dumps({"name": "p", "price": "12.50"}), True),
    ("Plan", json.dumps({"name": "p", "price": 12.5, "primary_color": None}), True),
    ("Plan", json.dumps({"name": "p"}), False),
    ("Customer", json.dumps({"name": "c", "home": {"street": "s", "city": "x"}, "others": []}), True),
    ("Customer", json.dumps({"name": "c", "home": {"street": "s", "city": "x", "zip": "12345"},
                             "work": None, "others": [{"street": "t", "city": "y"}],
                             "tags": {"any": [1]}}), True),
    ("Customer", json.dumps({"name": "c", "others": []}), False),     # nested required
    ("Customer", json.dumps({"name": "c", "home": {"street": "s", "city": "x"}}), None),  # a list
    ("Customer", json.dumps({"name": "c", "home": {"street": "s", "city": ""}, "others": []}), False),
    ("Customer", json.dumps({"name": "c", "home": {"street": "s", "city": "x", "zip": "1234"},
                             "others": []}), False),
    ("Customer", json.dumps({"name": "c", "home": {"street": "s", "city": "x"},
                             "others": [{"street": "t"}]}), False),
    ("AccountPatch", json.dumps({}), True),                           # a partial: nothing required
    ("AccountPatch", json.dumps({"score": 5, "nickname": None}), True),
    ("AccountPatch", json.dumps({"score": 1000}), False),
    ("Everything", json.dumps({}), None),                             # verdicts need only agree
]

lines = "".join(f"{m}\t{d}\n" for m, d, _ in cases)
r = subprocess.run([decode], input=lines, capture_output=True, text=True)
if r.returncode != 0:
    fail(f"decode exited {r.returncode}: {r.stderr}")
outs = r.stdout.splitlines()
if len(outs) != len(cases):
    fail(f"decode answered {len(outs)} lines for {len(cases)} cases")
    sys.exit(1)
for (model, document, want), out in zip(cases, outs):
    verdict, _, rest = out.partition("\t")
    c_ok = verdict == "ok"
    if verdict == "error":
        fail(f"{model} {document}: {rest}")
        continue
    errors = [e.message for e in validator(model).iter_errors(json.loads(document))]
    s_ok = not errors
    if c_ok != s_ok or (want is not None and c_ok != want):
        fail(f"{model} {document}: _from_json says {out!r}, the schema says "
             f"{'valid' if s_ok else errors[0]}, expected {'valid' if want else 'invalid'}")
        continue
    if c_ok:
        back = [e.message for e in validator(model).iter_errors(json.loads(rest))]
        if back:
            fail(f"{model}: _to_json wrote {rest}, which the schema refuses: {back[0]}")
            continue
    print(f"ok: {model} {document[:60]}: {'valid' if c_ok else rest}")

print(f"{len(cases)} cases, {failures} failures")
sys.exit(1 if failures else 0)
