#!/usr/bin/env bash
# Where the resident memory goes at steady state: the image as bin/kubenurse starts it (its JVM options and AOT
# cache) under bench/steady-state.sh's load with native memory tracking on, for SECONDS (default 300): NMT_MODE=local
# (default: 10 checks of its own /alwayshappy plus me_service, every second, fresh connections) or cluster (pod-a
# against a stub API server listing 10 neighbours: 10 neighbour checks, the API server direct and by name over TLS,
# me_service, every second; discovery watching). Then prints RSS split into anonymous
# and file-backed memory, the largest file mappings, and, after SIGTERM, the JVM's NMT summary (committed per
# category; -XX:+PrintNMTStatistics prints it as the JVM exits). NMT itself costs ~1-2 MiB of malloc headers.
# Usage: bench/nmt.sh [seconds] [extra JVM options...]   (after ./mvnw -B package -DskipTests; the options come
#        after the image's own, so they override them; NMT_IMAGE=<dir> measures another image, NMT_ENV="VAR=value"
#        adds to its environment, NMT_LOG=<file> keeps its output)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
shift || true
image=${NMT_IMAGE:-jlink/target/image}
. bench/lib/ports.sh
port=$(free_port)
. bench/lib/stub-cluster.sh
mode=${NMT_MODE:-local}
work=$(mktemp -d)
log="$work/log"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; [ -z "${NMT_LOG:-}" ] || cp "$log" "$NMT_LOG"; rm -rf "$work"' EXIT
if [ "$mode" = cluster ]; then
  start_stub_cluster "$work" 10
  env=("${cluster_env[@]}")
else
  checks=""
  for i in $(seq 1 10); do checks="$checks|n$i:http://127.0.0.1:$port/alwayshappy"; done
  env=("KUBENURSE_EXTRA_CHECKS=${checks#|}")
fi
options="-XX:NativeMemoryTracking=summary -XX:+UnlockDiagnosticVMOptions -XX:+PrintNMTStatistics $*"
env -i JDK_JAVA_OPTIONS="$options" KUBENURSE_HTTP_PORT=$port KUBENURSE_CHECK_INTERVAL=1s \
  "${env[@]}" KUBENURSE_SERVICE_URL=http://127.0.0.1:$port KUBENURSE_SHUTDOWN_DURATION=0s \
  ${NMT_ENV:-} "$image/bin/kubenurse" >"$log" 2>&1 &
pid=$!
pids+=($pid)
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u '+%F %H:%M'); uptime:$(uptime | sed 's/.*load/ load/')"
echo "image: $image ($(du -sm "$image" | cut -f1) MB); its flags: $("$image/bin/java" -XX:+PrintCommandLineFlags -version 2>/dev/null | head -1)"
echo "mode: $mode; extra options: ${*:-(none)}; extra environment: ${NMT_ENV:-(none)}"
sleep "$seconds"
kill -0 $pid 2>/dev/null || { echo "the image exited early:"; cat "$log"; exit 1; }
status=/proc/$pid/status
echo "after $seconds s: RSS $(awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' $status)" \
  "(anonymous $(awk '/RssAnon/ {printf "%.1f", $2/1024}' $status), file $(awk '/RssFile/ {printf "%.1f", $2/1024}' $status)," \
  "shmem $(awk '/RssShmem/ {printf "%.1f", $2/1024}' $status) MiB), peak $(awk '/VmHWM/ {printf "%.1f MiB", $2/1024}' $status)," \
  "threads $(awk '/Threads/ {print $2}' $status)"
echo "largest file-backed mappings (RSS, of which written to: private dirty, counted as anonymous; MiB):"
awk '/^[0-9a-f]+-[0-9a-f]+ / {file = ($6 ~ /^\//) ? $6 : ""} /^Rss:/ && file != "" {rss[file] += $2}
     /^Private_Dirty:/ && file != "" {dirty[file] += $2}
     END {for (f in rss) if (rss[f] >= 256) printf "  %6.1f (%4.1f) %s\n", rss[f]/1024, dirty[f]/1024, f}' /proc/$pid/smaps | sort -rn
kill -TERM $pid
wait $pid || true
echo "NMT summary at exit (committed, MB):"
awk '/^Total: / || /^-  *[A-Za-z]/ {
       line = $0; sub(/^- */, "", line); name = line; sub(/ *\(.*/, "", name); sub(/:.*/, "", name)
       if (match(line, /committed=[0-9]+(KB|MB)?/)) {
         v = substr(line, RSTART + 10, RLENGTH - 10); unit = 1
         if (v ~ /KB$/) unit = 1024; else if (v ~ /MB$/) unit = 1048576
         sub(/[KM]B$/, "", v); if (v * unit >= 52429) printf "  %-28s %7.1f\n", name, v * unit / 1048576
       }
     }' "$log"
grep -q 'Native Memory Tracking' "$log" || { echo "no NMT summary in the log:"; tail -20 "$log"; exit 1; }
