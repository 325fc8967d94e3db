#!/usr/bin/env bash
# What a connection costs the server, to size its limits (kubenurse.http's ServerLimits): the linked image
# with a large heap (so nothing is cut short), N connections of each kind held open (idle after a request,
# a request head begun and never finished, the same with ~4 KB of header), heap after a full GC before and
# after, RSS, and whether a good client still gets /alwayshappy. Then the same against the image as
# shipped, with 1,000 of each kind held at once.
# Usage: bench/connection-cost.sh [n, default 300]   (after ./mvnw -B package -DskipTests; needs python3 and
#        jcmd of a JDK 25: JAVA_HOME)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-300}
jcmd=${JAVA_HOME:?set JAVA_HOME to a JDK 25}/bin/jcmd
. bench/lib/ports.sh
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u +%F)"
run() { # kind n [jvm options]
  local port; port=$(free_port)
  env -i KUBENURSE_HTTP_PORT=$port ${3:+JDK_JAVA_OPTIONS="$3"} jlink/target/image/bin/kubenurse >/dev/null 2>&1 &
  local pid=$!
  until curl -s -o /dev/null "http://127.0.0.1:$port/alwayshappy"; do sleep 0.1; done
  python3 bench/lib/connection_cost.py "$port" "$pid" "$2" "$1" "$jcmd" || true
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
echo "cost per connection (heap up to 512 MiB, no connection limit):"
for kind in idle head head4k; do
  run $kind "$n" "-Xmx512m -Djdk.httpserver.maxConnections=100000 -Dsun.net.httpserver.maxIdleConnections=100000 -Dsun.net.httpserver.maxReqTime=600 -Dsun.net.httpserver.maxReqHeaderSize=65536"
done
echo "the image as shipped (its own heap and limits), 1,000 connections of a kind:"
for kind in idle head head4k; do run $kind 1000; done
