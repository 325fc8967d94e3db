#!/usr/bin/env bash
# API-server cost at scale (issue 13, item 5): a stub API server with N nodes whose status changes every T s
# (each node ~tens of KB: 50 images, conditions, managedFields), N kubenurse pods and 10 cordoned nodes;
# one kubenurse discovery runs against it and the stub counts the body bytes and events it sends to that pod's
# lists and watches. Prints bytes and events per pod per minute, per selection, for this checkout ("after")
# and for the discovery of an older commit ("before", the same harness and stub), and the ratio.
# Usage: bench/api-cost.sh [N=5000] [T=10] [window seconds=60]
#   BEFORE=<commit>  the "before" discovery (default 2856809: the last commit whose discovery watched every
#                    node in full); BEFORE= (empty) runs only this checkout's.
# The "before" sources are taken with git archive and compiled with javac on the side; nothing is checked out.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
n=${1:-5000}
period=${2:-10}
window=${3:-60}
before=${BEFORE-2856809}
./mvnw -B -q test-compile dependency:build-classpath -pl kubenurse.discovery -am \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
# third-party jars from the local repository; our own modules come from build output
third_party=$(tr ':' '\n' < kubenurse.discovery/target/bench.classpath | grep -v '/dev/kubenurse/' | grep -v "^$PWD/" | paste -sd:)
harness="kubenurse.discovery/target/bench-classes:testing/target/classes:$third_party"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo "date: $(date -u '+%F %T UTC'); load: $(uptime | sed 's/.*load average: //')"
echo "this checkout: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- kubenurse.discovery kubenurse.config testing || echo ' (with uncommitted changes)')"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

run() { # label classes
  "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx3g -cp "$2:$harness" kubenurse.discovery.internal.ApiCostBenchmark \
    "$n" "$period" "$window" "$1" 2>"$out/stderr.log" | tee "$out/$1.txt"
}

echo; echo "== after: discovery of this checkout"
run after "kubenurse.discovery/target/classes:kubenurse.config/target/classes"
if [ -n "$before" ]; then
  echo; echo "== before: discovery of $before ($(git log -1 --format=%s "$before" | cut -c1-80))"
  mkdir -p "$out/src" "$out/classes"
  git archive "$before" kubenurse.config/src/main/java kubenurse.discovery/src/main/java | tar -x -C "$out/src"
  find "$out/src" -name '*.java' ! -name module-info.java > "$out/sources"
  "$JAVA_HOME/bin/javac" -nowarn -d "$out/classes" -cp "$third_party" @"$out/sources"
  run before "$out/classes"
  echo
  awk '/^per pod per minute:/ { gsub(/[(),]/, ""); bytes[FILENAME] = $5; events[FILENAME] = $9 }
       END { a = ARGV[1]; b = ARGV[2];
             printf "after / before: bytes %.3f %% (%s / %s), events %.3f %% (%s / %s)\n",
                    100 * bytes[a] / bytes[b], bytes[a], bytes[b], 100 * events[a] / events[b], events[a], events[b] }' \
    "$out/after.txt" "$out/before.txt"
fi
