#!/usr/bin/env python3
"""Polls a URL at a fixed rate, each request on a fresh connection as a kubelet probe makes it, for a soak.

Usage: alive_poller.py URL RATE SECONDS STATE_FILE
Requests start on a fixed schedule (RATE per second) whether or not earlier ones have answered, so a slow
answer does not lower the rate. Every second the counts so far are written to STATE_FILE (one line, replaced
atomically) for the caller to print; at the end the same line goes to stdout. An error is no answer within
5 s or a status other than 200 and 500 (/alive answers 500 while a check fails, which a soak expects).
"""
import http.client
import os
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

TIMEOUT_S = 5.0

lock = threading.Lock()
latencies = []  # seconds, of every answered request
statuses = {}
sent = 0  # requests started on the schedule, answered or not
errors = {}
started = time.monotonic()
scheduled_for = float("inf")  # the run's length: the rate is not diluted by waiting for the last answers


def poll(host, port, path):
    begun = time.monotonic()
    try:
        conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT_S)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            status = response.status
        finally:
            conn.close()
        with lock:
            latencies.append(time.monotonic() - begun)
            statuses[status] = statuses.get(status, 0) + 1
            if status not in (200, 500):
                errors[f"status {status}"] = errors.get(f"status {status}", 0) + 1
    except Exception as failed:  # anything that is not an answer is an error, counted by kind
        with lock:
            kind = type(failed).__name__
            errors[kind] = errors.get(kind, 0) + 1


def summary():
    with lock:
        done = sorted(latencies)
        polls = len(done) + sum(errors.values())
        elapsed = min(time.monotonic() - started, scheduled_for)

        def pct(p):
            return done[min(len(done) - 1, int(p * len(done)))] * 1000 if done else float("nan")

        return (f"polls sent {sent} ({sent / elapsed:.2f}/s), finished {polls}, statuses {dict(sorted(statuses.items()))}, "
                f"errors {sum(errors.values())}{' ' + str(errors) if errors else ''}, "
                f"latency p50 {pct(0.5):.1f} ms p99 {pct(0.99):.1f} ms max {pct(1.0):.1f} ms")


def write_state(path):
    line = summary()
    with open(path + ".tmp", "w") as out:
        out.write(line + "\n")
    os.replace(path + ".tmp", path)


def main():
    global scheduled_for, sent
    url, rate, seconds, state = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    scheduled_for = seconds
    parts = urllib.parse.urlsplit(url)
    period = 1.0 / rate
    next_state = started + 1.0
    with ThreadPoolExecutor(max_workers=int(rate * TIMEOUT_S) + 8) as pool:
        n = 0
        while True:
            due = started + n * period
            if due - started >= seconds:
                break
            now = time.monotonic()
            if due > now:
                time.sleep(due - now)
            pool.submit(poll, parts.hostname, parts.port, parts.path or "/")
            n += 1
            with lock:
                sent = n
            if time.monotonic() >= next_state:
                write_state(state)
                next_state += 1.0
    write_state(state)
    print(summary(), flush=True)


if __name__ == "__main__":
    main()
