# Sourced by the bench/ scripts that run the image in cluster mode.
# start_stub_cluster WORKDIR NEIGHBOURS: starts kubenurse.image.fixture.StubCluster (a stub API server over HTTPS with a
# throwaway CA, jlink's test classes, class path from jlink/target/test.classpath written by ./mvnw package) with
# NEIGHBOURS neighbour pods on 127.0.0.2..., and sets cluster_env: the environment that makes the image pod-a on
# node-a of that cluster. The stub runs until this shell exits (its standard input is fd 4 of this shell) and its
# pid is appended to the array pids.
start_stub_cluster() {
  local work=$1 neighbours=$2 classpath api_port
  classpath=$(cat jlink/target/test.classpath 2>/dev/null) \
    || { echo "cluster mode: no jlink/target/test.classpath (written by ./mvnw package)" >&2; return 1; }
  mkfifo "$work/stub-in"
  "${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" -cp "$classpath" kubenurse.image.fixture.StubCluster \
    "$work/cluster" "$neighbours" <"$work/stub-in" >"$work/stub.out" 2>&1 &
  pids+=($!)
  exec 4>"$work/stub-in"
  for _ in $(seq 1 600); do grep -q '^port=' "$work/stub.out" 2>/dev/null && break; sleep 0.05; done
  api_port=$(sed -n 's/^port=//p' "$work/stub.out")
  [ -n "$api_port" ] || { echo "the stub API server did not start:"; cat "$work/stub.out"; return 1; } >&2
  cluster_env=(KUBERNETES_SERVICE_HOST=127.0.0.1 KUBERNETES_SERVICE_PORT="$api_port" KUBENURSE_KUBERNETES_SERVICE_DNS=localhost
    KUBENURSE_SERVICEACCOUNT_DIR="$work/cluster/sa" KUBENURSE_NAMESPACE=kube-system
    KUBENURSE_NEIGHBOUR_FILTER=app.kubernetes.io/name=kubenurse KUBENURSE_POD_NAME=pod-a KUBENURSE_NODE_NAME=node-a)
}
