package main

import (
	"crypto/tls"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"
)

// counters of what the server saw: every check is to be one request on its own connection, and over
// TLS one full handshake (no resumption)
type counters struct {
	Requests  int64 `json:"requests"`
	Conns     int64 `json:"connections"`
	Full      int64 `json:"tls_full_handshakes"`
	Resumed   int64 `json:"tls_resumed"`
	ServiceNs int64 `json:"service_ns_total"`
}

// runServer answers every request with 200 after a known delay (the true duration of a check, up to
// the loopback's microseconds) and serves its counters as JSON on a second, plain address. Prints
// "listening ADDR stats ADDR" once both are bound.
func runServer(args []string) {
	fs := flag.NewFlagSet("server", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:0", "address of the checked server")
	statsAddr := fs.String("stats", "127.0.0.1:0", "address of the counters")
	delay := fs.Duration("delay", 10*time.Millisecond, "time before each response")
	cert := fs.String("cert", "", "PEM certificate: serve TLS")
	key := fs.String("key", "", "PEM key of -cert")
	fs.Parse(args)

	var c counters
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		atomic.AddInt64(&c.Requests, 1)
		if r.TLS != nil {
			if r.TLS.DidResume {
				atomic.AddInt64(&c.Resumed, 1)
			} else {
				atomic.AddInt64(&c.Full, 1)
			}
		}
		time.Sleep(*delay - time.Since(start))
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
		atomic.AddInt64(&c.ServiceNs, int64(time.Since(start)))
	})
	server := &http.Server{Handler: handler, ConnState: func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			atomic.AddInt64(&c.Conns, 1)
		}
	}}
	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
	stats, err := net.Listen("tcp", *statsAddr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
	go http.Serve(stats, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		snapshot := counters{atomic.LoadInt64(&c.Requests), atomic.LoadInt64(&c.Conns),
			atomic.LoadInt64(&c.Full), atomic.LoadInt64(&c.Resumed), atomic.LoadInt64(&c.ServiceNs)}
		json.NewEncoder(w).Encode(snapshot)
	}))
	fmt.Printf("listening %s stats %s\n", listener.Addr(), stats.Addr())
	if *cert != "" {
		pair, err := tls.LoadX509KeyPair(*cert, *key)
		if err != nil {
			fmt.Fprintln(os.Stderr, "server:", err)
			os.Exit(1)
		}
		listener = tls.NewListener(listener, &tls.Config{Certificates: []tls.Certificate{pair}})
	}
	fmt.Fprintln(os.Stderr, server.Serve(listener))
	os.Exit(1)
}
