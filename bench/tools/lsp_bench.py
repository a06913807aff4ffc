#!/usr/bin/env python3
"""lsp_bench.py SMC FILE N: times didChange -> publishDiagnostics round
trips of `smc lsp` over N edits of FILE (bench/lsp.sh makes FILE).

Each edit changes one table's @max_len (a different table each time,
alternating two values), so every change is a real one the checker must
see.  Prints the median, the 10th and 90th percentiles, min and max, for
edits sent as a range (incremental sync) and as the whole text."""
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', 'tests', 'lsp'))
from lspclient import Server  # noqa: E402

smc, path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = open(path).read()
uri = 'file://' + os.path.abspath(path)
sv = Server(smc)
sv.request('initialize', {'capabilities': {}})
sv.notify('initialized', {})
t0 = time.perf_counter()
sv.notify('textDocument/didOpen', {'textDocument': {'uri': uri, 'languageId': 'smdl',
                                                    'version': 1, 'text': text}})
diags = sv.diagnostics(uri)
print('didOpen -> diagnostics: %.1f ms (%d diagnostics)' % ((time.perf_counter() - t0) * 1e3,
                                                             len(diags)))
assert diags == [], diags

# The offsets of every '@max_len(100)', as (line, character): all ASCII.
marks = []
for ln, line in enumerate(text.split('\n')):
    c = line.find('@max_len(10')
    if c >= 0:
        marks.append((ln, c + len('@max_len(10')))


def report(name, samples):
    s = sorted(samples)
    q = statistics.quantiles(s, n=10)
    print('%-12s n=%d  median %.1f ms  p10 %.1f  p90 %.1f  min %.1f  max %.1f' %
          (name, len(s), statistics.median(s), q[0], q[-1], s[0], s[-1]))


version = 1
lines = text.split('\n')
for mode in ('incremental', 'full'):
    samples = []
    for i in range(n):
        ln, ch = marks[(i * 37) % len(marks)]
        old = lines[ln][ch]
        new = '1' if old == '0' else '0'
        lines[ln] = lines[ln][:ch] + new + lines[ln][ch + 1:]
        version += 1
        if mode == 'incremental':
            change = {'range': {'start': {'line': ln, 'character': ch},
                                'end': {'line': ln, 'character': ch + 1}}, 'text': new}
        else:
            change = {'text': '\n'.join(lines)}
        t0 = time.perf_counter()
        sv.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': version},
                                             'contentChanges': [change]})
        diags = sv.diagnostics(uri)
        samples.append((time.perf_counter() - t0) * 1e3)
        assert diags == [], diags
    report(mode, samples)
sv.request('shutdown')
sv.notify('exit')
rc, err = sv.close()
assert rc == 0, (rc, err)
