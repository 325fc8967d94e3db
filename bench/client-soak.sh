#!/usr/bin/env bash
# Soak of the check clients (issue: given-up clients must not stay in memory): the linked image in local mode
# for SECONDS (default 3600), 10 extra checks every second: 8 answered over HTTP/1.0 without "Connection: close"
# (python3 -m http.server, which closes after each response without saying so), 1 refused, 1 accepted and
# never answered; plus a "flapping" check whose server is stopped from minute 10 to minute 20 (refused) and then
# answers again; /alive polled 10 times a second. Prints VmRSS, threads and fds every minute (SOAK_REPORT_EVERY),
# and at the end the live java.net.http clients (jcmd class histogram; taken only at the end, as it collects).
# Usage: bench/client-soak.sh [seconds, default 3600]   (after ./mvnw -B package -DskipTests; python3, curl;
#        SOAK_IMAGE=<dir> soaks a copy of the image, so that builds meanwhile do not touch it)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-3600}
every=${SOAK_REPORT_EVERY:-60}
down_from=${SOAK_FLAP_FROM:-600} down_until=${SOAK_FLAP_UNTIL:-1200}
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
. bench/lib/ports.sh
. bench/lib/live_clients.sh
answering=$(free_port) flapping=$(free_port) refused=$(free_port) hung=$(free_port) port=$(free_port)
mkdir "$work/www" && touch "$work/www/alwayshappy"
python3 -m http.server -b 127.0.0.1 -d "$work/www" "$answering" >/dev/null 2>&1 & pids+=($!)
python3 -m http.server -b 127.0.0.1 -d "$work/www" "$flapping" >/dev/null 2>&1 & flap=$!; pids+=($flap)
python3 bench/lib/hung_server.py "$hung" & pids+=($!)
checks="refused:http://127.0.0.1:$refused/alwayshappy|hung:http://127.0.0.1:$hung/alwayshappy"
checks="$checks|flapping:http://127.0.0.1:$flapping/alwayshappy"
for i in $(seq 1 8); do checks="$checks|http10_$i:http://127.0.0.1:$answering/alwayshappy"; done
env -i KUBENURSE_HTTP_PORT=$port KUBENURSE_CHECK_INTERVAL=1s KUBENURSE_EXTRA_CHECKS="$checks" \
  KUBENURSE_CHECK_ME_SERVICE=false KUBENURSE_CHECK_ME_INGRESS=false \
  "${SOAK_IMAGE:-jlink/target/image}/bin/kubenurse" >"$work/log" 2>&1 &
image=$!; pids+=($image)
died() { echo "the image exited ($(wait $image; echo $?)) after $(( $(date +%s) - began )) s; its log ends:"; tail -20 "$work/log"; exit 1; }
began=$(date +%s)
until curl -s -o /dev/null "http://127.0.0.1:$port/alwayshappy"; do kill -0 $image 2>/dev/null || died; sleep 0.1; done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg);" \
  "$(date -u '+%F %H:%M') UTC; client soak of $seconds s: 11 checks every 1 s (8 HTTP/1.0, refused, hung," \
  "flapping: down from $down_from s to $down_until s); /alive polled 10/s"
report() {
  local status=/proc/$image/status
  printf '%-8s RSS %s, threads %s, fds %s, load %s, flapping=%s\n' "$1" \
    "$(awk '/VmRSS/ {printf "%.1f MiB", $2 / 1024}' $status)" "$(awk '/Threads/ {print $2}' $status)" \
    "$(ls /proc/$image/fd | wc -l)" "$(cut -d' ' -f1 /proc/loadavg)" \
    "$(curl -s --max-time 5 "http://127.0.0.1:$port/alive" | python3 -c 'import json, sys; print(json.load(sys.stdin)["last_check_result"].get("flapping"))' 2>/dev/null | tr ' ' '_')"
}
report "start:"
python3 bench/lib/alive_poller.py "http://127.0.0.1:$port/alive" 10 "$seconds" "$work/polls" >"$work/poller" 2>&1 &
poller=$!; pids+=($poller)
t0=$(date +%s) elapsed=0 flap_state=up
while [ "$elapsed" -lt "$seconds" ]; do
  sleep 1
  kill -0 $image 2>/dev/null || died
  elapsed=$(( $(date +%s) - t0 ))
  if [ $flap_state = up ] && [ "$elapsed" -ge "$down_from" ] && [ "$elapsed" -lt "$down_until" ]; then
    kill $flap; flap_state=down
  elif [ $flap_state = down ] && [ "$elapsed" -ge "$down_until" ]; then
    python3 -m http.server -b 127.0.0.1 -d "$work/www" "$flapping" >/dev/null 2>&1 & flap=$!; pids+=($flap); flap_state=up
  fi
  [ $(( elapsed % every )) -eq 0 ] && [ "$elapsed" -lt "$seconds" ] && report "${elapsed} s:"
done
wait $poller || true
report "end:"
echo "live java.net.http objects at the end (11 checks): $(live_clients $image)"
echo "polls: $(cat "$work/poller")"
echo "log: $(wc -l < "$work/log") lines, $(grep -c ' level=warn ' "$work/log" || true) warn, $(grep -c ' level=error ' "$work/log" || true) error"
