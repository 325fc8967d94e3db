# Sourced by the bench/ scripts.
# Prints a TCP port that is free on loopback now (the kernel's choice), for a server a benchmark starts.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
