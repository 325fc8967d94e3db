#!/usr/bin/env bash
# Measurement error: the linked image checks a local server that answers after a known delay; each run's
# reported duration (the debug log's response_ms, the value kubenurse_httpclient_request_duration_seconds
# records) minus the true delay. Prints mean, p50, p99 and max of the error, and the mean relative error.
# Usage: bench/measurement-error.sh [delays in ms, default "0 10 100"] [checks per delay, default 200]
#        (after ./mvnw -B package -DskipTests; needs python3)
set -euo pipefail
cd "$(dirname "$0")/.."
delays=${1:-0 10 100}
checks=${2:-200}
work=$(mktemp -d)
pids=()
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u +%F); $(jlink/target/image/bin/java -version 2>&1 | head -1)"
for delay in $delays; do
  server_port=$(free_port) port=$(free_port)
  python3 bench/lib/delay_server.py "$server_port" "$delay" & pids+=($!)
  env -i ${JDK_JAVA_OPTIONS:+JDK_JAVA_OPTIONS="$JDK_JAVA_OPTIONS"} KUBENURSE_HTTP_PORT=$port KUBENURSE_CHECK_INTERVAL=250ms \
    KUBENURSE_LOG_LEVEL=debug ${KUBENURSE_REUSE_CONNECTIONS:+KUBENURSE_REUSE_CONNECTIONS=$KUBENURSE_REUSE_CONNECTIONS} KUBENURSE_EXTRA_CHECKS="delayed:http://127.0.0.1:$server_port/" \
    jlink/target/image/bin/kubenurse >"$work/log-$delay" 2>&1 & pids+=($!)
  # 10 warm-up runs are not counted: a new JVM's first requests run interpreted code
  until [ "$(grep -ac 'type=delayed result="ok"' "$work/log-$delay" || true)" -ge $((checks + 10)) ]; do sleep 0.5; done
  kill "${pids[-1]}" "${pids[-2]}"
  grep -a 'type=delayed result="ok"' "$work/log-$delay" | sed -E 's/.*response_ms=([0-9.]+).*/\1/' | tail -n +11 | head -n "$checks" |
    sort -n | awk -v d="$delay" '{ e[NR] = $1 - d; s += $1 - d } END {
      n = NR; i99 = int(n * 0.99); if (i99 < 1) i99 = 1; i50 = int(n * 0.5); if (i50 < 1) i50 = 1
      rel = (d > 0) ? sprintf("%.1f %%", 100 * (s / n) / d) : "n/a"
      printf "delay %4d ms: %d checks, error mean %.2f ms, p50 %.2f ms, p99 %.2f ms, max %.2f ms; mean relative error %s\n", d, n, s / n, e[i50], e[i99], e[n], rel }'
done
