"""A JSON-RPC client for `smc lsp`: frames messages, keeps notifications
apart from responses, and bounds every wait (a hang fails, never blocks)."""
import json
import os
import select
import subprocess
import time

WAIT = 30.0  # seconds: a bound against hangs, not a latency check


class Server:
    def __init__(self, smc, args=(), cwd=None):
        self.p = subprocess.Popen([smc, 'lsp', *args], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
        self.buf = b''
        self.notes = []
        self.next_id = 1

    def raw(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def send(self, obj):
        body = json.dumps(obj).encode()
        self.raw(b'Content-Length: %d\r\n\r\n' % len(body) + body)

    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError('no answer from smc lsp')
        r, _, _ = select.select([self.p.stdout], [], [], left)
        if not r:
            raise TimeoutError('no answer from smc lsp')
        chunk = os.read(self.p.stdout.fileno(), 1 << 16)
        if not chunk:
            raise EOFError('smc lsp closed its output')
        self.buf += chunk

    def read(self):
        deadline = time.monotonic() + WAIT
        while b'\r\n\r\n' not in self.buf:
            self._fill(deadline)
        head, self.buf = self.buf.split(b'\r\n\r\n', 1)
        fields = dict(line.split(b': ', 1) for line in head.split(b'\r\n'))
        n = int(fields[b'Content-Length'])
        while len(self.buf) < n:
            self._fill(deadline)
        body, self.buf = self.buf[:n], self.buf[n:]
        return json.loads(body)

    def request(self, method, params=None):
        rid = self.next_id
        self.next_id += 1
        msg = {'jsonrpc': '2.0', 'id': rid, 'method': method}
        if params is not None:
            msg['params'] = params
        self.send(msg)
        return self.response(rid)

    def response(self, rid):
        while True:
            m = self.read()
            if 'method' in m and 'id' not in m:
                self.notes.append(m)
            elif m.get('id') == rid:
                return m
            else:
                raise AssertionError('unexpected message %r' % m)

    def notify(self, method, params=None):
        msg = {'jsonrpc': '2.0', 'method': method}
        if params is not None:
            msg['params'] = params
        self.send(msg)

    def notification(self, method):
        for i, m in enumerate(self.notes):
            if m['method'] == method:
                return self.notes.pop(i)
        while True:
            m = self.read()
            if m.get('method') == method and 'id' not in m:
                return m
            self.notes.append(m)

    def diagnostics(self, uri):
        while True:
            n = self.notification('textDocument/publishDiagnostics')
            if n['params']['uri'] == uri:
                return n['params']['diagnostics']

    def close(self):
        try:
            self.p.stdin.close()
        except BrokenPipeError:
            pass
        try:
            rc = self.p.wait(timeout=WAIT)
        finally:
            if self.p.poll() is None:
                self.p.kill()
        err = self.p.stderr.read().decode(errors='replace')
        return rc, err
