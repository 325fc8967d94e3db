#!/bin/sh
# Prints the home of a JDK 25 or newer for mvnw to run Maven on, so that `./mvnw ...` works on a machine
# whose default java is older: JAVA_HOME if it is one, else the java on PATH, else the first one found
# where JDKs are usually installed. Maven itself must run on it, not only the compiler and the test forks:
# maven-jar-plugin writes module descriptors with the jar tool of Maven's own JDK, and an older one
# cannot read JDK 25 class files. With none found: one line on what to install, and status 1.
set -eu

major() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ -f "$1/release" ] || { echo 0; return; }
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
}
suits() {
  m=$(major "$1")
  [ "${m:-0}" -ge 25 ] 2>/dev/null
}

if [ -n "${JAVA_HOME:-}" ] && suits "$JAVA_HOME"; then
  echo "$JAVA_HOME"
  exit 0
fi
on_path=$(command -v java 2>/dev/null || true)
if [ -n "$on_path" ]; then
  on_path=$(dirname "$(dirname "$(readlink -f "$on_path")")")
  if suits "$on_path"; then
    echo "$on_path"
    exit 0
  fi
fi
for home in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "${HOME:-/nonexistent}"/.sdkman/candidates/java/* \
    "${HOME:-/nonexistent}"/.jdks/*; do
  if [ -d "$home" ] && suits "$home"; then
    [ -z "${JAVA_HOME:-}" ] || echo "mvnw: JAVA_HOME ($JAVA_HOME) is older than JDK 25; using $home" >&2
    echo "$home"
    exit 0
  fi
done
echo "kubenurse builds with JDK 25 or newer and found none: install one (e.g. Temurin 25: apt-get install temurin-25-jdk) or set JAVA_HOME to it" >&2
exit 1
