// Command webhook-receiver is a minimal receiver of CareQueue's outbound webhooks, for integrators to
// copy: it verifies each delivery with package verify (the Standard Webhooks way) and prints its body.
//
//	echo whsec_... > secret.txt
//	go run ./docs/examples/webhook-receiver -addr 127.0.0.1:9000 -secret-file secret.txt
//
// Answer 2xx quickly and do the work afterwards: CareQueue retries on timeouts, 408, 429 and 5xx, and
// gives up on other 4xx answers.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/carequeue/carequeue/docs/examples/webhook-receiver/verify"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9000", "listen address")
	secretFile := flag.String("secret-file", "", "file holding the endpoint's whsec_ secret (shown once by createWebhookEndpoint)")
	flag.Parse()
	// The secret comes from a file, not the command line, where other users could read it.
	secret, err := os.ReadFile(*secretFile)
	if err != nil {
		log.Fatalf("-secret-file: %v", err)
	}
	v, err := verify.NewVerifier(strings.TrimSpace(string(secret)), nil)
	if err != nil {
		log.Fatalf("-secret-file: %v", err)
	}
	http.Handle("/", v.Handler(func(body []byte) { fmt.Printf("%s\n", body) }))
	srv := &http.Server{Addr: *addr, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("listening on %s", *addr)
	log.Fatal(srv.ListenAndServe())
}
