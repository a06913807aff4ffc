#!/usr/bin/env python3
"""Runs two programs of the hero workload in lockstep (c/workload.h).

    lockstep.py OUT ERR FAIL -- CMD... ++ OUT ERR FAIL -- CMD...

Each program gets BENCH_SYNC="IN,OUT": before each block of a phase it
writes the phase's name and waits for its turn.  The two take turns block
by block, the first of each pair alternating, so that a slow second of the
machine falls on both alike; everything one program does between two of
its waits runs while the other waits.  A "solo" phase, which only one of
them has, runs alone too.  Standard output and error of each program go to
OUT and ERR; a program that exits non-zero leaves "exit N" in FAIL.

Exits 0 when both programs ran the same phases in step, 1 otherwise (after
letting both run to their end, so that what they printed is kept).
"""
import os
import subprocess
import sys


class Side:
    def __init__(self, out, err, fail, cmd):
        self.fail = fail
        go_r, go_w = os.pipe()
        ready_r, ready_w = os.pipe()
        env = dict(os.environ, BENCH_SYNC=f"{go_r},{ready_w}")
        with open(out, "wb") as o, open(err, "wb") as e:
            self.proc = subprocess.Popen(cmd, stdout=o, stderr=e, env=env,
                                         pass_fds=(go_r, ready_w))
        os.close(go_r)
        os.close(ready_w)
        self.go = go_w
        self.ready = os.fdopen(ready_r, "rb")
        self.label = None
        self.park()

    def park(self):
        """Waits until the program waits again (its label) or has ended (None)."""
        line = self.ready.readline()
        self.label = line.decode().strip() if line else None

    def turn(self):
        try:
            os.write(self.go, b"g")
        except BrokenPipeError:
            self.label = None
            return
        self.park()

    def finish(self):
        os.close(self.go)
        self.ready.close()
        rc = self.proc.wait()
        if rc:
            with open(self.fail, "w") as f:
                f.write(f"exit {rc}\n")
        return rc


def parse(argv):
    sides, part = [], []
    for a in argv + ["++"]:
        if a == "++":
            if len(part) < 5 or part[3] != "--":
                sys.exit(__doc__)
            sides.append(part[:3] + [part[4:]])
            part = []
        else:
            part.append(a)
    if len(sides) != 2:
        sys.exit(__doc__)
    return sides


def main():
    a, b = (Side(*s) for s in parse(sys.argv[1:]))
    in_step, first = True, 0
    while a.label is not None or b.label is not None:
        for s in (a, b):
            while s.label is not None and s.label.startswith("solo "):
                s.turn()
        if a.label is None and b.label is None:
            break
        if a.label != b.label:
            print(f"lockstep: out of step: {a.label} against {b.label}", file=sys.stderr)
            in_step = False
            while a.label is not None or b.label is not None:
                for s in (a, b):
                    if s.label is not None:
                        s.turn()
            break
        pair = (a, b) if first == 0 else (b, a)
        first ^= 1
        for s in pair:
            s.turn()
    rcs = [a.finish(), b.finish()]
    sys.exit(0 if in_step and not any(rcs) else 1)


if __name__ == "__main__":
    main()
