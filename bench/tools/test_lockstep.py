#!/usr/bin/env python3
"""Checks of lockstep.py with the generated-code workload program.

    test_lockstep.py LOCKSTEP_PY HERO_SMC

Two copies of HERO_SMC on SQLite files of their own must run in step:
the same phases, the same checksums, four turns of W1 at 20,000 inserts
(blocks of 5,000) and none of them at the same time as the other's.  A
partner that exits at once must leave the other to finish alone, with
exit status 1 and the partner's status in its FAIL file.  Without
BENCH_SYNC the program takes no turns.
"""
import os
import re
import subprocess
import sys
import tempfile

SIZES = ["--inserts", "20000", "--gets", "10000", "--queries", "100", "--updates", "1000"]


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def checks(text):
    return [line for line in text.splitlines() if re.match(r"# \w+ check", line)]


def turns(text, phase):
    return [float(m.group(1)) for m in re.finditer(rf"# {phase} block=\d+ secs=([\d.]+)", text)]


def intervals(text):
    """(start, end) of every turn, on the clock both programs share."""
    return [(float(m.group(2)), float(m.group(2)) + float(m.group(1)))
            for m in re.finditer(r"# \w+ block=\d+ secs=([\d.]+) at=([\d.]+)", text)]


def lockstep(tool, d, a_cmd, b_cmd):
    args = [sys.executable, tool]
    for name, cmd in (("a", a_cmd), ("b", b_cmd)):
        if name == "b":
            args.append("++")
        args += [f"{d}/{name}.out", f"{d}/{name}.err", f"{d}/{name}.fail", "--"] + cmd
    r = subprocess.run(args, capture_output=True, text=True, timeout=300)
    read = lambda n: open(f"{d}/{n}").read() if os.path.exists(f"{d}/{n}") else None
    return r, {n: read(n) for n in ("a.out", "b.out", "a.fail", "b.fail")}


def main():
    tool, smc = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as d:
        # In step: two copies of the same program.
        r, f = lockstep(tool, d, [smc, "--conn", f"sqlite:{d}/a.db"] + SIZES,
                        [smc, "--conn", f"sqlite:{d}/b.db"] + SIZES)
        if r.returncode != 0 or f["a.fail"] or f["b.fail"]:
            fail(f"in step: exit {r.returncode}: {r.stderr}")
        if not checks(f["a.out"]) or checks(f["a.out"]) != checks(f["b.out"]):
            fail("the two runs' checksums differ or are missing")
        for phase, n in (("W1", 4), ("W2", 2), ("W3", 2), ("W4", 2), ("W1b", 4), ("W5L", 1)):
            for side in ("a.out", "b.out"):
                if len(turns(f[side], phase)) != n:
                    fail(f"{side}: {len(turns(f[side], phase))} turns of {phase}, want {n}")
        spans = sorted(intervals(f["a.out"]) + intervals(f["b.out"]))
        if len(spans) != 2 * 15:
            fail(f"{len(spans)} turns with their times, want 30")
        for (s0, e0), (s1, e1) in zip(spans, spans[1:]):
            if s1 < e0:
                fail(f"two turns at once: {s0:.6f}-{e0:.6f} and {s1:.6f}-{e1:.6f}")
        if "W4p update-patch" not in f["a.out"]:
            fail("the solo phase W4p did not run")

        # A partner that is gone at once: the other runs alone to its end.
        r, f = lockstep(tool, d, [smc, "--conn", f"sqlite:{d}/c.db"] + SIZES, ["false"])
        if r.returncode != 1 or "out of step" not in r.stderr:
            fail(f"partner gone: exit {r.returncode}, stderr {r.stderr!r}")
        if f["b.fail"] != "exit 1\n" or f["a.fail"] is not None:
            fail(f"partner gone: fail files {f['a.fail']!r} {f['b.fail']!r}")
        if "W1b insert-multirow" not in f["a.out"]:
            fail("partner gone: the other did not finish")

        # Alone, without BENCH_SYNC: no turns.
        out = subprocess.run([smc, "--conn", f"sqlite:{d}/e.db"] + SIZES, capture_output=True,
                             text=True, timeout=300, env={k: v for k, v in os.environ.items()
                                                          if k != "BENCH_SYNC"}).stdout
        if turns(out, "W1") or "W1 insert" not in out:
            fail("without BENCH_SYNC the program took turns")
    print("ok")


if __name__ == "__main__":
    main()
