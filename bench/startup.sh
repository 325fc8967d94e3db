#!/usr/bin/env bash
# Start-up: time from exec to the first /alive that holds a complete cycle's results (me_service "ok"
# and an extra check's result), in local mode; RUNS runs (default 10), median and range printed, once
# without and once with the AOT cache the image ships (lib/kubenurse.aot, as bin/kubenurse and the
# container's ENTRYPOINT use it). Extra JVM options, when given, are used for both.
# Usage: bench/startup.sh [runs] [extra JVM options for bin/java]   (after ./mvnw -B package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
shift || true
port=18203
image=jlink/target/image
echo "machine: $(nproc) cores; $(date -u +%F); runs: $runs; extra options: ${*:-(none)}"
for cache in "" "-XX:AOTCache=$image/lib/kubenurse.aot"; do
  times=()
  for run in $(seq 1 "$runs"); do
    start=$(date +%s%N)
    env -i KUBENURSE_HTTP_PORT=$port KUBENURSE_SHUTDOWN_DURATION=0s KUBENURSE_SERVICE_URL=http://127.0.0.1:$port \
      KUBENURSE_EXTRA_CHECKS=self:http://127.0.0.1:$port/alwayshappy \
      "$image/bin/java" $cache "$@" -m kubenurse.app >/dev/null 2>&1 &
    pid=$!
    until body=$(curl -s --max-time 1 http://127.0.0.1:$port/alive) && [[ $body == *'"me_service": "ok"'* && $body == *'"self": "ok"'* ]]; do
      sleep 0.005
    done
    end=$(date +%s%N)
    kill $pid; wait $pid 2>/dev/null || true
    times+=($(( (end - start) / 1000000 )))
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  echo "${cache:-no AOT cache}: exec to complete /alive (ms): median ${sorted[$(( runs / 2 ))]}, min ${sorted[0]}, max ${sorted[$(( runs - 1 ))]}"
done
