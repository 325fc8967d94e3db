#!/usr/bin/env bash
# Resident memory and CPU at steady state: the linked image checking every second, on fresh connections, for
# SECONDS (default 300), in one of two modes (STEADY_MODE):
# - local (default): 10 extra checks of its own /alwayshappy plus me_service (11 checks a second);
# - cluster: as pod-a against a stub API server over HTTPS with a throwaway CA (kubenurse.image.fixture.StubCluster) that
#   lists 10 neighbours (127.0.0.2-11, answered by the image itself), so 10 neighbour checks, the API server
#   direct and by name (TLS, a full handshake each) and me_service (13 checks a second), with discovery watching.
# Usage: bench/steady-state.sh [seconds]   (after ./mvnw -B package -DskipTests; JDK_JAVA_OPTIONS are added
#        after the image's own JVM options; STEADY_IMAGE=<dir> measures another image, STEADY_ENV="VAR=value"
#        adds to its environment)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
image=${STEADY_IMAGE:-jlink/target/image}
. bench/lib/ports.sh
. bench/lib/stub-cluster.sh
port=$(free_port)
mode=${STEADY_MODE:-local}
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
env=()
if [ "$mode" = cluster ]; then
  start_stub_cluster "$work" 10
  env=("${cluster_env[@]}")
  per_second=13
else
  checks=""
  for i in $(seq 1 10); do checks="$checks|n$i:http://127.0.0.1:$port/alwayshappy"; done
  env=("KUBENURSE_EXTRA_CHECKS=${checks#|}")
  per_second=11
fi
env -i ${JDK_JAVA_OPTIONS:+JDK_JAVA_OPTIONS="$JDK_JAVA_OPTIONS"} KUBENURSE_HTTP_PORT=$port KUBENURSE_CHECK_INTERVAL=1s "${env[@]}" \
  KUBENURSE_SERVICE_URL=http://localhost:$port ${STEADY_ENV:-} "$image/bin/kubenurse" >"$work/log" 2>&1 &
pid=$!
pids+=($pid)
sleep 2
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u '+%F %H:%M'); uptime:$(uptime | sed 's/.*load/ load/')"
echo "image: $image ($(du -sm "$image" | cut -f1) MB); its flags: $("$image/bin/java" -XX:+PrintCommandLineFlags -version 2>/dev/null | head -1)"
echo "JDK_JAVA_OPTIONS: ${JDK_JAVA_OPTIONS:-(none)}; extra environment: ${STEADY_ENV:-(none)}"
echo "running $seconds s in $mode mode: $per_second checks per second"
# RSS moves with the heap's collections: sample it every second over the last minute (or the whole run)
window=$(( seconds < 60 ? seconds : 60 ))
sleep $(( seconds - window ))
samples=()
for _ in $(seq 1 "$window"); do sleep 1; samples+=($(awk '/VmRSS/ {print $2}' /proc/$pid/status)); done
ticks=$(awk '{print $14 + $15}' /proc/$pid/stat)
echo "uptime:$(uptime | sed 's/.*load/ load/')"
echo "after ${seconds} s: RSS $(awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' /proc/$pid/status)," \
  "peak $(awk '/VmHWM/ {printf "%.1f MiB", $2/1024}' /proc/$pid/status)," \
  "threads $(awk '/Threads/ {print $2}' /proc/$pid/status), open fds $(ls /proc/$pid/fd | wc -l)"
printf '%s\n' "${samples[@]}" | awk -v w="$window" '{s += $1; if (NR == 1 || $1 < lo) lo = $1; if ($1 > hi) hi = $1}
  END {printf "RSS over the last %d s (one sample a second): mean %.1f MiB, min %.1f, max %.1f\n", w, s / NR / 1024, lo / 1024, hi / 1024}'
echo "CPU: $(echo "scale=2; $ticks / 100" | bc) s in $((seconds + 2)) s = $(echo "scale=1; $ticks / ($seconds + 2)" | bc) % of one core," \
  "$(echo "scale=2; $ticks * 10 / (($seconds + 2) * $per_second)" | bc) ms per check"
curl -s localhost:$port/metrics | grep -E '^process_(resident_memory_bytes|cpu_seconds_total)'
echo "last check results: $(curl -s --max-time 5 "http://127.0.0.1:$port/alive" | tr -d ' \n' | grep -o '"last_check_result":{[^}]*}' | cut -c1-400)"
