#!/usr/bin/env bash
# Trains the JDK 25 AOT cache (JEP 483/514) of a linked image and writes it into the image as
# lib/kubenurse.aot: a training run in local mode that checks itself (HTTP server and client, metrics,
# /alive) and stops on SIGTERM, when the JVM writes the cache. The classes it loads and links are then
# mapped from the cache at start instead of being read, parsed and linked again (start-up and memory:
# BENCHMARKS.md). Only bash is needed (the requests go through /dev/tcp), as in the container build.
# Usage: train-aot.sh IMAGE [PORT]   (default: the first free port from 18205 on)
set -euo pipefail
image=$1
port=${2:-}
if [ -z "$port" ]; then
  for candidate in $(seq 18205 18304); do
    # nothing answers there: free for the training run
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
  done
  [ -n "$port" ] || { echo "AOT training: no free port in 18205-18304" >&2; exit 1; }
fi
cache="$image/lib/kubenurse.aot"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rm -f "$cache"

get() {
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$1" >&3
  cat <&3 >/dev/null
  exec 3<&-
}

env -i KUBENURSE_HTTP_PORT="$port" KUBENURSE_SHUTDOWN_DURATION=0s KUBENURSE_CHECK_INTERVAL=200ms \
  KUBENURSE_SERVICE_URL="http://127.0.0.1:$port" KUBENURSE_EXTRA_CHECKS="self:http://localhost:$port/alwayshappy" \
  "$image/bin/java" -XX:AOTCacheOutput="$cache" -m kubenurse.app >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do # up to 30 s: a loaded build machine starts slowly
  get /alive 2>/dev/null && break
  kill -0 $pid 2>/dev/null || { echo "AOT training run ended early:"; cat "$log"; exit 1; } >&2
  sleep 0.05
done
sleep 2 # ten check cycles
for _ in $(seq 1 20); do
  get /alive
  get /metrics
  get /alwayshappy
done
kill -TERM $pid
wait $pid || { echo "AOT training run failed:"; cat "$log"; exit 1; } >&2
[ -s "$cache" ] || { echo "AOT training run wrote no cache:"; cat "$log"; exit 1; } >&2
echo "AOT cache: $cache ($(du -sm "$cache" | cut -f1) MB)"
