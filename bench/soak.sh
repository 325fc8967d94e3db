#!/usr/bin/env bash
# Soak: the linked image in local mode for SECONDS (default 3600), checking every second SOAK_HEALTHY healthy
# targets (default 1; all answered by one bench/lib/delay_server.py), a refusing one (nothing listens) and a hung
# one (accepts, never answers: bench/lib/hung_server.py), while /alive is polled 10 times a second on fresh
# connections (bench/lib/alive_poller.py). Prints the image's VmRSS (anonymous + file-backed), VmHWM, thread
# count, open fds and the load average at the start, every 5 minutes (SOAK_REPORT_EVERY seconds) and at the end,
# with the polls so far, their errors and the rate achieved; then the CPU used, the log's warn and error lines
# and the checks' last results. Steady numbers are the point: growth over the hour is a leak.
# Issue 23's shape (10 extra checks: 8 answering, 1 refused, 1 hung; RSS every minute):
#   SOAK_HEALTHY=8 SOAK_REPORT_EVERY=60 bench/soak.sh 3600
# Usage: bench/soak.sh [seconds, default 3600]   (after ./mvnw -B package -DskipTests; needs python3, curl;
#        SOAK_IMAGE=<dir> soaks a copy of the image, so that builds meanwhile do not touch it; SOAK_ENV="VAR=value ..."
#        adds to its environment (split at spaces), e.g. JDK_JAVA_OPTIONS=-XX:NativeMemoryTracking=summary for
#        bench/mem-trend.sh;
#        SOAK_LOG=<file> keeps its log)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-3600}
every=${SOAK_REPORT_EVERY:-300}
healthy_checks=${SOAK_HEALTHY:-1}
rate=10
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; [ -z "${SOAK_LOG:-}" ] || cp "$work/log" "$SOAK_LOG"; rm -rf "$work"' EXIT
. bench/lib/ports.sh
healthy=$(free_port) refused=$(free_port) hung=$(free_port) port=$(free_port)
python3 bench/lib/delay_server.py "$healthy" 0 & pids+=($!)
python3 bench/lib/hung_server.py "$hung" & pids+=($!)
# one healthy check is "healthy" (as before the knob), several are healthy_1..N
checks="healthy:http://127.0.0.1:$healthy/"
if [ "$healthy_checks" -ne 1 ]; then
  checks=""
  for i in $(seq 1 "$healthy_checks"); do checks="${checks}healthy_$i:http://127.0.0.1:$healthy/|"; done
  checks=${checks%|}
fi
env -i KUBENURSE_HTTP_PORT=$port KUBENURSE_CHECK_INTERVAL=1s \
  KUBENURSE_EXTRA_CHECKS="${checks:+$checks|}refused:http://127.0.0.1:$refused/|hung:http://127.0.0.1:$hung/" \
  ${SOAK_ENV:-} "${SOAK_IMAGE:-jlink/target/image}/bin/kubenurse" >"$work/log" 2>&1 &
image=$!; pids+=($image)
died() { echo "the image exited ($(wait $image; echo $?)) after $(( $(date +%s) - began )) s; its log ends:"; tail -20 "$work/log"; exit 1; }
began=$(date +%s)
until curl -s -o /dev/null "http://127.0.0.1:$port/alwayshappy"; do kill -0 $image 2>/dev/null || died; sleep 0.1; done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u '+%F %H:%M') UTC; soak of $seconds s," \
  "checks every 1 s: $healthy_checks healthy :$healthy, refused :$refused, hung :$hung; /alive polled $rate/s;" \
  "image ${SOAK_IMAGE:-jlink/target/image} (pid $image); extra environment: ${SOAK_ENV:-(none)}"

report() {
  local status=/proc/$image/status
  printf '%-8s RSS %s (anon %s, file %s), VmHWM %s, threads %s, open fds %s, load %s; %s\n' "$1" \
    "$(awk '/VmRSS/ {printf "%.1f MiB", $2 / 1024}' $status)" "$(awk '/RssAnon/ {printf "%.1f", $2 / 1024}' $status)" \
    "$(awk '/RssFile/ {printf "%.1f", $2 / 1024}' $status)" "$(awk '/VmHWM/ {printf "%.1f MiB", $2 / 1024}' $status)" \
    "$(awk '/Threads/ {print $2}' $status)" "$(ls /proc/$image/fd | wc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)" \
    "$(cat "$work/polls" 2>/dev/null || echo 'no polls yet')"
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
