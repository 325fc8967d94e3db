#!/usr/bin/env python3
"""A plain HTTP/1.1 server for benchmarks: answers every request with 200 after a known delay.

Usage: delay_server.py PORT DELAY_MS [ARRIVALS_FILE]
With ARRIVALS_FILE, the monotonic arrival time (seconds) of every request is appended to it, one per line,
so that a benchmark can see when a checker really called.
"""
import socket
import sys
import threading
import time


def serve(conn, delay, arrivals):
    with conn:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                return
            data += chunk
        arrived = time.monotonic()
        if arrivals is not None:
            with arrivals_lock:
                arrivals.write(f"{arrived:.6f}\n")
                arrivals.flush()
        if delay > 0:
            time.sleep(delay - (time.monotonic() - arrived))
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


arrivals_lock = threading.Lock()


def main():
    port, delay = int(sys.argv[1]), float(sys.argv[2]) / 1000.0
    arrivals = open(sys.argv[3], "a") if len(sys.argv) > 3 else None
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(128)
    while True:
        conn, _ = listener.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=serve, args=(conn, delay, arrivals), daemon=True).start()


if __name__ == "__main__":
    main()
