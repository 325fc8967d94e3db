package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"time"
)

// timedTransport times each round trip from its start to the response headers, as upstream's
// promhttp round-tripper does for kubenurse_httpclient_request_duration_seconds.
type timedTransport struct {
	next http.RoundTripper
	out  chan<- time.Duration
}

func (t timedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(r)
	if err == nil {
		t.out <- time.Since(start)
	}
	return resp, err
}

// runClient runs every interval a cycle of n checks of the URL at once, each on a fresh connection
// (keep-alives off, no TLS session cache: Go's default), and prints one line per check and per cycle:
//
//	check ms=1.234
//	cycle n=17
func runClient(args []string) {
	fs := flag.NewFlagSet("client", flag.ExitOnError)
	interval := fs.Duration("interval", 250*time.Millisecond, "time between the starts of two cycles")
	checks := fs.Int("checks", 10, "checks per cycle, started together")
	caFile := fs.String("ca", "", "PEM certificate to trust for https URLs")
	fs.Parse(args)
	if fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "client: one URL")
		os.Exit(2)
	}
	url := fs.Arg(0)

	tlsConfig := &tls.Config{}
	if *caFile != "" {
		pem, err := os.ReadFile(*caFile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "client: read CA:", err)
			os.Exit(1)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		tlsConfig.RootCAs = pool
	}
	// upstream's check transport: dial timeout 5 s, keep-alives off, the client's timeout 6 s
	transport := &http.Transport{
		Proxy:             http.ProxyFromEnvironment,
		DialContext:       (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		DisableKeepAlives: true,
		TLSClientConfig:   tlsConfig,
	}
	durations := make(chan time.Duration, 4*(*checks))
	client := &http.Client{Timeout: 6 * time.Second, Transport: timedTransport{next: transport, out: durations}}

	out := bufio.NewWriter(os.Stdout)
	var outMu sync.Mutex
	go func() {
		for d := range durations {
			outMu.Lock()
			fmt.Fprintf(out, "check ms=%.3f\n", float64(d.Nanoseconds())/1e6)
			outMu.Unlock()
		}
	}()
	flush := time.NewTicker(time.Second)
	go func() {
		for range flush.C {
			outMu.Lock()
			out.Flush()
			outMu.Unlock()
		}
	}()

	ticker := time.NewTicker(*interval)
	for cycle := 1; ; cycle++ {
		var wg sync.WaitGroup
		for i := 0; i < *checks; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp, err := client.Get(url)
				if err != nil {
					fmt.Fprintln(os.Stderr, "check failed:", err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}()
		}
		wg.Wait()
		outMu.Lock()
		fmt.Fprintf(out, "cycle n=%d\n", cycle)
		outMu.Unlock()
		<-ticker.C
	}
}
