#!/usr/bin/env python3
"""gen.py SHAPE N: writes a schema of one growth shape of size N to stdout.

The shapes are the inputs that once made smc quadratic or worse; each
grows by one kind of thing and keeps the rest fixed.  `smc check` accepts
every one but `nested` and `errors`, which are made of errors; the last
five are for generation (`smc -o`), whose emitters they once made
quadratic or worse.
"""
import sys


def queries(n):
    yield "table T { id: int @pk @auto; name: text; age: int?; }"
    for i in range(n):
        yield f"query q{i}(a: int) -> [T] {{ select T where age > :a order by name }}"


def enums(n):
    for i in range(n):
        yield f"enum E{i} {{ a, b, c }}"


def strings(n):
    parts = " ".join('"abcdefgh"' for _ in range(n))
    yield f"table T {{ id: int @pk; s: text = {parts}; }}"


def chain(n):
    # M0 { f0 }, M1 : M0 { f1 }, ...: model Mk has k + 1 fields, so the
    # checked schema (and the generated header) holds n^2 / 2 of them.
    yield "model M0 { f0: int; }"
    for i in range(1, n):
        yield f"model M{i} : M{i - 1} {{ f{i}: int; }}"


def models(n):
    for i in range(n):
        yield f"model M{i} {{ a: int; b: text?; }}"


def tables(n):
    # An FK chain: each table references the one before it.
    yield "table T0 { id: int @pk @auto; }"
    for i in range(1, n):
        yield f"table T{i} {{ id: int @pk @auto; up: int? @fk(T{i - 1}.id); }}"


def fields(n):
    body = " ".join(f"f{i}: int @index;" for i in range(n))
    yield f"table T {{ id: int @pk; {body} }}"


def members(n):
    yield "enum E { " + ", ".join(f"m{i}" for i in range(n)) + " }"
    yield "table T { id: int @pk; e: E = m%d; }" % (n - 1)


def chunks(n, size=100):
    # A query binds at most 127 parameters (E0424): long parameter lists
    # come as one query per 100.
    for lo in range(0, n, size):
        yield lo, range(lo, min(n, lo + size))


def inserts(n, typ):
    # A table of n columns filled by one insert per 100 of them.
    cols = " ".join(f"c{i}: {typ};" for i in range(n))
    yield f"table T {{ id: int @pk @auto; {cols} }}"
    for lo, r in chunks(n):
        names = ", ".join(f"c{i}" for i in r)
        ps = ", ".join(f"p{i}: {typ.split(' ')[0]}" for i in r)
        vals = ", ".join(f":p{i}" for i in r)
        yield f"query q{lo}({ps}) -> exec {{ insert T ({names}) values ({vals}) }}"


def params(n):
    # n columns (with defaults, as each insert names only some) from n
    # parameters.
    yield from inserts(n, "int = 0")


def items(n):
    cols = ", ".join(f"id + {i} as c{i}" for i in range(n))
    yield "table T { id: int @pk; }"
    yield f"query q() -> [R] {{ select {cols} from T }}"


def nested(n):
    # n calls as the arguments of one call: coalesce takes 64 at most, so
    # this schema has one error (the parser still builds every list).
    args = ", ".join(f"coalesce(id, {i})" for i in range(n))
    yield "table T { id: int @pk; }"
    yield f"query q() -> int {{ select coalesce({args}) as n from T }}"


def errors(n):
    # n fields of unknown types in a large scope: did-you-mean stays bounded.
    for i in range(n):
        yield f"model M{i} {{ a: Nope{i}; }}"


# Shapes for generation (`smc -o`): each once made an emitter quadratic
# or worse.


def nesting(n):
    # Models nesting the next by value, declared users first: each struct
    # must follow the one it holds, so the header reverses the order.
    for i in range(n - 1, 0, -1):
        yield f"model M{i} {{ x: M{i - 1}; }}"
    yield "model M0 { a: int; }"


def enum_models(n):
    for i in range(n):
        yield f"enum E{i} {{ a, b }}"
        yield f"model M{i} {{ e: E{i}; }}"


def null_params(n):
    # n nullable columns from n nullable parameters.
    yield from inserts(n, "int?")


def partial(n):
    # A partial of a table of n unique columns: `T_patch` writes each.
    cols = " ".join(f"c{i}: int @unique;" for i in range(n))
    yield f"table T {{ id: int @pk; {cols} }}"
    yield "model TPatch = partial T;"


def likes(n):
    # n text parameters, each the pattern of a like.
    yield "table T { id: int @pk; name: text; }"
    for lo, r in chunks(n):
        ps = ", ".join(f"p{i}: text" for i in r)
        items = ", ".join(f"name like :p{i} as l{i}" for i in r)
        yield f"query q{lo}({ps}) -> [R{lo}] {{ select {items} from T }}"


# The realistic schema of the scale measurement (scale.sh): n tables
# of several columns, each with an FK to the table before it, an index and
# two named queries (a filtered, ordered, limited select and an update by
# key).


def app(n):
    yield "table T0 { id: int @pk @auto; name: text @max_len(255); }"
    for i in range(1, n):
        yield (f"table T{i} {{ id: int @pk @auto; name: text @index @max_len(255); "
               f"note: text?; age: i32?; score: float = 0; created: datetime?; "
               f"up: int? @fk(T{i - 1}.id); }}")
    for i in range(1, n):
        yield (f"query older{i}(min_age: i32, n: int) -> [T{i}] "
               f"{{ select T{i} where age > :min_age order by name limit :n }}")
        yield (f"query set_age{i}(id: int, age: i32) -> exec "
               f"{{ update T{i} set age = :age where id == :id }}")


SHAPES = {f.__name__: f for f in
          (queries, enums, strings, chain, models, tables, fields, members, params, items,
           nested, errors, nesting, enum_models, null_params, partial, likes, app)}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in SHAPES:
        sys.exit("usage: gen.py SHAPE N   (SHAPE: %s)" % " ".join(SHAPES))
    out = sys.stdout
    out.write(f"module {sys.argv[1]};\n")
    for line in SHAPES[sys.argv[1]](int(sys.argv[2])):
        out.write(line + "\n")
