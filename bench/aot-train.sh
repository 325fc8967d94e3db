#!/usr/bin/env bash
# Makes a JDK 25 AOT cache (JEP 483/514) for the linked image by a training run: start in local mode,
# serve /alive and /metrics a few times, stop with SIGTERM; the cache is written at exit.
# Usage: bench/aot-train.sh [cache file, default jlink/target/kubenurse.aot]; then e.g.
#        bench/startup.sh 10 -XX:AOTCache=jlink/target/kubenurse.aot
set -euo pipefail
cd "$(dirname "$0")/.."
cache=${1:-jlink/target/kubenurse.aot}
port=18205
rm -f "$cache"
env -i KUBENURSE_HTTP_PORT=$port KUBENURSE_SHUTDOWN_DURATION=0s KUBENURSE_SERVICE_URL=http://127.0.0.1:$port \
  KUBENURSE_EXTRA_CHECKS=self:http://127.0.0.1:$port/alwayshappy \
  jlink/target/image/bin/java -XX:AOTCacheOutput="$cache" -m kubenurse.app >/dev/null 2>&1 &
pid=$!
until curl -s -o /dev/null http://127.0.0.1:$port/alive; do sleep 0.05; done
sleep 2
for i in $(seq 1 20); do
  curl -s -o /dev/null http://127.0.0.1:$port/alive
  curl -s -o /dev/null http://127.0.0.1:$port/metrics
done
kill -TERM $pid
wait $pid || true
echo "AOT cache: $cache ($(du -sm "$cache" | cut -f1) MB)"
