#!/usr/bin/env python3
"""Writes docs/performance.md from one `make bench` results directory
(bench/bench.sh): the hero workload per database with smdl against
hand-written C and SQLModel, the JSON codec, PostgreSQL pipelines,
start-up, binary sizes and smc at scale.  Stdlib only.

    perfdoc.py bench/results/<stamp>-all > docs/performance.md
"""
import glob
import os
import re
import statistics
import sys

DBS = [("sqlite", "SQLite"), ("pg", "PostgreSQL"), ("mariadb", "MariaDB")]
IMPLS = ["smdl", "c", "sqlmodel"]
PHASES = [
    ("W1", "insert, commit every 1,000"),
    ("W1b", "insert, 1,000 rows per statement"),
    ("W2", "get by key"),
    ("W3", "filtered, ordered, limited select (100 rows)"),
    ("W4", "update by key, commit every 100"),
    ("W5L", "load every row"),
    ("W5s", "JSON encode (cold, one pass)"),
    ("W5p", "JSON decode + validate (cold, one pass)"),
]
GOAL = 0.95  # smdl / hand-written C
# Where SQLite itself is the bound, smdl/SQLModel is reported as is.
PY_GOAL = 20.0


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def parse_run(text):
    """ops/s and CPU per phase, and the seconds of each block of a phase
    run in lockstep ({phase: [secs of block 0, 1, ...]})."""
    ops, cpu, blocks = {}, {}, {}
    for line in text.splitlines():
        m = re.match(r"(W\w+) \S+ ops/s=(\d+)", line)
        if m:
            ops[m.group(1)] = float(m.group(2))
        m = re.match(r"# (W\w+) cpu_us_per_op=([\d.]+)", line)
        if m:
            cpu[m.group(1)] = float(m.group(2))
        m = re.match(r"# (W\w+) block=(\d+) secs=([\d.]+)", line)
        if m:
            blocks.setdefault(m.group(1), []).append(float(m.group(3)))
    return ops, cpu, blocks


def collect(out, impl, db):
    """{k: (ops, cpu, rss_kib)} of the runs that finished."""
    runs = {}
    for path in glob.glob(os.path.join(out, f"{impl}-{db}.run*")):
        k = int(path.rsplit("run", 1)[1])
        if os.path.exists(os.path.join(out, f"{impl}-{db}.fail{k}")):
            continue
        ops, cpu, blocks = parse_run(read(path))
        t = read(os.path.join(out, f"{impl}-{db}.time{k}")).split()
        rss = int(t[-3]) if len(t) >= 3 and t[-3].isdigit() else None
        runs[k] = (ops, cpu, rss, blocks)
    return runs


def failures(out):
    return sorted(os.path.basename(p) for p in glob.glob(os.path.join(out, "*.fail*")))


def med(values):
    return statistics.median(values) if values else None


def num(v, digits=0):
    if v is None:
        return "-"
    return f"{v:,.{digits}f}"


def spread(values):
    if not values:
        return "-"
    return f"{num(med(values))} ({num(min(values))}-{num(max(values))})"


def ratio(a, b):
    return a / b if a and b else None


def places(v, goal=None):
    """Two places, three where two would round a shortfall up to the goal."""
    if goal is not None and v < goal and f"{v:.2f}" == f"{goal:.2f}":
        return f"{v:.3f}"
    return f"{v:.2f}"


def rstr(v, goal=None):
    if v is None:
        return "-"
    return places(v, goal) + (" (short)" if goal is not None and v < goal else "")


def phase_values(runs, phase, which):
    idx = 0 if which == "ops" else 1
    return [r[idx][phase] for r in runs.values() if phase in r[idx]]


