#!/usr/bin/env bash
# Start-up: time from exec to the first /alive that holds a complete cycle's results, RUNS runs each (default 5),
# median and range printed, once without and once with the AOT cache the image ships (lib/kubenurse.aot, as
# bin/kubenurse and the container's ENTRYPOINT use it), in two modes:
# - local: no API server; complete = me_service and an extra check both "ok";
# - cluster: as pod-a on node-a against a stub API server over HTTPS with a throwaway CA (kubenurse.image.fixture.StubCluster,
#   the one the AOT training run uses); complete = api_server_direct, api_server_dns, me_service and both
#   neighbours (path_node-b, path_node-c) "ok": TLS to the API server, the first lists and the first neighbour checks.
#   STARTUP_NEIGHBOURS=N lists N neighbours instead of 2 (0: a one-node cluster, where the first lists find nobody
#   to check). Cluster mode also prints when the schedule started (the log's startup_ms_since_main: after the
#   server, the signal handlers and the wait for discovery's first lists).
# Each run also prints the CPU time the JVM had used by then (/proc/PID/stat, 10 ms ticks).
# Every run gets a free port from the kernel. Extra JVM options, when given, are used for every run.
# Usage: bench/startup.sh [runs] [extra JVM options for bin/java]   (after ./mvnw -B package -DskipTests;
#        STARTUP_MODES="local cluster" by default; STARTUP_IMAGE=<dir> measures another image; needs curl, and for
#        cluster mode openssl)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
shift || true
image=${STARTUP_IMAGE:-jlink/target/image}
modes=${STARTUP_MODES:-local cluster}
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
. bench/lib/ports.sh
. bench/lib/stub-cluster.sh
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; exec 4>&- 2>/dev/null || true; rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u '+%F %H:%M'); uptime:$(uptime | sed 's/.*load/ load/')"
echo "image: $image ($(du -sm "$image" | cut -f1) MB, AOT cache $(du -sm "$image/lib/kubenurse.aot" | cut -f1) MB); runs: $runs;" \
  "extra options: ${*:-(none)}"

for mode in $modes; do
  env=()
  wanted=('"me_service": "ok"' '"self": "ok"')
  if [ "$mode" = cluster ]; then
    neighbours=${STARTUP_NEIGHBOURS:-2}
    start_stub_cluster "$work" "$neighbours"
    env=("${cluster_env[@]}")
    wanted+=('"api_server_direct": "ok"' '"api_server_dns": "ok"')
    for n in $(seq 1 "$neighbours"); do wanted+=("\"path_node-$(printf "\\$(printf '%03o' $((97 + n)))")\": \"ok\""); done
  fi
  for cache in "" "-XX:AOTCache=$image/lib/kubenurse.aot"; do
    times=()
    cpus=()
    scheduled=()
    for run in $(seq 1 "$runs"); do
      port=$(free_port)
      start=$(date +%s%N)
      env -i KUBENURSE_HTTP_PORT=$port KUBENURSE_SHUTDOWN_DURATION=0s KUBENURSE_SERVICE_URL=http://127.0.0.1:$port \
        KUBENURSE_EXTRA_CHECKS=self:http://127.0.0.1:$port/alwayshappy "${env[@]}" \
        "$image/bin/java" $cache "$@" -m kubenurse.app >"$work/log" 2>&1 &
      pid=$!
      complete=""
      while [ -z "$complete" ]; do
        body=$(curl -s --max-time 1 "http://127.0.0.1:$port/alive") || body=""
        complete=yes
        for w in "${wanted[@]}"; do [[ $body == *"$w"* ]] || complete=""; done
        [ -n "$complete" ] || sleep 0.005
        kill -0 $pid 2>/dev/null || { echo "the image exited:"; cat "$work/log"; exit 1; } >&2
        [ $(( ($(date +%s%N) - start) / 1000000000 )) -lt 60 ] || { echo "no complete /alive in 60 s: $body"; exit 1; } >&2
      done
      end=$(date +%s%N)
      cpus+=($(awk '{print ($14 + $15) * 10}' "/proc/$pid/stat"))
      kill $pid; wait $pid 2>/dev/null || true
      times+=($(( (end - start) / 1000000 )))
      scheduled+=("$(sed -n 's/.*event=started .*startup_ms_since_main=\([0-9]*\).*/\1/p' "$work/log")")
    done
    sorted=($(printf '%s\n' "${times[@]}" | sort -n))
    echo "$mode mode, ${cache:-no AOT cache}: exec to complete /alive (ms): median ${sorted[$(( runs / 2 ))]}," \
      "min ${sorted[0]}, max ${sorted[$(( runs - 1 ))]} (all: ${times[*]})"
    echo "  CPU the JVM had used by then (ms, user + system): ${cpus[*]}"
    [ "$mode" = cluster ] && echo "  the schedule started (startup_ms_since_main) at: ${scheduled[*]} ms"
  done
  if [ "$mode" = cluster ]; then exec 4>&-; fi
done
echo "uptime at the end:$(uptime | sed 's/.*load/ load/')"
