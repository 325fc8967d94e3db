#!/usr/bin/env bash
# What a verdict costs one pod at cluster size N (default 5000) with neighbour limit K (default 10): the CPU of a
# judgement after a new discovery snapshot (the ring sorted once) and with the same snapshot, and the heap the
# judge keeps (first-seen times of every eligible pod), over ROUNDS judgements (default 200), in a JVM with the
# image's collector and C1 only (as the image runs).
# Usage: bench/verdict-cost.sh [N] [K] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -q test-compile dependency:build-classpath -pl kubenurse.checks -am \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
third_party=$(tr ':' '\n' < kubenurse.checks/target/bench.classpath | grep -v '/dev/kubenurse/' | paste -sd:)
cp="kubenurse.checks/target/bench-classes:kubenurse.checks/target/classes:kubenurse.discovery/target/classes"
cp="$cp:kubenurse.config/target/classes:$third_party"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo "date: $(date -u '+%F %T UTC'); load: $(uptime | sed 's/.*load average: //'); commit $(git rev-parse --short HEAD)"
"$JAVA_HOME/bin/java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx256m -cp "$cp" \
  kubenurse.checks.internal.verdict.VerdictCostBenchmark "${1:-5000}" "${2:-10}" "${3:-200}"
