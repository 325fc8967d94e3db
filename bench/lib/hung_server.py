#!/usr/bin/env python3
"""A TCP server for benchmarks that accepts every connection and never answers: a hung check target.

Usage: hung_server.py PORT
It reads and discards what the client sends and closes its side only when the client has closed, so a
checker sees its own timeout, and the server holds no more connections than the checker keeps open.
"""
import socket
import sys
import threading


def drain(conn):
    with conn:
        while conn.recv(4096):
            pass


def main():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", int(sys.argv[1])))
    listener.listen(128)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=drain, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
