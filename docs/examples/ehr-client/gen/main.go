// Command gen writes, from the example EHR client's GraphQL documents (../ehr/documents), the two
// files derived from them: ../persisted-documents.json, the manifest a CareQueue operator trusts for
// the client (TRUSTED_DOCUMENTS_FILES), and the Bruno collection in docs/api-collection (the token
// request and one request per document, sending the same text). Run by `go generate ./...`, so
// `make check-generated` fails when either is stale.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/carequeue/carequeue/docs/examples/ehr-client/ehr"
)

// collection is where the Bruno collection goes, from docs/examples/ehr-client.
const collection = "../../api-collection"

// exampleVars are the variables each document's request starts with in Bruno.
var exampleVars = map[string]map[string]any{
	"CheckIn": {
		"queueID":        "{{queueId}}",
		"idempotencyKey": "{{$randomUUID}}",
		"patient":        map[string]any{"facilityID": "{{facilityId}}", "givenName": "Ada", "familyName": "Lovelace", "phone": "+447700900123"},
	},
	"FollowTicket": {"ticketID": "{{ticketId}}"},
	"Ticket":       {"id": "{{ticketId}}"},
	"Encounter":    {"id": "{{ticketId}}"},
}

// afterResponse keeps what later requests need, as Bruno variables.
var afterResponse = map[string]string{
	"Queues":  `bru.setVar("queueId", res.body.data?.queues?.edges?.[0]?.node?.id);`,
	"CheckIn": `bru.setVar("ticketId", res.body.data?.checkIn?.id);`,
}

func main() {
	files := map[string][]byte{"persisted-documents.json": ehr.Manifest()}
	for name, body := range bruno() {
		files[filepath.Join(collection, name)] = body
	}
	// The collection holds only what this program writes: a request removed from ehr/documents goes.
	old, _ := filepath.Glob(filepath.Join(collection, "*.bru"))
	for _, f := range old {
		if _, ok := files[f]; !ok {
			if err := os.Remove(f); err != nil {
				log.Fatal(err)
			}
		}
	}
	for path, body := range files {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(path, body, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

func bruno() map[string][]byte {
	out := map[string][]byte{
		"bruno.json": []byte(`{
  "version": "1",
  "name": "CareQueue API (EHR example)",
  "type": "collection",
  "ignore": ["node_modules", ".git"]
}
`),
		"environments/local.bru": []byte(`vars {
  baseUrl: http://localhost:8080
  clientId: AK_your_client_id
  facilityId: FC_your_facility_id
}
vars:secret [
  clientSecret
]
`),
		"01 Get an access token.bru": []byte(`meta {
  name: Get an access token
  type: http
  seq: 1
}

post {
  url: {{baseUrl}}/oauth/token
  body: formUrlEncoded
  auth: basic
}

auth:basic {
  username: {{clientId}}
  password: {{clientSecret}}
}

body:form-urlencoded {
  grant_type: client_credentials
}

script:post-response {
  bru.setVar("accessToken", res.body.access_token);
}

docs {
  OAuth 2.0 client credentials (docs/integration.md, section 2). The token lasts 15 minutes.
}
`),
	}
	docs := ehr.Documents()
	// In the order of the walk-through: find a queue, check in, look at the ticket, then its FHIR Encounter.
	rank := map[string]int{"Queues": 0, "CheckIn": 1, "Ticket": 2, "Encounter": 3}
	sort.SliceStable(docs, func(i, j int) bool { return rankOf(rank, docs[i].Name) < rankOf(rank, docs[j].Name) })
	seq := 2
	for _, d := range docs {
		if strings.Contains(d.Text, "subscription ") {
			continue // Bruno sends GraphQL over HTTP only: ticketChanged is followed by the Go client
		}
		var b bytes.Buffer
		fmt.Fprintf(&b, "meta {\n  name: %s\n  type: graphql\n  seq: %d\n}\n\n", d.Name, seq)
		b.WriteString("post {\n  url: {{baseUrl}}/graphql\n  body: graphql\n  auth: bearer\n}\n\n")
		b.WriteString("auth:bearer {\n  token: {{accessToken}}\n}\n\n")
		fmt.Fprintf(&b, "body:graphql {\n%s}\n\n", indent(d.Text))
		if vars, ok := exampleVars[d.Name]; ok {
			j, err := json.MarshalIndent(vars, "", "  ")
			if err != nil {
				log.Fatal(err)
			}
			fmt.Fprintf(&b, "body:graphql:vars {\n%s}\n\n", indent(string(j)))
		}
		if script, ok := afterResponse[d.Name]; ok {
			fmt.Fprintf(&b, "script:post-response {\n  %s\n}\n\n", script)
		}
		fmt.Fprintf(&b, "docs {\n  Generated from docs/examples/ehr-client/ehr/documents/%s.graphql (sha256 %s).\n}\n", d.Name, d.Hash)
		out[fmt.Sprintf("%02d %s.bru", seq, words(d.Name))] = b.Bytes()
		seq++
	}
	return out
}

func rankOf(rank map[string]int, name string) int {
	if r, ok := rank[name]; ok {
		return r
	}
	return len(rank)
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "  " + l
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

var capital = regexp.MustCompile(`([a-z])([A-Z])`)

// words turns an operation name into a file name: CheckIn → Check in.
func words(name string) string {
	w := capital.ReplaceAllString(name, "$1 $2")
	return w[:1] + strings.ToLower(w[1:])
}
