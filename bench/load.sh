#!/usr/bin/env bash
# Load: wrk with CONNECTIONS connections for DURATION against /alwayshappy and then /alive of the linked
# image (local mode, me_service and one extra check every second). Prints wrk's requests per second,
# latency and errors, the image's peak RSS during each run, and the jitter of the check schedule: the
# extra check's target (bench/lib/delay_server.py) notes when each check arrives, and the gaps between
# arrivals are compared with the 1 s interval, at rest and under each load.
# Usage: bench/load.sh [connections, default 200] [duration, default 30s]
#        (after ./mvnw -B package -DskipTests; needs wrk and python3)
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-200}
duration=${2:-30s}
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
. bench/lib/ports.sh
target=$(free_port) port=$(free_port)
python3 bench/lib/delay_server.py "$target" 0 "$work/arrivals" & pids+=($!)
env -i ${JDK_JAVA_OPTIONS:+JDK_JAVA_OPTIONS="$JDK_JAVA_OPTIONS"} KUBENURSE_HTTP_PORT=$port KUBENURSE_CHECK_INTERVAL=1s \
  KUBENURSE_SERVICE_URL="http://127.0.0.1:$port" KUBENURSE_EXTRA_CHECKS="scheduled:http://127.0.0.1:$target/" \
  jlink/target/image/bin/kubenurse >"$work/log" 2>&1 &
image=$!; pids+=($image)
until curl -s -o /dev/null "http://127.0.0.1:$port/alwayshappy"; do sleep 0.1; done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u +%F); $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"

# the gaps between check arrivals from line $1 on, against the 1 s interval
jitter() {
  tail -n +"$1" "$work/arrivals" | awk 'NR > 1 { d = ($1 - prev) * 1000 - 1000; if (d < 0) d = -d; n++; s += d; if (d > m) m = d }
    { prev = $1 } END { if (n) printf "%d gaps, mean |gap - 1 s| %.1f ms, max %.1f ms", n, s / n, m; else printf "no gaps" }'
}
peak_rss() {
  local peak=0 rss
  while kill -0 "$1" 2>/dev/null; do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$image/status"); [ "$rss" -gt "$peak" ] && peak=$rss
    sleep 0.5
  done
  echo "$((peak / 1024)) MiB"
}

sleep 10
echo "at rest: schedule jitter: $(jitter 1); RSS $(awk '/VmRSS/ {print int($2 / 1024)}' /proc/$image/status) MiB"
for path in /alwayshappy /alive; do
  from=$(( $(wc -l < "$work/arrivals") + 1 ))
  wrk -t2 -c"$connections" -d"$duration" --latency "http://127.0.0.1:$port$path" >"$work/wrk" 2>&1 &
  load=$!
  peak=$(peak_rss $load)
  wait $load
  errors=$(grep -E 'Non-2xx|Socket errors' "$work/wrk" | tr -s ' ' | paste -sd';' || true)
  echo "$path: $(awk '/Requests\/sec/ {print $2}' "$work/wrk") requests/s, latency $(awk '$1 == "50%" {print "p50 " $2} $1 == "99%" {print "p99 " $2}' "$work/wrk" | paste -sd' ');" \
    "errors: ${errors:-none}; peak RSS $peak; schedule jitter: $(jitter "$from")"
done
kill -0 $image 2>/dev/null || { echo "the image died:"; cat "$work/log"; exit 1; }
grep -E 'level=(warn|error)' "$work/log" | head -5 || true
