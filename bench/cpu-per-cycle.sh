#!/usr/bin/env bash
# CPU per check cycle: the linked image in local mode checks 10 "neighbours" (extra checks against a second
# kubenurse process, so that serving is not counted) every interval (default 250 ms), each on a fresh
# connection; once over plain HTTP and once over TLS (a self-signed certificate made here, trusted through
# KUBENURSE_EXTRA_CA). Prints the checker's process CPU time over the window of CYCLES intervals divided by
# the cycles it COMPLETED in that window (the least kubenurse_httpclient_requests_total of its 10 checks,
# read from its /metrics at both ends), after a warm-up of 20 intervals.
# Usage: bench/cpu-per-cycle.sh [cycles, default 300] [interval, default 250ms]
#        JDK_JAVA_OPTIONS (e.g. -XX:TieredStopAtLevel=4) are added after the image's own options
#        CPC_IMAGE=<dir> measures another image
#        (after ./mvnw -B package -DskipTests; needs openssl)
set -euo pipefail
cd "$(dirname "$0")/.."
cycles=${1:-300}
interval=${2:-250ms}
interval_ms=${interval%ms}
image=${CPC_IMAGE:-jlink/target/image}
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
. bench/lib/ports.sh
. bench/lib/check-bench.sh
bench_cert "$work"
# the cycles the checker on port $1 completed: the least request count over its checks n1..n10
completed() { image_cycles "$1" 10; }
hz=$(getconf CLK_TCK)

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u +%F); $($image/bin/java -version 2>&1 | head -1)"
echo "$cycles intervals of $interval, 10 checks per cycle, after 20 intervals of warm-up;" \
  "JDK_JAVA_OPTIONS: ${JDK_JAVA_OPTIONS:-none}; KUBENURSE_REUSE_CONNECTIONS=${KUBENURSE_REUSE_CONNECTIONS:-false}"
target_http=$(free_port) target_https=$(free_port)
env -i KUBENURSE_HTTP_PORT=$target_http KUBENURSE_USE_TLS=true KUBENURSE_HTTPS_PORT=$target_https \
  KUBENURSE_CERT_FILE="$work/cert.pem" KUBENURSE_CERT_KEY="$work/key.pem" $image/bin/kubenurse >"$work/target.log" 2>&1 &
target=$!; pids+=($target)
until curl -s -o /dev/null "http://127.0.0.1:$target_http/alwayshappy"; do sleep 0.1; done
for scheme in http https; do
  port=$target_http; [ "$scheme" = https ] && port=$target_https
  checks=""
  for i in $(seq 1 10); do checks="$checks|n$i:$scheme://127.0.0.1:$port/alwayshappy"; done
  checker_port=$(free_port)
  env -i ${JDK_JAVA_OPTIONS:+JDK_JAVA_OPTIONS="$JDK_JAVA_OPTIONS"} KUBENURSE_HTTP_PORT=$checker_port \
    KUBENURSE_CHECK_INTERVAL=$interval KUBENURSE_SHUTDOWN_DURATION=0s KUBENURSE_REUSE_CONNECTIONS=${KUBENURSE_REUSE_CONNECTIONS:-false} \
    KUBENURSE_EXTRA_CA="$work/cert.pem" KUBENURSE_EXTRA_CHECKS="${checks#|}" $image/bin/kubenurse >"$work/$scheme.log" 2>&1 &
  checker=$!; pids+=($checker)
  sleep "$(echo "scale=3; 20 * $interval_ms / 1000" | bc)"
  completed $checker_port >/dev/null; sleep 1 # the checker's first /metrics (its class loading) is not counted
  before=$(ticks $checker) target_before=$(ticks $target) done_before=$(completed $checker_port)
  sleep "$(echo "scale=3; $cycles * $interval_ms / 1000" | bc)"
  if ! kill -0 $checker 2>/dev/null; then echo "the $scheme checker ended early:"; cat "$work/$scheme.log"; exit 1; fi
  done_cycles=$(( $(completed $checker_port) - done_before ))
  used=$(( $(ticks $checker) - before )) target_used=$(( $(ticks $target) - target_before ))
  if grep -q 'level=warn\|level=error' "$work/$scheme.log"; then echo "the checker reported problems:"; cat "$work/$scheme.log"; exit 1; fi
  kill $checker
  wait $checker || true
  echo "$scheme: checker $(echo "scale=2; $used * 1000 / $hz / $done_cycles" | bc) ms CPU per completed cycle" \
    "($(echo "scale=2; $used / $hz" | bc) s for $done_cycles cycles completed in $cycles intervals," \
    "$(echo "scale=3; $used * 1000 / $hz / ($done_cycles * 10)" | bc) ms per check);" \
    "the server side: $(echo "scale=2; $target_used * 1000 / $hz / $done_cycles" | bc) ms per cycle; load $(cut -d' ' -f1-3 /proc/loadavg)"
done
