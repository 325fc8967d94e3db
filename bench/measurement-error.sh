#!/usr/bin/env bash
# Measurement error: the linked image checks a local server that answers after a known delay; each run's
# reported duration (the debug log's response_ms, the value kubenurse_httpclient_request_duration_seconds
# records) minus the true delay. Prints mean, p50, p99 and max of the error, and the mean relative error.
# With NETNS=1 (root, iproute2) the delay is on the network instead: the server runs in a network
# namespace behind a veth pair, and a relay there (bench/lib/delay_relay.py; no netem on this kernel)
# holds each request's bytes for the delay, so the check crosses a real link and meets the delay once.
# Usage: [NETNS=1] bench/measurement-error.sh [delays in ms, default "0 10 100"] [checks per delay, default 200]
#        (after ./mvnw -B package -DskipTests; needs python3)
set -euo pipefail
cd "$(dirname "$0")/.."
delays=${1:-0 10 100}
checks=${2:-200}
work=$(mktemp -d)
pids=()
. bench/lib/ports.sh
ns=kn-bench-$$
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"; [ -z "${NETNS:-}" ] || ip netns del "$ns" 2>/dev/null || true' EXIT
if [ -n "${NETNS:-}" ]; then
  # a namespace with its end of a veth pair: 10.231.7.1 here, 10.231.7.2 there
  ip netns add "$ns"
  ip link add "kb$$h" type veth peer name "kb$$n"
  ip link set "kb$$n" netns "$ns"
  ip addr add 10.231.7.1/30 dev "kb$$h" && ip link set "kb$$h" up
  ip netns exec "$ns" ip addr add 10.231.7.2/30 dev "kb$$n"
  ip netns exec "$ns" ip link set "kb$$n" up
  ip netns exec "$ns" ip link set lo up
fi
# starts the server for a delay; sets url to what the image is to check
target() {
  if [ -n "${NETNS:-}" ]; then
    ip netns exec "$ns" python3 bench/lib/delay_server.py 8080 0 >/dev/null 2>&1 & pids+=($!)
    ip netns exec "$ns" python3 bench/lib/delay_relay.py 10.231.7.2 9000 127.0.0.1 8080 "$1" >/dev/null 2>&1 & pids+=($!)
    url="http://10.231.7.2:9000/"
  else
    local server_port
    server_port=$(free_port)
    python3 bench/lib/delay_server.py "$server_port" "$1" >/dev/null 2>&1 & pids+=($!)
    url="http://127.0.0.1:$server_port/"
  fi
}
where="in a local server"
[ -z "${NETNS:-}" ] || where="on a veth link (network namespace + relay)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u +%F);" \
  "$(jlink/target/image/bin/java -version 2>&1 | head -1); the delay $where"
for delay in $delays; do
  port=$(free_port)
  target "$delay"
  sleep 0.5 # the server and relay bind
  env -i ${JDK_JAVA_OPTIONS:+JDK_JAVA_OPTIONS="$JDK_JAVA_OPTIONS"} KUBENURSE_HTTP_PORT=$port KUBENURSE_CHECK_INTERVAL=250ms \
    KUBENURSE_LOG_LEVEL=debug ${KUBENURSE_REUSE_CONNECTIONS:+KUBENURSE_REUSE_CONNECTIONS=$KUBENURSE_REUSE_CONNECTIONS} KUBENURSE_EXTRA_CHECKS="delayed:$url" \
    jlink/target/image/bin/kubenurse >"$work/log-$delay" 2>&1 & pids+=($!)
  # 10 warm-up runs are not counted: a new JVM's first requests run interpreted code
  until [ "$(grep -ac 'type=delayed result="ok"' "$work/log-$delay" || true)" -ge $((checks + 10)) ]; do sleep 0.5; done
  # the same path measured by curl (fresh connection, time to the first response byte): what the server,
  # relay and link cost by themselves
  curl_error=$(for _ in $(seq 1 50); do curl -s -o /dev/null -w '%{time_starttransfer}\n' "$url"; sleep 0.05; done |
    awk -v d="$delay" '{ s += $1 * 1000 - d } END { printf "%.2f", s / NR }')
  kill "${pids[@]}" 2>/dev/null || true
  pids=()
  grep -a 'type=delayed result="ok"' "$work/log-$delay" | sed -E 's/.*response_ms=([0-9.]+).*/\1/' | tail -n +11 | head -n "$checks" |
    sort -n | awk -v d="$delay" '{ e[NR] = $1 - d; s += $1 - d } END {
      n = NR; i99 = int(n * 0.99); if (i99 < 1) i99 = 1; i50 = int(n * 0.5); if (i50 < 1) i50 = 1
      rel = (d > 0) ? sprintf("%.1f %%", 100 * (s / n) / d) : "n/a"
      printf "delay %4d ms: %d checks, error mean %.2f ms, p50 %.2f ms, p99 %.2f ms, max %.2f ms; mean relative error %s;", d, n, s / n, e[i50], e[i99], e[n], rel }'
  echo " curl on the same path: error mean $curl_error ms"
done
