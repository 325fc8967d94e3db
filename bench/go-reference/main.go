// Command goreference is the Go side of bench/side-by-side.sh: a check client shaped like upstream
// kubenurse's check transport, and the target server both clients check.
//
//	goreference client -interval 250ms -checks 10 [-ca cert.pem] URL
//	goreference server -addr 127.0.0.1:0 -stats 127.0.0.1:0 -delay 10ms [-cert c.pem -key k.pem]
//
// Standard library only; not part of the build or CI.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: goreference client|server [flags]")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "client":
		runClient(os.Args[2:])
	case "server":
		runServer(os.Args[2:])
	default:
		fmt.Fprintln(os.Stderr, "unknown command:", os.Args[1])
		os.Exit(2)
	}
}
