#!/usr/bin/env bash
# What grows in a running kubenurse, over time: attaches to the JVM of PID (the image's, e.g. from bench/soak.sh's
# header) every INTERVAL seconds (default 60) until it exits or COUNT samples were taken, and prints one line per
# sample: RSS and its anonymous part (/proc/PID/smaps_rollup), threads, the heap's capacity and use per generation
# (jcmd GC.heap_info: no collection), the code cache's use and high-water mark (jcmd Compiler.codecache) and, when
# the JVM runs with -XX:NativeMemoryTracking=summary (bench/soak.sh: SOAK_ENV=JDK_JAVA_OPTIONS=...), NMT's committed
# memory in total and for the categories that can grow (MB). The image has no jcmd: the build JDK's attaches (same
# JDK 25). MEM_TREND_HISTOGRAM=1 adds the live heap's total after a full collection (jcmd GC.class_histogram;
# it collects, so it changes what it measures: off by default).
# Usage: bench/mem-trend.sh PID [interval seconds] [count]
set -euo pipefail
pid=$1 every=${2:-60} count=${3:-1000000}
jcmd="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jcmd"
# committed MB of one NMT category (or of the total) in a summary
nmt_mb() {
  awk -v name="$1" '
    (name == "Total" && /^Total: /) || (name != "Total" && $0 ~ "^- +" name " \\(") {
      if (match($0, /committed=[0-9]+(KB|MB)?/)) {
        v = substr($0, RSTART + 10, RLENGTH - 10); unit = 1
        if (v ~ /KB$/) unit = 1024; else if (v ~ /MB$/) unit = 1048576
        sub(/[KM]B$/, "", v); printf "%.1f", v * unit / 1048576; exit
      }
    }'
}
t0=$(date +%s)
for ((i = 0; i < count; i++)); do
  kill -0 "$pid" 2>/dev/null || break
  [ "$i" -eq 0 ] || sleep "$every"
  kill -0 "$pid" 2>/dev/null || break
  rss=$(awk '/^Rss:/ {r = $2} /^Anonymous:/ {a = $2} END {printf "RSS %.1f MiB (anon %.1f)", r / 1024, a / 1024}' "/proc/$pid/smaps_rollup")
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")
  heap=$("$jcmd" "$pid" GC.heap_info 2>/dev/null | awk '/^ *(DefNew|Tenured)/ {sub(/,$/, "", $3); printf "%s%s %s/%s", sep, $1, $5, $3; sep = ", "}')
  code=$("$jcmd" "$pid" Compiler.codecache 2>/dev/null | sed -n 's/.* used=\([0-9]*Kb\) max_used=\([0-9]*Kb\).*/\1 (high \2)/p' | head -1)
  nmt=$("$jcmd" "$pid" VM.native_memory summary 2>/dev/null || true)
  line="$(( $(date +%s) - t0 )) s ($(date -u +%T), load $(cut -d' ' -f1 /proc/loadavg)): $rss, threads $threads; heap used/capacity $heap; code $code"
  if grep -q '^Total: ' <<<"$nmt"; then
    line="$line; NMT MB: total $(nmt_mb Total <<<"$nmt"), heap $(nmt_mb 'Java Heap' <<<"$nmt"), class $(nmt_mb Class <<<"$nmt")"
    line="$line, thread $(nmt_mb Thread <<<"$nmt"), code $(nmt_mb Code <<<"$nmt"), symbol $(nmt_mb Symbol <<<"$nmt")"
    line="$line, internal $(nmt_mb Internal <<<"$nmt"), other $(nmt_mb Other <<<"$nmt"), arena $(nmt_mb 'Arena Chunk' <<<"$nmt")"
  fi
  if [ "${MEM_TREND_HISTOGRAM:-0}" = 1 ]; then
    line="$line; live heap $("$jcmd" "$pid" GC.class_histogram 2>/dev/null | awk '/^Total/ {printf "%.1f MB", $3 / 1048576}')"
  fi
  echo "$line"
done
