#!/usr/bin/env python3
"""Summarises bench/relations.sh runs: per backend and phase (R1 teams
with heroes, R2 heroes with team), each implementation's median ops/s
with its spread (min-max over runs) and the medians of client and
database server CPU per operation;
then the ratios against the hand-written JOIN: the ratio of medians and
the median of the per-run ratios (runs alternate, so a run's programs
share the machine's load of the moment), and the same for generated
code against the faster hand-written strategy."""
import glob
import os
import re
import statistics
import sys

PHASES = [("R1", "teams with heroes"), ("R2", "heroes with team")]
IMPLS = ["c-join", "c-in", "smc", "smc-explicit"]


def parse(path):
    """ops/s, client CPU us/op and server CPU us/op per phase.  Server CPU
    covers the whole program (connection, warm-up included): divided by
    the timed operations plus the warm-up."""
    ops, cpu, server, n = {}, {}, {}, {}
    for line in open(path):
        m = re.match(r"# (R\d) n=(\d+)", line)
        if m:
            n[m.group(1)] = int(m.group(2))
        m = re.match(r"# (R\d) server_cpu_secs=([\d.]+)", line)
        if m and m.group(1) in n:
            server[m.group(1)] = float(m.group(2)) * 1e6 / (n[m.group(1)] + 1)
        m = re.match(r"(R\d) \S+ ops/s=(\d+)", line)
        if m:
            ops[m.group(1)] = float(m.group(2))
        m = re.match(r"# (R\d) cpu_us_per_op=([\d.]+)", line)
        if m:
            cpu[m.group(1)] = float(m.group(2))
    return ops, cpu, server


def collect(out, impl, backend):
    """{phase: {run: ops/s}}, {phase: [client cpu]}, {phase: [server cpu]}"""
    ops, cpu, server = {}, {}, {}
    for path in glob.glob(os.path.join(out, f"{impl}-{backend}.run*")):
        run = int(path.rsplit("run", 1)[1])
        o, c, s = parse(path)
        for k, v in o.items():
            ops.setdefault(k, {})[run] = v
        for k, v in c.items():
            cpu.setdefault(k, []).append(v)
        for k, v in s.items():
            server.setdefault(k, []).append(v)
    return ops, cpu, server


def fmt(values):
    return f"{statistics.median(values):,.0f} ({min(values):,.0f}-{max(values):,.0f})"


def ratios(a, b):
    """a/b as the ratio of medians and the median of per-run ratios."""
    common = sorted(set(a) & set(b))
    if not common:
        return "-"
    med = statistics.median(a.values()) / statistics.median(b.values())
    paired = [a[r] / b[r] for r in common]
    return (f"{med:.2f} (per run: median {statistics.median(paired):.2f}, "
            f"{min(paired):.2f}-{max(paired):.2f})")


def main():
    out, backends = sys.argv[1], sys.argv[2:]
    for b in backends:
        data = {i: collect(out, i, b) for i in IMPLS}
        data = {i: d for i, d in data.items() if d[0]}
        if not data:
            continue
        n = max(len(d[0].get("R1", {})) for d in data.values())
        print(f"\n### {b} ({n} runs, alternating)\n")
        print("| phase | implementation | ops/s median (min-max) | client CPU us/op | "
              "server CPU us/op |")
        print("|---|---|---|---|---|")
        for p, label in PHASES:
            for i, (ops, cpu, server) in data.items():
                if p in ops:
                    srv = f"{statistics.median(server[p]):,.0f}" if server.get(p) else "-"
                    print(f"| {p} {label} | {i} | {fmt(list(ops[p].values()))} | "
                          f"{statistics.median(cpu[p]):,.0f} | {srv} |")
        print("\n| phase | ratio | of medians (per run: median, min-max) |")
        print("|---|---|---|")
        for p, label in PHASES:
            ops = {i: d[0].get(p, {}) for i, d in data.items()}
            if ops.get("c-in") and ops.get("c-join"):
                print(f"| {p} | c-in / c-join | {ratios(ops['c-in'], ops['c-join'])} |")
            if not (ops.get("c-in") and ops.get("c-join")):
                continue
            best = max(("c-join", "c-in"), key=lambda i: statistics.median(ops[i].values()))
            for s in ("smc", "smc-explicit"):
                if ops.get(s):
                    print(f"| {p} | {s} / {best} | {ratios(ops[s], ops[best])} |")
    notes = os.path.join(out, "notes.txt")
    if os.path.exists(notes):
        print()
        for line in open(notes):
            print(f"- {line.strip()}")


main()
