#!/usr/bin/env python3
"""Summarises bench/pool.sh runs, per backend: the uncontended cost of
sm_pool_acquire + sm_pool_release (medians over runs with min-max), and
the mixed workload's operations per second on each thread count through
a pool of 8, a pool of one connection per thread and one connection per
thread without a pool, with pool / direct as the ratio of medians and
the median of per-run ratios (the ways alternate within a run, so a
run's measurements share the machine's load of the moment)."""
import glob
import os
import re
import statistics
import sys

NAMES = {"sqlite": "SQLite", "pg": "PostgreSQL", "mariadb": "MariaDB"}
VARIANTS = [
    ("none", "nothing (loop timed as a whole)"),
    ("none-timed", "nothing (each call timed)"),
    ("none-idle64", "nothing, 64 connections idle in the pool"),
    ("get", "a generated get by id"),
    ("tx", "a get in a transaction left open"),
    ("raw", "raw SQL (`SELECT 1`)"),
]


def fields(line):
    return {k: v for k, v in re.findall(r"(\w+)=(\S+)", line)}


def collect(out, backend):
    """{variant: {field: [values]}}, {(mode, max, threads): {run: fields}}"""
    acq, mixed = {}, {}
    for path in glob.glob(os.path.join(out, f"{backend}.run*")):
        run = int(path.rsplit("run", 1)[1])
        for line in open(path):
            if line.startswith("acquire "):
                f = fields(line)
                d = acq.setdefault(f.pop("variant"), {})
                for k, v in f.items():
                    d.setdefault(k, []).append(float(v))
            elif line.startswith("mixed "):
                f = fields(line)
                key = (f["mode"], int(f["max_conns"]), int(f["threads"]))
                mixed.setdefault(key, {})[run] = {k: float(v) for k, v in f.items()
                                                  if k not in ("mode",)}
    return acq, mixed


def spread(values, digits=0):
    med = statistics.median(values)
    return f"{med:,.{digits}f} ({min(values):,.{digits}f}-{max(values):,.{digits}f})"


def acquire_table(backend, acq):
    print(f"\n#### {NAMES.get(backend, backend)}: uncontended acquire + release, ns\n")
    print("| between acquire and release | acquire + release | acquire | release | the call between | runs |")
    print("|---|---:|---:|---:|---:|---:|")
    for v, label in VARIANTS:
        d = acq.get(v)
        if not d:
            continue
        if v in ("none", "none-idle64"):
            print(f"| {label} | {spread(d['pair_ns'])} | | | | {len(d['pair_ns'])} |")
            continue
        print(f"| {label} | {spread(d['pair_ns'])} | {spread(d['acquire_ns'])} | "
              f"{spread(d['release_ns'])} | {spread(d['between_ns'])} | {len(d['pair_ns'])} |")
    if "open" in acq:
        us = [x / 1000 for x in acq["open"]["open_close_ns"]]
        print(f"\nWithout a pool, `sm_open` + `sm_close`: {spread(us, 1)} us.")


def ratio_cell(pool, direct):
    runs = sorted(set(pool) & set(direct))
    if not runs:
        return "-"
    per_run = [pool[r]["ops_per_s"] / direct[r]["ops_per_s"] for r in runs]
    of_medians = (statistics.median(p["ops_per_s"] for p in pool.values()) /
                  statistics.median(d["ops_per_s"] for d in direct.values()))
    return f"{of_medians:.2f}; {statistics.median(per_run):.2f}, {min(per_run):.2f}-{max(per_run):.2f}"


def mixed_table(backend, mixed, pool_max):
    print(f"\n#### {NAMES.get(backend, backend)}: mixed workload, operations per second\n")
    print(f"| threads | direct | pool {pool_max} | pool {pool_max} / direct (of medians; per-run median, min-max) "
          "| pool = threads | pool = threads / direct | client CPU us/op direct / pool "
          f"{pool_max} | wait in line us/acquire, pool {pool_max} |")
    print("|---:|---:|---:|---|---:|---|---|---:|")
    for t in sorted({k[2] for k in mixed}):
        direct = mixed.get(("direct", t, t), {})
        pool = mixed.get(("pool", pool_max, t), {})
        own = mixed.get(("pool", t, t), {}) if t != pool_max else pool

        def ops(d):
            return spread([x["ops_per_s"] for x in d.values()]) if d else "-"

        def med(d, f, digits=1):
            return f"{statistics.median(x[f] for x in d.values()):.{digits}f}" if d else "-"

        print(f"| {t} | {ops(direct)} | {ops(pool)} | {ratio_cell(pool, direct) if pool and direct else '-'} "
              f"| {ops(own) if t != pool_max else 'same'} "
              f"| {ratio_cell(own, direct) if own and direct else '-'} "
              f"| {med(direct, 'cpu_us_per_op')} / {med(pool, 'cpu_us_per_op')} "
              f"| {med(pool, 'wait_us_per_acquire', 2)} |")


def main():
    out = sys.argv[1]
    backends = sys.argv[2:] or ["sqlite", "pg", "mariadb"]
    env = dict(line.rstrip("\n").split("=", 1) for line in open(os.path.join(out, "env.txt"))
               if "=" in line)
    pool_max = int(env.get("pool_max", 8))
    print(f"# Connection pool: {os.path.basename(out.rstrip('/'))}\n")
    print(f"{env.get('runs', '?')} runs, {env.get('seconds', '?')} s per mixed measurement, "
          f"{env.get('nproc', '?')} CPUs ({env.get('cpu', '?')}), load average "
          f"{env.get('load', '?')} at the start, {env.get('load_end', '?')} at the end; "
          f"commit {env.get('commit', '?')}.  Medians with min-max over runs.")
    for b in backends:
        acq, mixed = collect(out, b)
        if not acq and not mixed:
            continue
        print(f"\n### {NAMES.get(b, b)}")
        if acq:
            acquire_table(b, acq)
        if mixed:
            mixed_table(b, mixed, pool_max)


if __name__ == "__main__":
    main()