def paired(smdl, c, phase):
    """smdl/C of the turns the two took in lockstep, the verdict: the
    median over every pair of blocks (block i of either program in the
    same run, the same operations, adjacent in time) of C's seconds over
    smdl's.  A stall of the machine or the server lands on one block of
    one program; in a total it moves the whole run's ratio, here it is
    one pair of many.  A phase of one block, or runs that were not in
    lockstep, give one pair per run (their ops/s)."""
    rs = []
    for k in smdl:
        if k not in c:
            continue
        sb, cb = smdl[k][3].get(phase, []), c[k][3].get(phase, [])
        if len(sb) > 1 and len(sb) == len(cb):
            rs += [ct / st for st, ct in zip(sb, cb) if st > 0]
        elif phase in smdl[k][0] and c[k][0].get(phase):
            rs.append(smdl[k][0][phase] / c[k][0][phase])
    return med(rs)


def workload(out):
    lines = []
    for db, title in DBS:
        runs = {impl: collect(out, impl, db) for impl in IMPLS}
        if not any(runs.values()):
            continue
        n = {impl: len(runs[impl]) for impl in IMPLS}
        lines += [f"### {title}", "",
                  f"Runs: smdl {n['smdl']}, C {n['c']}, SQLModel {n['sqlmodel']}; "
                  "smdl and C in lockstep (turns of a block of a phase each). "
                  "ops/s: median (min-max); smdl/C: the median of the paired turns "
                  "(the verdict: block i of either program in the same run, adjacent in "
                  "time), then the ratio of the medians of ops/s; CPU: client CPU time per operation, "
                  "user + system, median. Where hand-written C is itself below 20x "
                  "SQLModel, SQLite is the bound and C's own ratio follows in "
                  "parentheses. W5s and W5p are one cold pass over a buffer that grows "
                  "from empty; the JSON codec's own comparison, warm, is its own section "
                  "below.", "",
                  "| phase | smdl ops/s | C ops/s | SQLModel ops/s | smdl/C | smdl/SQLModel "
                  "| CPU us/op smdl / C / SQLModel |",
                  "|---|---:|---:|---:|---|---:|---|"]
        for phase, what in PHASES:
            ops = {i: phase_values(runs[i], phase, "ops") for i in IMPLS}
            cpu = {i: med(phase_values(runs[i], phase, "cpu")) for i in IMPLS}
            if not any(ops.values()):
                continue
            s, c, p = (med(ops[i]) for i in IMPLS)
            sc = ratio(s, c)
            pr = paired(runs["smdl"], runs["c"], phase)
            sc_text = (rstr(pr, GOAL) + "; " + rstr(sc)) if pr is not None else rstr(sc, GOAL)
            cpus = " / ".join(num(cpu[i], 2) for i in IMPLS)
            py_text = rstr(ratio(s, p))
            if p and c and c / p < PY_GOAL and py_text != "-":
                py_text += f" (C: {c / p:.1f})"
            lines.append(f"| {phase} {what} | {spread(ops['smdl'])} | {spread(ops['c'])} | "
                         f"{spread(ops['sqlmodel'])} | {sc_text} | {py_text} | "
                         f"{cpus} |")
        rss = {i: med([r[2] for r in runs[i].values() if r[2]]) for i in IMPLS}
        lines += ["", "Peak RSS of a whole run (MiB): " + ", ".join(
            f"{name} {num(rss[i] / 1024 if rss[i] else None, 1)}"
            for i, name in zip(IMPLS, ["smdl", "C", "SQLModel"])), ""]
    return lines


def code_block(text):
    return ["```", text.rstrip(), "```", ""]


def json_section(out):
    text = read(os.path.join(out, "json.txt"))
    if not text:
        return []
    head = next((l for l in text.splitlines() if l.startswith("JSON codec")), "")
    rows = []
    for line in text.splitlines():
        m = re.match(r"JSON (\w+) smdl (\d+) ops/s, C (\d+) ops/s, smdl/C ([\d.]+)(.*)", line)
        if m:
            rows.append(f"| {m.group(1)} | {int(m.group(2)):,} | {int(m.group(3)):,} | "
                        f"{rstr(float(m.group(4)), 1.0)}{m.group(5)} |")
    lines = ["## JSON codec", "",
             "`bench/json_perf` (no database): the generated codec of `bench/smc/hero.smdl` "
             "against the hand-written one of `bench/c/hero_json.c` on the same heroes, "
             "alternating rounds in one process, medians (" + (head or "see json.txt") + "). "
             "Goal: at least 1.0 on each.", ""]
    if not rows:
        return lines + code_block(text)
    lines += ["| direction | smdl ops/s | C ops/s | smdl/C |", "|---|---:|---:|---|"] + rows
    growth = text.split("decode time by document size", 1)
    if len(growth) == 2:
        lines += ["", "Decoding hostile documents (time grows linearly with size):", ""]
        lines += code_block("decode time by document size" + growth[1])
    return lines + [""]


