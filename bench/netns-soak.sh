#!/usr/bin/env bash
# Soak of a healthy three-node cluster in network namespaces (root, iproute2): each node runs the linked image as
# its pod against a stub API server, checking every second (API server direct and by name over TLS, two
# neighbours); prints each pod's VmRSS, threads and fds every REPORT seconds (default 60), and at the end the
# java.net.http clients each pod can still reach (jcmd class histograms, taken only at the end).
# Usage: bench/netns-soak.sh [seconds, default 3600] [report every, default 60]
#        (after ./mvnw -B package -DskipTests, which writes jlink/target/test.classpath;
#        NETNS_SOAK_IMAGE=<dir> soaks a copy of the image)
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
classpath="jlink/target/bench-classes:$(cat jlink/target/test.classpath)"
exec "$JAVA_HOME/bin/java" -Dkubenurse.image="${NETNS_SOAK_IMAGE:-jlink/target/image}" -cp "$classpath" \
  kubenurse.image.NetnsSoak "${1:-3600}" "${2:-60}"
