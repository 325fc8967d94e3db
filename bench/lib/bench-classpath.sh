# Sourced by the benchmarks that run a module's src/bench classes on the class path. Usage:
#   . bench/lib/bench-classpath.sh; bench_classpath MODULE [more class dirs...]
# Compiles MODULE (and what it needs), then sets $third_party (the jars from the local repository) and $cp (MODULE's
# bench and main classes, the class dirs given, then $third_party); prints the machine and the moment.
bench_classpath() {
  local module=$1
  shift
  ./mvnw -B -q test-compile dependency:build-classpath -pl "$module" -am \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
  # our modules from this checkout's build output, third-party jars from the local repository
  third_party=$(tr ':' '\n' < "$module/target/bench.classpath" | grep -v '/dev/kubenurse/' | paste -sd:)
  cp="$module/target/bench-classes:$module/target/classes"
  local dir
  for dir in "$@"; do
    cp="$cp:$dir"
  done
  cp="$cp:$third_party"
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  echo "date: $(date -u '+%F %T UTC'); load: $(uptime | sed 's/.*load average: //'); commit $(git rev-parse --short HEAD)"
}
