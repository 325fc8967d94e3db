#!/usr/bin/env bash
# Soak: the linked image in local mode for SECONDS (default 3600), checking every second a healthy target,
# a refusing one (nothing listens) and a hung one (accepts, never answers: bench/lib/hung_server.py), while
# /alive is polled 10 times a second on fresh connections (bench/lib/alive_poller.py). Prints the image's
# VmRSS, VmHWM, thread count and open fds at the start, every 5 minutes (SOAK_REPORT_EVERY seconds) and at
# the end, with the polls so far, their errors and the rate achieved; then the CPU used, the log's warn and
# error lines and the checks' last results. Steady numbers are the point: growth over the hour is a leak.
# Usage: bench/soak.sh [seconds, default 3600]   (after ./mvnw -B package -DskipTests; needs python3, curl;
#        SOAK_IMAGE=<dir> soaks a copy of the image, so that builds meanwhile do not touch it)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-3600}
every=${SOAK_REPORT_EVERY:-300}
rate=10
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
. bench/lib/ports.sh
healthy=$(free_port) refused=$(free_port) hung=$(free_port) port=$(free_port)
python3 bench/lib/delay_server.py "$healthy" 0 & pids+=($!)
python3 bench/lib/hung_server.py "$hung" & pids+=($!)
env -i KUBENURSE_HTTP_PORT=$port KUBENURSE_CHECK_INTERVAL=1s \
  KUBENURSE_EXTRA_CHECKS="healthy:http://127.0.0.1:$healthy/|refused:http://127.0.0.1:$refused/|hung:http://127.0.0.1:$hung/" \
  "${SOAK_IMAGE:-jlink/target/image}/bin/kubenurse" >"$work/log" 2>&1 &
image=$!; pids+=($image)
died() { echo "the image exited ($(wait $image; echo $?)) after $(( $(date +%s) - began )) s; its log ends:"; tail -20 "$work/log"; exit 1; }
began=$(date +%s)
until curl -s -o /dev/null "http://127.0.0.1:$port/alwayshappy"; do kill -0 $image 2>/dev/null || died; sleep 0.1; done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u +%F); soak of $seconds s," \
  "checks every 1 s: healthy :$healthy, refused :$refused, hung :$hung; /alive polled $rate/s"

report() {
  local status=/proc/$image/status
  printf '%-8s RSS %s, VmHWM %s, threads %s, open fds %s; %s\n' "$1" \
    "$(awk '/VmRSS/ {printf "%.1f MiB", $2 / 1024}' $status)" "$(awk '/VmHWM/ {printf "%.1f MiB", $2 / 1024}' $status)" \
    "$(awk '/Threads/ {print $2}' $status)" "$(ls /proc/$image/fd | wc -l)" "$(cat "$work/polls" 2>/dev/null || echo 'no polls yet')"
}

start_ticks=$(awk '{print $14 + $15}' /proc/$image/stat)
report "start:"
python3 bench/lib/alive_poller.py "http://127.0.0.1:$port/alive" $rate "$seconds" "$work/polls" >"$work/poller" 2>&1 &
poller=$!; pids+=($poller)
t0=$(date +%s)
elapsed=0
while [ "$elapsed" -lt "$seconds" ]; do
  step=$(( every - elapsed % every )); [ $(( elapsed + step )) -gt "$seconds" ] && step=$(( seconds - elapsed ))
  for _ in $(seq 1 "$step"); do kill -0 $image 2>/dev/null || died; sleep 1; done
  elapsed=$(( $(date +%s) - t0 ))
  [ "$elapsed" -lt "$seconds" ] && report "${elapsed} s:"
done
wait $poller || { echo "the poller failed:"; cat "$work/poller"; exit 1; }
kill -0 $image 2>/dev/null || died
cp "$work/poller" "$work/polls"
report "end:"
ticks=$(( $(awk '{print $14 + $15}' /proc/$image/stat) - start_ticks ))
echo "CPU: $(echo "scale=1; $ticks / 100" | bc) s in $elapsed s = $(echo "scale=1; $ticks / $elapsed" | bc) % of one core"
echo "log: $(wc -l < "$work/log") lines, $(grep -c ' level=warn ' "$work/log" || true) warn, $(grep -c ' level=error ' "$work/log" || true) error," \
  "$(grep -c 'Exception in thread' "$work/log" || true) uncaught exceptions"
grep -E ' level=(warn|error) ' "$work/log" | sed -E 's/^time=[^ ]+ //; s/[0-9]+(\.[0-9]+)?/N/g' | sort | uniq -c | sort -rn | head -5 || true
echo "last check results: $(curl -s --max-time 5 "http://127.0.0.1:$port/alive" \
  | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["last_check_result"], sort_keys=True))')"
