#!/usr/bin/env bash
# Start-up of a ring of NODES pods (default 5) in network namespaces (root, iproute2), all started together
# against a stub API server: for each pod, the time until its /alive shows every other node's path "ok";
# RUNS runs (default 3). A pod is listed Ready once its /ready answers, probed every RING_PROBE_MS (default 200; the
# chart's kubelet probe period is 5 s, which a cluster adds on top); RING_PROBE_MS=0 lists them Ready at once.
# RING_JVM_OPTIONS: extra options for the pods' JVMs (as JDK_JAVA_OPTIONS). RING_PROGRESS: where each pod's progress is
# read: "log" (default; its event=check_done lines, the pods at KUBENURSE_LOG_LEVEL=debug: costs the pod nothing more)
# or "metrics" (its /metrics: each read costs the starting pod a render). RING_POLL_MS (default 50): how often (the
# figures are that much coarser).
# The harness (this script's JVM: stub API server, readiness prober, progress reads) shares the two cores with the
# pods, which no API server or kubelet does in a cluster; so it runs one uncounted warm-up ring first
# (-Dring.warmup.runs via RING_HARNESS_OPTIONS, default 1), with C1 only (RING_HARNESS_OPTIONS, default
# -XX:TieredStopAtLevel=1: its C2 compilations alone took 2-4 s of CPU per ring), and prints the CPU it used per ring.
# Usage: bench/ring-startup.sh [nodes] [runs]   (after ./mvnw -B package -DskipTests, which writes
#        jlink/target/test.classpath; RING_IMAGE=<dir> measures another image)
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
exec "$JAVA_HOME/bin/java" ${RING_HARNESS_OPTIONS--XX:TieredStopAtLevel=1} -Dring.poll.ms="${RING_POLL_MS:-50}" -Dring.progress="${RING_PROGRESS:-log}" -Dring.jvm.options="${RING_JVM_OPTIONS:-}" -Dring.readiness.probe.ms="${RING_PROBE_MS:-200}" -Dkubenurse.image="${RING_IMAGE:-jlink/target/image}" -cp "jlink/target/bench-classes:$(cat jlink/target/test.classpath)" \
  kubenurse.image.RingStartup "${1:-5}" "${2:-3}"
