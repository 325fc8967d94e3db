#!/usr/bin/env bash
# Links the runtime image: only the JDK modules kubenurse needs, with its JVM options baked in, so that
# `bin/java -m kubenurse.app` is the complete entry point (what a distroless ENTRYPOINT runs), and
# `bin/kubenurse` is a launcher that execs it (jlink's own launcher would not exec, so SIGTERM would
# stop at the shell and never reach the JVM).
set -euo pipefail
java_home=$1 modules=$2 image=$3
# the test class path, for a training run in cluster mode against a stub API server (train-aot.sh)
test_classpath=${4:-}
here=$(cd "$(dirname "$0")" && pwd)

# Small footprint: one serial collector, a heap that starts at 8 MiB and grows only under load (kubenurse
# itself keeps a few MB, bench/steady-state.sh), up to 64 MiB: room for the server's worst case, 1,200
# connections each holding a request head in progress (~41 KB each, bench/connection-cost.sh; the limits
# are in kubenurse.http's ServerLimits). C1 only (checks are I/O bound; C2 cost more CPU than it saved,
# bench/cpu-per-cycle.sh; even for TLS checks, given its own AOT cache, C2 saves ~20 % of their CPU for
# 22-36 MiB more per pod, BENCHMARKS.md section 20), small stacks. Out of memory anyway: exit at once with status 3 (README).
# A full collection gives back to the system at once what is free beyond 20 % of the heap
# (MaxHeapFreeRatio=20, -ShrinkHeapInSteps: by default the serial collector shrinks in steps that each young
# collection resets, so a heap once grown stayed grown, HeapGivesBackIT): at rest kubenurse.app's HeapSoftLimit
# collects whenever more than 12 MiB is committed, so the heap stays near kubenurse's ~6 MB of live data.
# Native memory: glibc keeps what was freed inside its arenas; the JVM gives it back every 5 s
# (TrimNativeHeapInterval, 2-4 MiB at steady state). C1's code stays under ~6 MB; a 12 MiB code cache (not
# segmented below 240 MiB) commits less than the default one and unloads cold code before it fills.
# (Each measured with bench/nmt.sh and bench/steady-state.sh, BENCHMARKS.md section 11.)
# The shaded protobuf writer uses sun.misc.Unsafe; allow it quietly rather than print a multi-line warning
# into the key=value log on the first protobuf scrape.
jvm_options="-XX:+UseSerialGC -Xms8m -Xmx64m -XX:TieredStopAtLevel=1 -Xss512k -XX:+ExitOnOutOfMemoryError"
jvm_options="$jvm_options -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=20 -XX:-ShrinkHeapInSteps"
jvm_options="$jvm_options -XX:TrimNativeHeapInterval=5000 -XX:ReservedCodeCacheSize=12m"
# No hsperfdata file in /tmp: the container's root file system is read-only and nothing reads it.
jvm_options="$jvm_options -XX:-UsePerfData"
jvm_options="$jvm_options --sun-misc-unsafe-memory-access=allow"
# Each check keeps one HTTP client that sends "Connection: close", so every run still opens a fresh
# connection without building a client per run (CPU per cycle of 10 checks 13.7 -> 8.8 ms, RSS 82 -> 73 MB,
# BENCHMARKS.md section 10). java.net.http refuses that header unless allowed here; without it kubenurse
# falls back to a client per run (event=check_client_per_run).
jvm_options="$jvm_options -Djdk.httpclient.allowRestrictedHeaders=connection"

rm -rf "$image"
"$java_home/bin/jlink" \
  --module-path "$modules" \
  --add-modules kubenurse.app \
  --output "$image" \
  --strip-debug --no-header-files --no-man-pages \
  --compress zip-9 \
  --add-options "$jvm_options"
install -m 0755 "$here/src/main/launcher/kubenurse" "$image/bin/kubenurse"
# The JDK's shared libraries carry symbol tables (libjvm.so: 5 of its 29 MB) that only name functions
# in a crash report; every node pulls the image, so drop them.
if command -v strip >/dev/null; then
  find "$image/lib" -name '*.so' -exec strip --strip-unneeded {} +
else
  echo "warning: strip (binutils) not found: native libraries keep their symbol tables" >&2
fi
echo "linked $image ($(du -sm "$image" | cut -f1) MB): $("$image/bin/java" --list-modules | tr '\n' ' ')"
# bench/startup.sh starts the same stub API server for its cluster mode
[ -z "$test_classpath" ] || printf '%s\n' "$test_classpath" >"$(dirname "$image")/test.classpath"
if [ -n "$test_classpath" ] && ! command -v openssl >/dev/null; then
  echo "warning: openssl not found: the stub API server cannot make its CA; AOT training in local mode" >&2
  test_classpath=""
fi
"$here/train-aot.sh" "$image" ${test_classpath:+"$java_home" "$test_classpath"}
