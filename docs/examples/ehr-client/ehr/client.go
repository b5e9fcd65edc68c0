package ehr

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Client calls one CareQueue server as one API client.
type Client struct {
	// BaseURL is the server's address, e.g. https://queue.example.org.
	BaseURL string
	// HTTP defaults to http.DefaultClient.
	HTTP *http.Client
	// Token is the access token Authenticate got.
	Token string
}

// Error is a GraphQL error: Code is its extensions.code (UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT,
// PERSISTED_QUERY_REQUIRED, ...), which is what a program acts on.
type Error struct {
	Code, Message, Field string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Field)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

type gqlError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code  string `json:"code"`
		Field string `json:"field"`
	} `json:"extensions"`
}

func (g gqlError) err() *Error {
	return &Error{Code: g.Extensions.Code, Message: g.Message, Field: g.Extensions.Field}
}

func (c *Client) http() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return http.DefaultClient
}

// Authenticate gets an access token with the client credentials grant (POST /oauth/token, RFC 6749
// §4.4): scopes empty asks for all of the client's scopes. Tokens last 15 minutes; call it again then.
func (c *Client) Authenticate(ctx context.Context, clientID, clientSecret string, scopes ...string) error {
	form := url.Values{"grant_type": {"client_credentials"}}
	if len(scopes) > 0 {
		form.Set("scope", strings.Join(scopes, " "))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+"/oauth/token", strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(clientSecret))
	res, err := c.http().Do(req)
	if err != nil {
		return fmt.Errorf("token request: %w", err)
	}
	defer res.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&body); err != nil {
		return fmt.Errorf("token request: HTTP %d: %w", res.StatusCode, err)
	}
	if res.StatusCode != http.StatusOK || body.AccessToken == "" {
		return fmt.Errorf("token request: HTTP %d: %s: %s", res.StatusCode, body.Error, body.Description)
	}
	c.Token = body.AccessToken
	return nil
}

// request is a GraphQL request body: the document by hash, and its text only when asked.
type request struct {
	OperationName string         `json:"operationName"`
	Query         string         `json:"query,omitempty"`
	Variables     map[string]any `json:"variables,omitempty"`
	Extensions    map[string]any `json:"extensions"`
}

func newRequest(d Document, vars map[string]any, withText bool) request {
	r := request{OperationName: d.Name, Variables: vars,
		Extensions: map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": d.Hash}}}
	if withText {
		r.Query = d.Text
	}
	return r
}

// do runs a query or mutation over HTTP and decodes its data into out. The document goes by hash; a
// server that does not know the hash (PERSISTED_QUERY_NOT_FOUND) gets the text with it.
func (c *Client) do(ctx context.Context, name string, vars map[string]any, out any) error {
	d := document(name)
	data, errs, err := c.post(ctx, newRequest(d, vars, false))
	if err == nil && len(errs) > 0 && errs[0].Extensions.Code == "PERSISTED_QUERY_NOT_FOUND" {
		data, errs, err = c.post(ctx, newRequest(d, vars, true))
	}
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return errs[0].err()
	}
	return json.Unmarshal(data, out)
}

func (c *Client) post(ctx context.Context, r request) (json.RawMessage, []gqlError, error) {
	body, err := json.Marshal(r)
	if err != nil {
		return nil, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+"/graphql", bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.Token)
	res, err := c.http().Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", r.OperationName, err)
	}
	defer res.Body.Close()
	var answer struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 4<<20)).Decode(&answer); err != nil {
		return nil, nil, fmt.Errorf("%s: HTTP %d: %w", r.OperationName, res.StatusCode, err)
	}
	return answer.Data, answer.Errors, nil
}

// Queue is a queue a patient can be checked in to.
type Queue struct {
	ID, Name, Department, FacilityID string
}

// Queues lists the facility's open queues.
func (c *Client) Queues(ctx context.Context) ([]Queue, error) {
	var data struct {
		Queues struct {
			Edges []struct {
				Node struct {
					ID, Name   string
					Department struct{ Name, FacilityID string }
				}
			}
		}
	}
	if err := c.do(ctx, "Queues", nil, &data); err != nil {
		return nil, err
	}
	out := make([]Queue, 0, len(data.Queues.Edges))
	for _, e := range data.Queues.Edges {
		out = append(out, Queue{ID: e.Node.ID, Name: e.Node.Name, Department: e.Node.Department.Name, FacilityID: e.Node.Department.FacilityID})
	}
	return out, nil
}

// Patient is who is checked in (registered with the facility as part of the check-in).
type Patient struct {
	FacilityID string `json:"facilityID"`
	GivenName  string `json:"givenName"`
	FamilyName string `json:"familyName"`
	// Phone in E.164 (+447700900123), or national format in the facility's region; optional.
	Phone string `json:"phone,omitempty"`
	// MRN is your medical record number for the patient, unique per facility; optional.
	MRN string `json:"mrn,omitempty"`
}

// Ticket is a patient's place in a queue.
type Ticket struct {
	ID                   string `json:"id"`
	Code                 string `json:"code"`
	Status               string `json:"status"`
	Position             *int   `json:"position"`
	EstimatedWaitMinutes *int   `json:"estimatedWaitMinutes"`
}

// Encounter is a ticket's visit as a FHIR R4 Encounter (docs/integration.md, "FHIR view").
type Encounter struct {
	ID       string `json:"id"`
	Status   string `json:"status"` // arrived, triaged, in-progress, finished, cancelled
	Location []struct {
		Location struct{ Reference, Display string }
		Status   string
	} `json:"location"`
}

// Encounter reads the visit of the ticket ticketID in FHIR R4's shape (scope queues:read).
func (c *Client) Encounter(ctx context.Context, ticketID string) (Encounter, error) {
	var data struct{ Fhir struct{ Encounter Encounter } }
	err := c.do(ctx, "Encounter", map[string]any{"id": ticketID}, &data)
	return data.Fhir.Encounter, err
}

// CheckIn checks p in to the queue. Use one idempotencyKey per patient arrival and reuse it on a
// retry: the server then returns the first ticket instead of a second one.
func (c *Client) CheckIn(ctx context.Context, queueID string, p Patient, idempotencyKey string) (Ticket, error) {
	var data struct{ CheckIn Ticket }
	err := c.do(ctx, "CheckIn", map[string]any{"queueID": queueID, "patient": p, "idempotencyKey": idempotencyKey}, &data)
	return data.CheckIn, err
}
