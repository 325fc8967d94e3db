#!/usr/bin/env bash
# TLS checks over a long run, minute by minute: what a JIT choice costs and gives once it has warmed up (issue 23,
# item 2: 60 s runs were too short to judge C2). The image checks 10 times per cycle (every 250 ms) the Go reference
# server over TLS (a full handshake per check, as in bench/side-by-side.sh), pinned to one core, the server to the
# other. Each minute: CPU per cycle (the image's process CPU over the cycles it completed in that minute), the mean
# and p99 of reported minus true duration of that minute's checks, RSS. JDK_JAVA_OPTIONS goes to the image's JVM
# (e.g. -XX:TieredStopAtLevel=4 for C2; it overrides the image's baked C1-only option).
# Usage: bench/tls-over-time.sh [minutes, default 10]   (after ./mvnw -B package -DskipTests; needs go, openssl,
#        curl, taskset; IMAGE=<dir> another image; DELAY_MS (10) the server's delay)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
image=${IMAGE:-jlink/target/image}
delay_ms=${DELAY_MS:-10}
n=10
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
. bench/lib/ports.sh
. bench/lib/check-bench.sh
build_go_reference "$work"
bench_cert "$work"
taskset -c 1 "$work/goref" server -delay "${delay_ms}ms" -cert "$work/cert.pem" -key "$work/key.pem" >"$work/server.out" 2>&1 &
pids+=($!)
until grep -qs listening "$work/server.out"; do sleep 0.1; done
read -r _ addr _ _ < "$work/server.out"
checks=""; for i in $(seq 1 $n); do checks="$checks|n$i:https://$addr/alwayshappy"; done
port=$(free_port)
env -i ${JDK_JAVA_OPTIONS:+JDK_JAVA_OPTIONS="$JDK_JAVA_OPTIONS"} KUBENURSE_HTTP_PORT=$port KUBENURSE_CHECK_INTERVAL=250ms \
  KUBENURSE_SHUTDOWN_DURATION=0s KUBENURSE_LOG_LEVEL=debug KUBENURSE_EXTRA_CA="$work/cert.pem" \
  KUBENURSE_EXTRA_CHECKS="${checks#|}" taskset -c 0 "$image/bin/kubenurse" >"$work/image.log" 2>&1 &
image_pid=$!; pids+=($image_pid)
until curl -s -o /dev/null "http://127.0.0.1:$port/alwayshappy"; do sleep 0.1; done
hz=$(getconf CLK_TCK)
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u '+%F %H:%M') UTC; image $image;" \
  "JDK_JAVA_OPTIONS: ${JDK_JAVA_OPTIONS:-none}; 10 TLS checks every 250 ms, server delay $delay_ms ms"
echo "| minute | CPU per cycle | error mean / p99 | RSS | load |"
echo "|---|---|---|---|---|"
t0=$(ticks $image_pid) c0=$(image_cycles $port $n) l0=$(wc -l < "$work/image.log")
for minute in $(seq 1 "$minutes"); do
  sleep 60
  t1=$(ticks $image_pid) c1=$(image_cycles $port $n) l1=$(wc -l < "$work/image.log")
  err=$(sed -n "$((l0 + 1)),${l1}p" "$work/image.log" | grep 'event=check_done' | sed -n 's/.*response_ms=\([0-9.]*\).*/\1/p' |
    duration_errors "$delay_ms" | awk '{ printf "%s / %s ms (%d checks)", $1, $3, $4 }')
  printf '| %d | %.2f ms (%d cycles) | %s | %.1f MiB | %s |\n' "$minute" \
    "$(echo "($t1 - $t0) * 1000 / $hz / ($c1 - $c0)" | bc -l)" $((c1 - c0)) "$err" \
    "$(awk '/VmRSS/ {print $2 / 1024}' /proc/$image_pid/status)" "$(cut -d' ' -f1 /proc/loadavg)"
  t0=$t1 c0=$c1 l0=$l1
done
if grep -q 'level=warn\|level=error' "$work/image.log"; then echo "the image reported problems:"; grep 'level=warn\|level=error' "$work/image.log" | head -5; fi
