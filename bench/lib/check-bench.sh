# Sourced by the bench/ scripts that time the image's checks against a server of their own (cpu-per-cycle.sh,
# side-by-side.sh, tls-over-time.sh): the pieces they share, written once.

# A throwaway P-256 certificate for 127.0.0.1: $1/cert.pem and $1/key.pem.
bench_cert() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=bench \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$1/key.pem" -out "$1/cert.pem" 2>/dev/null
}

# Builds the Go reference (bench/go-reference: its client and its target server) as $1/goref.
build_go_reference() {
  (cd bench/go-reference && GOCACHE="$1/gocache" GOFLAGS=-mod=mod go build -o "$1/goref" .)
}

# User and system CPU of process $1 so far, in clock ticks (getconf CLK_TCK a second).
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# The least request count over the checks n1..n$2 of the image whose HTTP port is $1: the cycles it completed.
image_cycles() { curl -s "http://127.0.0.1:$1/metrics" | awk -v n="$2" '/^kubenurse_httpclient_requests_total\{/ {
  match($0, /type="n[0-9]+"/); if (RSTART) c[substr($0, RSTART + 6, RLENGTH - 7)] += $NF }
  END { m = -1; for (i = 1; i <= n; i++) { v = ("n" i in c) ? c["n" i] : 0; if (m < 0 || v < m) m = v } print m + 0 }'; }

# Mean, p50 and p99 of the error (reported minus the true $1 ms) of the durations on stdin, and their count.
duration_errors() { sort -n | awk -v d="$1" '{ e[NR] = $1 - d; s += $1 - d } END {
  if (NR == 0) { print "nan nan nan 0"; exit }
  i50 = int(NR * 0.5); if (i50 < 1) i50 = 1; i99 = int(NR * 0.99); if (i99 < 1) i99 = 1
  printf "%.2f %.2f %.2f %d\n", s / NR, e[i50], e[i99], NR }'; }
