#!/usr/bin/env python3
"""Summarises bench/compare.sh runs: per backend and phase, the median
ops/s of hand-written C and of smc with their spread (min-max), the ratio
of medians (smc / C, higher is better for smc), and client CPU
microseconds per operation (C / smc: higher is better for smc)."""
import glob
import os
import re
import statistics
import sys

PHASES = ["W1", "W1b", "W2", "W3", "W4", "W5L", "W5"]


def parse(path):
    ops, cpu = {}, {}
    for line in open(path):
        m = re.match(r"(W\w+) \S+ ops/s=(\d+)", line)
        if m:
            ops[m.group(1)] = float(m.group(2))
        m = re.match(r"# (W\w+) cpu_us_per_op=([\d.]+)", line)
        if m:
            cpu[m.group(1)] = float(m.group(2))
    return ops, cpu


def collect(out, impl, backend):
    ops, cpu = {}, {}
    for path in sorted(glob.glob(os.path.join(out, f"{impl}-{backend}.run*"))):
        o, c = parse(path)
        for k, v in o.items():
            ops.setdefault(k, []).append(v)
        for k, v in c.items():
            cpu.setdefault(k, []).append(v)
    return ops, cpu


def fmt(values):
    if not values:
        return "-"
    return f"{statistics.median(values):,.0f} ({min(values):,.0f}-{max(values):,.0f})"


def main():
    out, backends = sys.argv[1], sys.argv[2:]
    for b in backends:
        c_ops, c_cpu = collect(out, "c", b)
        s_ops, s_cpu = collect(out, "smc", b)
        n = len(glob.glob(os.path.join(out, f"smc-{b}.run*")))
        print(f"\n### {b} ({n} runs each, alternating)\n")
        print("| phase | C ops/s median (min-max) | smc ops/s median (min-max) | smc/C | "
              "C cpu us/op | smc cpu us/op | C/smc cpu |")
        print("|---|---|---|---|---|---|---|")
        for p in PHASES:
            if p not in c_ops and p not in s_ops:
                continue
            ratio = "-"
            if c_ops.get(p) and s_ops.get(p):
                ratio = f"{statistics.median(s_ops[p]) / statistics.median(c_ops[p]):.2f}"
            cc = statistics.median(c_cpu[p]) if c_cpu.get(p) else None
            sc = statistics.median(s_cpu[p]) if s_cpu.get(p) else None
            cratio = f"{cc / sc:.2f}" if cc and sc else "-"
            print(f"| {p} | {fmt(c_ops.get(p))} | {fmt(s_ops.get(p))} | {ratio} | "
                  f"{cc if cc is not None else '-'} | {sc if sc is not None else '-'} | {cratio} |")


main()
