"""Holds N connections of one kind open against a running kubenurse and reports what they cost it.

Kinds: idle (one request answered, then kept open), head (a request head begun, never finished),
head4k (the same with ~4 KB of header sent). Heap is read with jcmd after a full GC, before and after;
a well-behaved client's /alwayshappy is timed while the connections are held.
Usage: connection_cost.py PORT PID N KIND JCMD
"""
import re
import resource
import socket
import subprocess
import sys
import time

port, pid, n, kind, jcmd = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def heap_kib():
    subprocess.run([jcmd, pid, "GC.run"], capture_output=True)
    out = subprocess.run([jcmd, pid, "GC.heap_info"], capture_output=True, text=True).stdout
    return sum(int(u) for u in re.findall(r"(?:DefNew|Tenured) +total \d+K, used (\d+)K", out))


def status_kib(key):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(key):
                return int(line.split()[1])


def good_client_ms():
    start = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as good:
            good.sendall(b"GET /alwayshappy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            head = good.recv(64)
        ok = head.startswith(b"HTTP/1.1 200")
    except OSError:
        ok = False
    return (time.monotonic() - start) * 1000, ok


time.sleep(1)
heap_before, rss_before = heap_kib(), status_kib("VmRSS")
held, refused = [], 0
for i in range(n):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        if kind == "idle":
            s.sendall(b"GET /alwayshappy HTTP/1.1\r\nHost: x\r\n\r\n")
            if not s.recv(1000):
                refused += 1
        elif kind == "head":
            s.sendall(b"GET /alwayshappy HTTP/1.1\r\nHost: x\r\n")
        elif kind == "head4k":
            s.sendall(b"GET /alwayshappy HTTP/1.1\r\nHost: x\r\nX-A: " + b"a" * 3900 + b"\r\n")
        held.append(s)
    except OSError:
        refused += 1
time.sleep(1)
heap_after, rss_after = heap_kib(), status_kib("VmRSS")
times = [good_client_ms() for _ in range(10)]
print(f"{kind:6} n={n}: heap {heap_before} -> {heap_after} KiB = {(heap_after - heap_before) * 1024 / n / 1024:.1f} KiB"
      f" per connection; RSS {rss_before} -> {rss_after} KiB (peak {status_kib('VmHWM')} KiB); refused or closed {refused};"
      f" good client: {sum(ok for _, ok in times)}/10 answered, max {max(ms for ms, _ in times):.0f} ms")
