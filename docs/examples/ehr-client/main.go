// Command ehr-client is the example integration that docs/integration.md walks through: with an API
// client's credentials it gets an access token, checks a patient in, follows the ticket live over
// WebSocket until the visit is over and, given a webhook endpoint's secret, receives and verifies the
// signed webhooks CareQueue sends. The work is in package ehr, which a test runs against a real server.
//
//	go run ./docs/examples/ehr-client -server http://localhost:8080 \
//	  -client-id AK... -client-secret-file client-secret.txt \
//	  -given Ada -family Lovelace \
//	  -webhook-addr 127.0.0.1:9000 -webhook-secret-file whsec.txt
//
// Its GraphQL documents are in ehr/documents; persisted-documents.json, generated from them with the
// API collection (go generate), is what a CareQueue operator trusts for it (TRUSTED_DOCUMENTS_FILES).
package main

//go:generate go run ./gen

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strings"

	"github.com/carequeue/carequeue/docs/examples/ehr-client/ehr"
)

func main() {
	var o ehr.Options
	var secretFile, webhookAddr, webhookSecretFile string
	flag.StringVar(&o.Server, "server", "http://localhost:8080", "CareQueue's address")
	flag.StringVar(&o.ClientID, "client-id", "", "the API client's id (AK...), from createAPIClient")
	flag.StringVar(&secretFile, "client-secret-file", "", "file holding the client secret (cqs_...)")
	flag.StringVar(&o.QueueID, "queue", "", "queue id (QU...); empty: the first open queue")
	flag.StringVar(&o.Patient.FacilityID, "facility", "", "the facility id (FC...) the patient is registered with; empty: the queues' facility")
	flag.StringVar(&o.Patient.GivenName, "given", "Ada", "patient's given name")
	flag.StringVar(&o.Patient.FamilyName, "family", "Lovelace", "patient's family name")
	flag.StringVar(&o.Patient.Phone, "phone", "", "patient's phone (E.164), optional")
	flag.StringVar(&o.Patient.MRN, "mrn", "", "your medical record number for the patient, optional")
	flag.StringVar(&webhookAddr, "webhook-addr", "", "listen here for webhooks (host:port), e.g. 127.0.0.1:9000; empty: no webhooks")
	flag.StringVar(&webhookSecretFile, "webhook-secret-file", "", "file holding the webhook endpoint's secret (whsec_...)")
	flag.Parse()

	if err := run(o, secretFile, webhookAddr, webhookSecretFile); err != nil {
		fmt.Fprintln(os.Stderr, "ehr-client:", err)
		os.Exit(1)
	}
}

func run(o ehr.Options, secretFile, webhookAddr, webhookSecretFile string) error {
	// Secrets come from files, not the command line, where other users of the machine could read them.
	secret, err := os.ReadFile(secretFile)
	if err != nil {
		return fmt.Errorf("-client-secret-file: %w", err)
	}
	o.ClientSecret = strings.TrimSpace(string(secret))
	if webhookAddr != "" {
		s, err := os.ReadFile(webhookSecretFile)
		if err != nil {
			return fmt.Errorf("-webhook-secret-file: %w", err)
		}
		o.WebhookSecret = strings.TrimSpace(string(s))
		if o.Webhooks, err = net.Listen("tcp", webhookAddr); err != nil {
			return fmt.Errorf("-webhook-addr: %w", err)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return ehr.Run(ctx, o, os.Stdout)
}
