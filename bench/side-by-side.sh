#!/usr/bin/env bash
# Side by side with Go: a client shaped like upstream kubenurse's check transport (bench/go-reference:
# net/http, keep-alives off, 5 s dial, 6 s timeout, timed from the request's start to its response headers)
# and the linked image check the same Go server, which answers after a known delay, in one run: plain
# HTTP and TLS, one check per cycle and 10 at once, each client pinned to one core (taskset). For each:
#   CPU per cycle: the client's process CPU time (/proc/PID/stat) over the cycles it COMPLETED in the
#     window (Go: its "cycle" lines; the image: the least kubenurse_httpclient_requests_total of its checks);
#   mean, p50 and p99 of reported minus true duration over the checks of the window (Go: its "check" lines;
#     the image: the debug log's response_ms, the value its duration histogram records);
#   what the server saw over the client's whole run: requests, connections and, with TLS, full handshakes
#     and resumed sessions (every check must be a fresh connection with a full handshake);
# then curl (fresh connection, one at a time, time to first byte) on the same URL, and the ratios image/Go.
# Usage: bench/side-by-side.sh [cycles, default 300] [interval, default 250ms]
#   DELAY_MS (10) the server's delay; WARMUP (40) cycles not counted; SCENARIOS ("http:1 http:10 https:1
#   https:10"); CLIENT_CPU (0) the core of both clients and curl; SERVER_CPU (1) the server's core;
#   JDK_JAVA_OPTIONS: more options for the image's JVM, e.g. -Djdk.httpclient.allowRestrictedHeaders=connection
#   (one long-lived client per check); KUBENURSE_REUSE_CONNECTIONS; IMAGE (jlink/target/image) another image;
#   IMAGE_ENV ("VAR=value ...") more environment for the image, e.g. SSL_CERT_FILE=<a smaller CA bundle>.
# Needs: ./mvnw -B package -DskipTests, go (Debian: apt-get install -y golang-go), openssl, curl, taskset, bc.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
cycles=${1:-300}
interval=${2:-250ms}
interval_ms=${interval%ms}
delay_ms=${DELAY_MS:-10}
warmup=${WARMUP:-40}
scenarios=${SCENARIOS:-http:1 http:10 https:1 https:10}
client_cpu=${CLIENT_CPU:-0}
server_cpu=${SERVER_CPU:-1}
image=${IMAGE:-jlink/target/image}
java_options=${JDK_JAVA_OPTIONS:-}
unset JDK_JAVA_OPTIONS
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
trap 'echo "side-by-side.sh: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
. bench/lib/ports.sh
. bench/lib/check-bench.sh
command -v go >/dev/null || { echo "needs go (Debian: apt-get install -y golang-go)"; exit 1; }
[ -x $image/bin/java ] || { echo "needs the image: ./mvnw -B package -DskipTests"; exit 1; }
build_go_reference "$work"
bench_cert "$work"
hz=$(getconf CLK_TCK)
sleep_ms() { sleep "$(echo "scale=3; $1 / 1000" | bc)"; }
# the server's counters as "requests connections full resumed"
stats() { curl -s "http://$1/" | sed -E 's/.*"requests":([0-9]+),"connections":([0-9]+),"tls_full_handshakes":([0-9]+),"tls_resumed":([0-9]+).*/\1 \2 \3 \4/'; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //');" \
  "$(date -u '+%F %H:%M') UTC; $($image/bin/java -version 2>&1 | head -1); $(go version | cut -d' ' -f3)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); clients on core $client_cpu, server on core $server_cpu;" \
  "delay $delay_ms ms; $cycles cycles every $interval after $warmup of warm-up; image $image, its JVM's extra options: ${java_options:-none}"

declare -A server_addr server_stats
for scheme in http https; do
  tls_args=(); [ "$scheme" = https ] && tls_args=(-cert "$work/cert.pem" -key "$work/key.pem")
  taskset -c "$server_cpu" "$work/goref" server -delay "${delay_ms}ms" "${tls_args[@]}" >"$work/server-$scheme.out" 2>&1 &
  pids+=($!)
  until grep -qs listening "$work/server-$scheme.out"; do sleep 0.1; done
  read -r _ server_addr[$scheme] _ server_stats[$scheme] < "$work/server-$scheme.out"
done

results=()
# measure NAME PID CYCLES_FN LOG_LINES_FN: sleeps through warm-up and window, sets cpu, done_cycles, and the window's log lines
measure() {
  local pid=$2 count=$3 lines=$4 c0 t0 l0
  sleep_ms $((warmup * interval_ms))
  $count >/dev/null; sleep 1 # the image answers its first /metrics before the window
  t0=$(ticks "$pid"); c0=$($count); l0=$($lines)
  sleep_ms $((cycles * interval_ms))
  c1=$($count); l1=$($lines); t1=$(ticks "$pid")
  kill -0 "$pid" 2>/dev/null || { echo "$1 ended early"; exit 1; }
  done_cycles=$((c1 - c0)); used=$((t1 - t0))
  cpu=$(printf '%.2f' "$(echo "scale=4; $used * 1000 / $hz / $done_cycles" | bc)")
  window="$l0 $l1"
}
row() { # name cpu "mean p50 p99 n" server-summary
  printf '  %-10s CPU per cycle %7s ms (%s completed cycles); error mean %s ms, p50 %s ms, p99 %s ms (%s checks); server saw: %s\n' \
    "$1" "$2" "$done_cycles" $3 "$4"; }

for scenario in $scenarios; do
  scheme=${scenario%%:*} n=${scenario##*:}
  url="$scheme://${server_addr[$scheme]}/alwayshappy"
  echo "$scheme, $n check(s) per cycle ($url):"
  # --- Go
  s0=$(stats "${server_stats[$scheme]}")
  taskset -c "$client_cpu" "$work/goref" client -interval "$interval" -checks "$n" -ca "$work/cert.pem" "$url" \
    >"$work/go.out" 2>"$work/go.err" & go_pid=$!; pids+=($go_pid)
  go_cycles() { grep -c '^cycle' "$work/go.out" || true; }
  go_lines() { wc -l < "$work/go.out"; }
  measure go $go_pid go_cycles go_lines
  kill $go_pid; wait $go_pid 2>/dev/null || true
  s1=$(stats "${server_stats[$scheme]}")
  [ ! -s "$work/go.err" ] || { echo "the Go client reported problems:"; head "$work/go.err"; exit 1; }
  go_err=$(sed -n "$((${window% *} + 1)),${window#* }p" "$work/go.out" | sed -n 's/^check ms=//p' | duration_errors "$delay_ms")
  go_cpu=$cpu
  read -r r0 k0 f0 z0 <<<"$s0"; read -r r1 k1 f1 z1 <<<"$s1"
  go_server="$((r1 - r0)) requests, $((k1 - k0)) connections"
  [ "$scheme" = https ] && go_server="$go_server, $((f1 - f0)) full TLS handshakes, $((z1 - z0)) resumed"
  row go "$go_cpu" "$go_err" "$go_server"
  # --- the image
  checks=""; for i in $(seq 1 "$n"); do checks="$checks|n$i:$url"; done
  port=$(free_port)
  s0=$(stats "${server_stats[$scheme]}")
  env -i ${java_options:+JDK_JAVA_OPTIONS="$java_options"} KUBENURSE_HTTP_PORT=$port KUBENURSE_CHECK_INTERVAL=$interval \
    KUBENURSE_SHUTDOWN_DURATION=0s KUBENURSE_LOG_LEVEL=debug KUBENURSE_REUSE_CONNECTIONS=${KUBENURSE_REUSE_CONNECTIONS:-false} \
    KUBENURSE_EXTRA_CA="$work/cert.pem" KUBENURSE_EXTRA_CHECKS="${checks#|}" ${IMAGE_ENV:-} \
    taskset -c "$client_cpu" $image/bin/kubenurse >"$work/image.log" 2>&1 & image_pid=$!; pids+=($image_pid)
  until curl -s -o /dev/null "http://127.0.0.1:$port/alive"; do sleep 0.1; done
  ours_cycles() { image_cycles "$port" "$n"; }
  ours_lines() { wc -l < "$work/image.log"; }
  measure image $image_pid ours_cycles ours_lines
  rss=$(awk '/VmRSS/ {print $2 / 1024}' "/proc/$image_pid/status")
  kill $image_pid; wait $image_pid 2>/dev/null || true
  s1=$(stats "${server_stats[$scheme]}")
  if grep -q 'level=warn\|level=error' "$work/image.log"; then echo "the image reported problems:"; grep 'level=warn\|level=error' "$work/image.log" | head; exit 1; fi
  ours_err=$(sed -n "$((${window% *} + 1)),${window#* }p" "$work/image.log" | grep 'event=check_done' |
    sed -n 's/.*response_ms=\([0-9.]*\).*/\1/p' | duration_errors "$delay_ms")
  ours_cpu=$cpu
  read -r r0 k0 f0 z0 <<<"$s0"; read -r r1 k1 f1 z1 <<<"$s1"
  ours_server="$((r1 - r0)) requests, $((k1 - k0)) connections"
  [ "$scheme" = https ] && ours_server="$ours_server, $((f1 - f0)) full TLS handshakes, $((z1 - z0)) resumed"
  row kubenurse "$ours_cpu" "$ours_err" "$ours_server; RSS at the end ${rss%.*} MB"
  # --- curl, one at a time
  cacert=(); [ "$scheme" = https ] && cacert=(--cacert "$work/cert.pem")
  curl_err=$(for _ in $(seq 1 100); do taskset -c "$client_cpu" curl -s "${cacert[@]}" -o /dev/null -w '%{time_starttransfer}\n' "$url"; sleep 0.02; done |
    awk '{ print $1 * 1000 }' | duration_errors "$delay_ms")
  read -r cm c50 c99 _ <<<"$curl_err"
  echo "  curl       one at a time: error mean $cm ms, p50 $c50 ms, p99 $c99 ms"
  read -r gm g50 g99 _ <<<"$go_err"; read -r om o50 o99 _ <<<"$ours_err"
  ratio() { printf '%.1f' "$(echo "scale=3; $1 / $2" | bc -l 2>/dev/null || echo 0)"; }
  echo "  kubenurse/go: CPU per cycle $(ratio "$ours_cpu" "$go_cpu")x, mean $(ratio "$om" "$gm")x, p50 $(ratio "$o50" "$g50")x, p99 $(ratio "$o99" "$g99")x"
  results+=("| $scheme, $n per cycle | $go_cpu / $ours_cpu ms ($(ratio "$ours_cpu" "$go_cpu")x) | $gm / $om ms ($(ratio "$om" "$gm")x) | $g50 / $o50 ms | $g99 / $o99 ms ($(ratio "$o99" "$g99")x) | $cm / $c99 ms |")
done
echo
echo "| scenario | CPU per cycle, Go / ours | mean error, Go / ours | p50 | p99, Go / ours | curl mean / p99 |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${results[@]}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
