# Sourced by the bench/ scripts.
# live_clients PID: prints "clients F, implementations I" for a running JVM: the java.net.http clients it can
# still reach (HttpClientFacade) and their implementations, from the build JDK's jcmd class histogram (each
# histogram runs a full collection first). A given-up client's implementation is freed one collection after its
# facade, by the JDK's Cleaner, so the histogram is taken until the count stops falling (at most 5 times).
live_clients() {
  local pid=$1 jcmd="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jcmd" last=999999 histogram impls facades
  for _ in 1 2 3 4 5; do
    histogram=$("$jcmd" "$pid" GC.class_histogram)
    impls=$(awk '$4 == "jdk.internal.net.http.HttpClientImpl" {print $2}' <<<"$histogram")
    facades=$(awk '$4 == "jdk.internal.net.http.HttpClientFacade" {print $2}' <<<"$histogram")
    [ "${impls:-0}" -ge "$last" ] && break
    last=${impls:-0}
    sleep 0.3
  done
  echo "clients ${facades:-0}, implementations ${impls:-0}"
}
