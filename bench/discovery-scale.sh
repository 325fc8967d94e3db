#!/usr/bin/env bash
# Discovery at scale: a stub API server with N nodes and N kubenurse pods of realistic size; for each N, a
# fresh JVM prints the time to the first neighbour list, the live heap, and the API
# requests per minute at steady state. The retained heap is then fitted against N (least squares over all
# runs): the slope is what discovery keeps per pod/node pair, the intercept its fixed cost. One total divided
# by N is not a per-object figure: at these sizes the fixed cost and GC noise dominate it.
# Usage: bench/discovery-scale.sh [N ...]   (default 1000 5000 10000; after ./mvnw -B package -DskipTests)
#   REPEATS (default 3) runs per N; STEADY_SECONDS (default 10) of steady state counted for requests.
# With BENCH_IMAGE=jlink/target/image the linked image (its own heap limit) discovers the cluster instead (one
# N, no fit); BENCH_JVM_OPTIONS (e.g. -Xmx16m) are then added after the image's own options.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 5000 10000)
repeats=${REPEATS:-3}
steady=${STEADY_SECONDS:-10}
. bench/lib/bench-classpath.sh
bench_classpath kubenurse.discovery kubenurse.config/target/classes testing/target/classes
run() {
  "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx1g ${BENCH_IMAGE:+-Dbench.image=$BENCH_IMAGE} \
    "-Dbench.jvmOptions=${BENCH_JVM_OPTIONS:-}" -cp "$cp" kubenurse.discovery.internal.DiscoveryScaleBenchmark "$@"
}
if [ -n "${BENCH_IMAGE:-}" ]; then
  exec 2>&1; run "${sizes[0]}" "$steady"; exit
fi
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for n in "${sizes[@]}"; do
  for ((r = 1; r <= repeats; r++)); do
    echo "== N=$n run $r/$repeats"
    run "$n" "$steady" 2>/dev/null | tee -a "$results" | grep -v '^result '
  done
done
echo
awk '/^result / { split($2, a, "="); split($3, b, "="); n[++k] = a[2]; y[k] = b[2] }
     END {
       for (i = 1; i <= k; i++) { sx += n[i]; sy += y[i] } mx = sx / k; my = sy / k
       for (i = 1; i <= k; i++) { sxx += (n[i] - mx) ^ 2; sxy += (n[i] - mx) * (y[i] - my) }
       slope = sxy / sxx; icpt = my - slope * mx
       for (i = 1; i <= k; i++) { res = y[i] - icpt - slope * n[i]; ss += res ^ 2 }
       se = k > 2 ? sqrt(ss / (k - 2) / sxx) : 0
       printf "retained heap = %.2f MiB + %.0f bytes x N (slope +- %.0f bytes, standard error over %d runs)\n",
              icpt / 1048576, slope, se, k
       printf "per run (N: retained MiB):"; for (i = 1; i <= k; i++) printf " %d: %.2f", n[i], y[i] / 1048576; print ""
     }' "$results"
