#!/usr/bin/env bash
# What the UDP probe costs: the linked image against a stub API server with NEIGHBOURS neighbours whose pod IPs
# are on loopback (127.0.0.2 ...), where the image itself answers their path checks and UDP probes; once with
# KUBENURSE_CHECK_UDP=false and once with true. Prints CPU and RSS of both runs, and CPU per probe (the
# difference over the probes sent: sending, answering and timing each, both ends of a probe).
# Usage: bench/udp-cost.sh [seconds per run, default 120] [neighbours, default 10] [probes, default 15]
#        [interval, default 1s]   (after ./mvnw -B package -DskipTests)
# The defaults send 150 probes a second, enough to measure; more would be refused in part: here every probe
# comes from one source address (127.0.0.1), and the responder answers one source at most 200/s (burst 100),
# so keep neighbours x probes <= 150 per interval of 1s (it warns of lost probes). Also printed: the cost at
# the chart's defaults (10 neighbours, 20 probes per 5s).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
seconds=${1:-120} neighbours=${2:-10} probes=${3:-15} interval=${4:-1s}
./mvnw -B -q test-compile dependency:build-classpath -pl jlink -am \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
# our modules from this checkout's build output, third-party jars from the local repository
third_party=$(tr ':' '\n' < jlink/target/bench.classpath | grep -v '/dev/kubenurse/' | paste -sd:)
cp="jlink/target/bench-classes:jlink/target/test-classes:testing/target/classes:$third_party"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(jlink/target/image/bin/java -version 2>&1 | head -1);" \
  "$(date -u '+%F %H:%M') UTC; load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" -Xmx256m -Dkubenurse.image=jlink/target/image -Dclk.tck="$(getconf CLK_TCK)" -cp "$cp" \
  kubenurse.image.UdpCostBenchmark "$seconds" "$neighbours" "$probes" "$interval"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