def pipeline_section(out):
    """P1 (gets of 1,000 keys) and P2 (batched inserts) of every run:
    rates, client CPU per row and the ratio to the per-row loop of the
    same run."""
    ops, cpu, ratios = {}, {}, {}
    for path in sorted(glob.glob(os.path.join(out, "pipeline.run*"))):
        last, loop = {}, {}
        for line in read(path).splitlines():
            m = re.match(r"(P\d) (\S+) ops/s=(\d+)", line)
            if m:
                key = (m.group(1), m.group(2))
                v = float(m.group(3))
                ops.setdefault(key, []).append(v)
                last[m.group(1)] = key
                if key[1].endswith("_loop"):
                    loop[key[0]] = v
                elif key[0] in loop:
                    ratios.setdefault(key, []).append(v / loop[key[0]])
            m = re.match(r"# (P\d) cpu_us_per_op=([\d.]+)", line)
            if m and m.group(1) in last:
                cpu.setdefault(last[m.group(1)], []).append(float(m.group(2)))
    if not ops:
        return []
    what = {"P1": "get 1,000 keys", "P2": "insert in batches"}
    lines = ["## PostgreSQL batches", "",
             "`bench/pg_pipeline`: P1 gets 1,000 heroes by key, P2 inserts rows in "
             "transactions of 2,500; `*_loop` is the hand-written loop of one "
             "`PQexecPrepared` per row (the hero workload's W2 and W1), `*_raw` are "
             "hand-written batch shapes over libpq, `get_many` and `insert_many` the "
             "generated functions (one statement; one pipeline). Median (min-max) of the "
             "runs; the ratio is to the loop of the same run.", "",
             "| phase | way | rows/s | / loop | client CPU us/row |",
             "|---|---|---:|---:|---:|"]
    for (p, way), v in ops.items():
        r = med(ratios.get((p, way), []))
        lines.append(f"| {p} {what.get(p, '')} | {way} | {spread(v)} | "
                     f"{rstr(r) if r is not None else '1'} | {num(med(cpu.get((p, way), [])), 2)} |")
    return lines + [""]


def startup_section(out):
    rows = []
    for line in read(os.path.join(out, "startup.txt")).splitlines():
        parts = line.split("\t")
        if len(parts) != 3 or parts[0] != "STARTUP":
            continue
        f = dict(kv.split("=") for kv in parts[2].split())
        rows.append((parts[1], float(f["median_ms"]), float(f["min_ms"]),
                     int(f["maxrss_kb"])))
    if not rows:
        return []
    base = {}
    for name, medv, _, _ in rows:
        db = name.split(":")[0]
        if ": C (" in name:
            base[db] = medv
    lines = ["## Start-up", "",
             "Connect (SQLite: open `:memory:`), run `SELECT 1`, exit; 40 runs after 3 "
             "warm-ups, wall time of the whole process. PostgreSQL twice: `pg` over TCP "
             "with the password (scram-sha-256: its key derivation inside libpq is most "
             "of the time), `pg socket` over the Unix socket, which the server trusts "
             "(the programs' own start-up).", "",
             "| program | median ms | min ms | / C | peak RSS MiB |", "|---|---:|---:|---:|---:|"]
    for name, medv, minv, rss in rows:
        db = name.split(":")[0]
        r = medv / base[db] if db in base else None
        lines.append(f"| {name} | {medv:.2f} | {minv:.2f} | {rstr(r)} | {rss / 1024:.1f} |")
    libs = read(os.path.join(out, "libs.txt"))
    if libs:
        lines += ["", "Shared objects initialised by the SQLite start-up programs "
                  "(`LD_DEBUG=libs`, in order):", ""]
        for line in libs.splitlines():
            prog, _, loaded = line.partition("\t")
            lines.append(f"- `{prog}`: {loaded}")
    return lines + [""]


