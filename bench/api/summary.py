#!/usr/bin/env python3
"""Reads the wrk outputs of bench/api.sh (DIR/BACKEND.ROUTE.cN.runK) and
prints a Markdown table: requests per second and p99 latency, median of
the runs and their range, and the requests that outlasted wrk's timeout
(left out of its latencies).  A failed request (an error status, a
connection error) stops it."""
import os
import re
import statistics
import sys


def ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def main():
    out = sys.argv[1]
    cells = {}
    for name in sorted(os.listdir(out)):
        m = re.fullmatch(r"(\w+)\.(get|post)\.c(\d+)\.run(\d+)", name)
        if not m:
            continue
        text = open(os.path.join(out, name), encoding="utf-8").read()
        errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                           text)
        if "Non-2xx" in text or (errors and any(int(x) for x in errors.groups()[:3])):
            sys.exit("summary.py: %s has failed requests:\n%s" % (name, text))
        timeouts = int(errors.group(4)) if errors else 0
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
        p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        key = (m.group(1), m.group(2), int(m.group(3)))
        cells.setdefault(key, []).append((rps, ms(*p99.groups()), timeouts))
    print("| database | route | connections | runs | requests/s (median, range) | p99 ms (median, range) "
          "| over wrk's timeout |")
    print("|---|---|---|---|---|---|---|")
    route = {"get": "GET /heroes/{id}", "post": "POST /heroes/"}
    for (backend, r, conns), runs in sorted(cells.items()):
        rps = [x[0] for x in runs]
        p99 = [x[1] for x in runs]
        print("| %s | %s | %d | %d | %.0f (%.0f-%.0f) | %.2f (%.2f-%.2f) | %d |" % (
            backend, route[r], conns, len(runs), statistics.median(rps), min(rps), max(rps),
            statistics.median(p99), min(p99), max(p99), sum(x[2] for x in runs)))


if __name__ == "__main__":
    main()
