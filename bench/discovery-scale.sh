#!/usr/bin/env bash
# Discovery at scale: a stub API server with N nodes and N kubenurse pods (default 5000), realistic object
# sizes; prints time to the first neighbour list, heap retained per object, API requests per minute.
# Usage: bench/discovery-scale.sh [N] [steady-state seconds]   (after ./mvnw -B package -DskipTests)
# With BENCH_IMAGE=jlink/target/image the linked image (its own heap limit) discovers the cluster instead;
# BENCH_JVM_OPTIONS (e.g. -Xmx16m) are then added after the image's own options.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -q test-compile dependency:build-classpath -pl kubenurse.discovery -am \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
# our modules from this checkout's build output, third-party jars from the local repository
third_party=$(tr ':' '\n' < kubenurse.discovery/target/bench.classpath | grep -v '/dev/kubenurse/' | paste -sd:)
cp="kubenurse.discovery/target/test-classes:kubenurse.discovery/target/classes:kubenurse.config/target/classes"
cp="$cp:testing/target/classes:$third_party"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); $(date -u +%F)"
exec "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx1g ${BENCH_IMAGE:+-Dbench.image=$BENCH_IMAGE} "-Dbench.jvmOptions=${BENCH_JVM_OPTIONS:-}" -cp "$cp" kubenurse.discovery.internal.DiscoveryScaleBenchmark "$@"
