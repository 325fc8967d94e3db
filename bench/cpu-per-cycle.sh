#!/usr/bin/env bash
# CPU per check cycle: the linked image in local mode checks 10 "neighbours" (extra checks against a second
# kubenurse process, so that serving is not counted) every INTERVAL, each on a fresh connection; once over
# plain HTTP and once over TLS (a self-signed certificate made here, trusted through KUBENURSE_EXTRA_CA).
# Prints the checker's process CPU time over CYCLES cycles divided by CYCLES, after a warm-up.
# Usage: bench/cpu-per-cycle.sh [cycles, default 300] [interval, default 250ms]
#        JDK_JAVA_OPTIONS (e.g. -XX:TieredStopAtLevel=4) are added after the image's own options
#        (after ./mvnw -B package -DskipTests; needs openssl)
set -euo pipefail
cd "$(dirname "$0")/.."
cycles=${1:-300}
interval=${2:-250ms}
interval_ms=${interval%ms}
image=jlink/target/image
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=bench \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
. bench/lib/ports.sh
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u +%F); $($image/bin/java -version 2>&1 | head -1)"
echo "$cycles cycles of 10 checks every $interval, after 20 cycles of warm-up"
target_http=$(free_port) target_https=$(free_port)
env -i KUBENURSE_HTTP_PORT=$target_http KUBENURSE_USE_TLS=true KUBENURSE_HTTPS_PORT=$target_https \
  KUBENURSE_CERT_FILE="$work/cert.pem" KUBENURSE_CERT_KEY="$work/key.pem" $image/bin/kubenurse >"$work/target.log" 2>&1 &
target=$!; pids+=($target)
until curl -s -o /dev/null "http://127.0.0.1:$target_http/alwayshappy"; do sleep 0.1; done
for scheme in http https; do
  port=$target_http; [ "$scheme" = https ] && port=$target_https
  checks=""
  for i in $(seq 1 10); do checks="$checks|n$i:$scheme://127.0.0.1:$port/alwayshappy"; done
  env -i ${JDK_JAVA_OPTIONS:+JDK_JAVA_OPTIONS="$JDK_JAVA_OPTIONS"} KUBENURSE_HTTP_PORT=$(free_port) \
    KUBENURSE_CHECK_INTERVAL=$interval KUBENURSE_SHUTDOWN_DURATION=0s KUBENURSE_REUSE_CONNECTIONS=${KUBENURSE_REUSE_CONNECTIONS:-false} \
    KUBENURSE_EXTRA_CA="$work/cert.pem" KUBENURSE_EXTRA_CHECKS="${checks#|}" $image/bin/kubenurse >"$work/$scheme.log" 2>&1 &
  checker=$!; pids+=($checker)
  sleep "$(echo "scale=3; 20 * $interval_ms / 1000" | bc)"
  before=$(ticks $checker) target_before=$(ticks $target)
  sleep "$(echo "scale=3; $cycles * $interval_ms / 1000" | bc)"
  if ! kill -0 $checker 2>/dev/null; then echo "the $scheme checker ended early:"; cat "$work/$scheme.log"; exit 1; fi
  used=$(( $(ticks $checker) - before )) target_used=$(( $(ticks $target) - target_before ))
  if grep -q 'level=warn\|level=error' "$work/$scheme.log"; then echo "the checker reported problems:"; cat "$work/$scheme.log"; exit 1; fi
  kill $checker
  wait $checker || true
  echo "$scheme: checker $(echo "scale=2; $used * 1000 / $hz / $cycles" | bc) ms CPU per cycle" \
    "($(echo "scale=2; $used / $hz" | bc) s for $cycles cycles, $(echo "scale=3; $used * 1000 / $hz / ($cycles * 10)" | bc) ms per check);" \
    "the server side: $(echo "scale=2; $target_used * 1000 / $hz / $cycles" | bc) ms per cycle"
done