def sizes_section(out):
    rows = [l.split("\t") for l in read(os.path.join(out, "sizes.txt")).splitlines() if l]
    if not rows:
        return []
    lines = ["## Binary size", "", "| file | bytes | stripped |", "|---|---:|---:|"]
    for name, size, stripped in rows:
        lines.append(f"| {name} | {int(size):,} | {int(stripped):,} |")
    return lines + [""]


def scale_section(out):
    text = read(os.path.join(out, "scale.txt"))
    if not text:
        return []
    return ["## smc at scale", "",
            "`bench/smc_growth/scale.sh`: schemas of N tables, each with several columns, "
            "a foreign key, an index and two queries; `smc check` and full generation "
            "(`smc FILE -o DIR`).", ""] + text.rstrip().splitlines() + [""]


def shortfalls(out):
    """Every phase below its goal, for the summary at the top."""
    short = []
    for db, title in DBS:
        s_runs, c_runs, p_runs = (collect(out, i, db) for i in IMPLS)
        for phase, _ in PHASES:
            s = med(phase_values(s_runs, phase, "ops"))
            c = med(phase_values(c_runs, phase, "ops"))
            r = paired(s_runs, c_runs, phase)
            r = ratio(s, c) if r is None else r
            if r is not None and r < GOAL:
                short.append(f"{title} {phase} smdl/C {places(r, GOAL)}")
            if db == "sqlite":
                p = med(phase_values(p_runs, phase, "ops"))
                rp = ratio(s, p)
                # SQLite is the bound where hand-written C itself is not
                # PY_GOAL times SQLModel: reported as is, not as short.
                bound = (ratio(c, p) or 0) < PY_GOAL
                if rp is not None and rp < PY_GOAL and not bound:
                    short.append(f"{title} {phase} smdl/SQLModel {rp:.1f}")
    return short


def main():
    out = sys.argv[1]
    env = read(os.path.join(out, "env.txt")).rstrip()
    doc = ["# Performance", "",
           "Written by `make bench` (`bench/bench.sh`, report `bench/tools/perfdoc.py`) "
           f"from `{out}`. The workload and the hand-written programs are described in "
           "[bench/README.md](../bench/README.md); what was profiled and changed is "
           "recorded there too.", "",
           "Goals: smdl at least 0.95 of hand-written prepared-statement C on every "
           "phase and database, and at least 20x Python SQLModel on SQLite where SQLite "
           "itself is not the bound (W1, bounded by its commits, is reported as is).", ""]
    short = shortfalls(out)
    doc += ["Below a goal in this run: " + ("; ".join(short) if short else "none") + ".", ""]
    fails = failures(out)
    if fails:
        doc += ["Runs that failed (not counted): " + ", ".join(fails) + ".", ""]
    doc += ["## Machine and command", ""] + code_block(env)
    sizes = next((re.search(r"inserts=\d+ gets=\d+ queries=\d+ updates=\d+", read(p))
                  for p in sorted(glob.glob(os.path.join(out, "c-*.run*")))), None)
    doc += ["## The hero workload", "",
            "Sizes: " + (sizes.group(0) if sizes else "unknown") + " (W5L, W5s and W5p "
            "over every row; W1b inserts as many rows as W1). One operation is one row "
            "for W1, W1b, W5L, W5s and W5p, one statement for W2, W3 and W4.", ""]
    doc += workload(out)
    doc += json_section(out) + pipeline_section(out) + startup_section(out)
    doc += sizes_section(out) + scale_section(out)
    print("\n".join(doc).rstrip())


main()
