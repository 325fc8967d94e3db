#!/usr/bin/env bash
# Trains the JDK 25 AOT cache (JEP 483/514) of a linked image and writes it into the image as
# lib/kubenurse.aot. The classes the training run loads and links are then mapped from the cache at start
# instead of being read, parsed and linked again (start-up and memory: BENCHMARKS.md sections 2 and 11).
# With a JDK and the jlink module's test class path, the training run is the image in cluster mode, as on a
# node: against a stub API server over HTTPS with a throwaway CA (kubenurse.image.fixture.StubCluster), it lists and
# watches nodes and pods, checks the API server (direct and by name, TLS), its two neighbours, its service
# and an extra check, and serves /alive, /metrics and /alwayshappy; without them, in local mode (the same,
# less discovery and the API server). The JVM writes the cache when the run stops on SIGTERM.
# The requests go through bash's /dev/tcp, as the container build has no curl.
# Usage: train-aot.sh IMAGE [JAVA_HOME TEST_CLASSPATH]
set -euo pipefail
image=$1
java_home=${2:-}
classpath=${3:-}
cache="$image/lib/kubenurse.aot"
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
rm -f "$cache"

get() {
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$1" >&3
  cat <&3
  exec 3<&-
}

# a port nobody answers on, from the kernel when a JDK is at hand
free_port() {
  if [ -n "$java_home" ]; then
    "$java_home/bin/java" -cp "$classpath" kubenurse.image.fixture.StubCluster --free-port
  else
    for candidate in $(seq 18205 18304); do
      if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then echo "$candidate"; return; fi
    done
    echo "AOT training: no free port in 18205-18304" >&2; return 1
  fi
}
port=$(free_port)

# the UDP probe on the same number: 8080 may be taken on a build machine (another kubenurse, a test's relay)
env=(KUBENURSE_HTTP_PORT="$port" KUBENURSE_UDP_PORT="$port" KUBENURSE_SHUTDOWN_DURATION=0s KUBENURSE_CHECK_INTERVAL=200ms
  KUBENURSE_SERVICE_URL="http://127.0.0.1:$port" KUBENURSE_EXTRA_CHECKS="self:http://localhost:$port/alwayshappy")
mode=local
if [ -n "$classpath" ]; then
  mode=cluster
  mkfifo "$work/stub-in"
  "$java_home/bin/java" -cp "$classpath" kubenurse.image.fixture.StubCluster "$work/cluster" <"$work/stub-in" >"$work/stub.out" 2>&1 &
  pids+=($!)
  exec 4>"$work/stub-in" # the stub runs until this closes
  for _ in $(seq 1 600); do grep -q '^port=' "$work/stub.out" 2>/dev/null && break; sleep 0.05; done
  api_port=$(sed -n 's/^port=//p' "$work/stub.out")
  [ -n "$api_port" ] || { echo "AOT training: the stub API server did not start:"; cat "$work/stub.out"; exit 1; } >&2
  env+=(KUBERNETES_SERVICE_HOST=127.0.0.1 KUBERNETES_SERVICE_PORT="$api_port" KUBENURSE_KUBERNETES_SERVICE_DNS=localhost
    KUBENURSE_SERVICEACCOUNT_DIR="$work/cluster/sa" KUBENURSE_NAMESPACE=kube-system
    KUBENURSE_NEIGHBOUR_FILTER=app.kubernetes.io/name=kubenurse KUBENURSE_POD_NAME=pod-a KUBENURSE_NODE_NAME=node-a)
fi

env -i "${env[@]}" "$image/bin/java" -XX:AOTCacheOutput="$cache" -m kubenurse.app >"$work/log" 2>&1 &
pid=$!; pids+=($pid)
ready='"me_service": "ok"'
[ $mode = cluster ] && ready='"path_node-c": "ok"'
for _ in $(seq 1 600); do # up to 30 s: a loaded build machine starts slowly
  body=$(get /alive 2>/dev/null) || body=""
  [[ $body == *"$ready"* && $body == *'"self": "ok"'* ]] && break
  kill -0 $pid 2>/dev/null || { echo "AOT training run ended early:"; cat "$work/log"; exit 1; } >&2
  sleep 0.05
done
[[ $body == *"$ready"* ]] || { echo "AOT training run: no complete /alive in 30 s:"; echo "$body"; cat "$work/log"; exit 1; } >&2
sleep 2 # ten check cycles
for _ in $(seq 1 20); do
  get /alive >/dev/null
  get /metrics >/dev/null
  get /alwayshappy >/dev/null
done
kill -TERM $pid
wait $pid || { echo "AOT training run failed:"; cat "$work/log"; exit 1; } >&2
[ -s "$cache" ] || { echo "AOT training run wrote no cache:"; cat "$work/log"; exit 1; } >&2
echo "AOT cache ($mode-mode training run): $cache ($(du -sm "$cache" | cut -f1) MB)"
