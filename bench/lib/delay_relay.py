#!/usr/bin/env python3
"""A TCP relay for benchmarks that delays what clients send: the network delay netem would add, made in
user space (this kernel has no netem). It accepts at once, so a fresh connection's handshake is not
delayed; the request's bytes are held DELAY_MS before they go on; answers come back undelayed. A fresh
connection with one request therefore meets the delay exactly once.

Usage: delay_relay.py LISTEN_HOST LISTEN_PORT UPSTREAM_HOST UPSTREAM_PORT DELAY_MS
"""
import socket
import sys
import threading
import time


def pipe(src, dst, delay):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                dst.shutdown(socket.SHUT_WR)
                return
            if delay > 0:
                time.sleep(delay)
            dst.sendall(data)
    except OSError:
        pass


def relay(client, upstream_address, delay):
    with client, socket.create_connection(upstream_address) as upstream:
        for s in (client, upstream):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        back = threading.Thread(target=pipe, args=(upstream, client, 0), daemon=True)
        back.start()
        pipe(client, upstream, delay)
        back.join()


def main():
    listen = (sys.argv[1], int(sys.argv[2]))
    upstream = (sys.argv[3], int(sys.argv[4]))
    delay = float(sys.argv[5]) / 1000.0
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(listen)
    listener.listen(128)
    while True:
        client, _ = listener.accept()
        threading.Thread(target=relay, args=(client, upstream, delay), daemon=True).start()


if __name__ == "__main__":
    main()
