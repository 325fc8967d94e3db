#!/usr/bin/env bash
# What a verdict costs one pod at cluster size N (default 5000) with neighbour limit K (default 10): the CPU of a
# judgement after a new discovery snapshot (the ring sorted once) and with the same snapshot, and the heap the
# judge keeps (first-seen times of every eligible pod), over ROUNDS judgements (default 200), in a JVM with the
# image's collector and C1 only (as the image runs).
# Usage: bench/verdict-cost.sh [N] [K] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
. bench/lib/bench-classpath.sh
bench_classpath kubenurse.checks kubenurse.discovery/target/classes kubenurse.config/target/classes
"$JAVA_HOME/bin/java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx256m -cp "$cp" \
  kubenurse.checks.internal.verdict.VerdictCostBenchmark "${1:-5000}" "${2:-10}" "${3:-200}"
