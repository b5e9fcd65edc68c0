package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"time"
)

// requestTimeout bounds every API call, so a stuck server ends the run instead of hanging it.
const requestTimeout = 30 * time.Second

// api is a signed-in GraphQL-over-HTTP client of one server.
type api struct {
	base     string
	token    string
	facility string // the account's facility
	http     *http.Client
}

type gqlError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

func (e *gqlError) Error() string { return fmt.Sprintf("%s (%s)", e.Message, e.Extensions.Code) }

// retryIn reads the wait out of a RATE_LIMITED message ("try again in 39 seconds"), or 0.
func retryIn(err error) time.Duration {
	var e *gqlError
	if !errors.As(err, &e) || e.Extensions.Code != "RATE_LIMITED" {
		return 0
	}
	wait := 30 * time.Second
	if m := retryAfter.FindStringSubmatch(e.Message); m != nil {
		n, _ := strconv.Atoi(m[1])
		wait = time.Duration(n+1) * time.Second
	}
	return min(wait, maxLoginWait)
}

var retryAfter = regexp.MustCompile(`in (\d+) seconds?`)

// do posts one operation and decodes its data into out (when not nil).
func (a *api) do(ctx context.Context, query string, vars map[string]any, out any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.base+"/graphql", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	res, err := a.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 32<<20))
	if err != nil {
		return err
	}
	var env struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return fmt.Errorf("%s answered HTTP %d: %.200s", a.base, res.StatusCode, raw)
	}
	if len(env.Errors) > 0 {
		return &env.Errors[0]
	}
	if out != nil {
		return json.Unmarshal(env.Data, out)
	}
	return nil
}

// maxLoginWait caps how long login waits out the server's sign-in rate limit (per address: runs in a
// row from one machine reach it).
const maxLoginWait = 65 * time.Second

// login signs in at base and returns a client carrying the access token. When the server's sign-in
// rate limit answers, it waits as told (at most maxLoginWait) and tries once more.
func login(ctx context.Context, client *http.Client, base, email, password string, out *printer) (*api, error) {
	a, err := loginOnce(ctx, client, base, email, password)
	if wait := retryIn(err); wait > 0 {
		out.Printf("sign-in rate limited at %s: waiting %s", base, wait)
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		a, err = loginOnce(ctx, client, base, email, password)
	}
	if err != nil {
		return nil, fmt.Errorf("signing in as %s at %s: %w", email, base, err)
	}
	return a, nil
}

func loginOnce(ctx context.Context, client *http.Client, base, email, password string) (*api, error) {
	a := &api{base: base, http: client}
	var d struct {
		Login struct {
			AccessToken string `json:"accessToken"`
			User        struct {
				FacilityID *string `json:"facilityID"`
			} `json:"user"`
		} `json:"login"`
	}
	err := a.do(ctx, `mutation($e:String!,$p:String!){ login(email:$e,password:$p){ accessToken user{ facilityID } } }`,
		map[string]any{"e": email, "p": password}, &d)
	if err != nil {
		return nil, err
	}
	a.token = d.Login.AccessToken
	if d.Login.User.FacilityID != nil {
		a.facility = *d.Login.User.FacilityID
	}
	return a, nil
}

// edges is the shape of an entgql connection whose nodes carry an id and a name.
type edges struct {
	Edges []struct {
		Node struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"node"`
	} `json:"edges"`
}

func (e edges) ids() []string {
	out := make([]string, 0, len(e.Edges))
	for _, x := range e.Edges {
		out = append(out, x.Node.ID)
	}
	return out
}

// callNext calls the first waiting ticket of queue to the service point; "" when nobody waits.
func (a *api) callNext(ctx context.Context, queue, servicePoint string) (string, error) {
	var d struct {
		CallNext *struct {
			ID string `json:"id"`
		} `json:"callNext"`
	}
	err := a.do(ctx, `mutation($q:ID!,$s:ID!){ callNext(queueID:$q, servicePointID:$s){ id } }`,
		map[string]any{"q": queue, "s": servicePoint}, &d)
	if err != nil || d.CallNext == nil {
		return "", err
	}
	return d.CallNext.ID, nil
}

// snapshot returns a queue's version and its waiting tickets in call order.
func (a *api) snapshot(ctx context.Context, queue string) (int64, []string, error) {
	var d struct {
		QueueSnapshot struct {
			Version int64 `json:"version"`
			Waiting []struct {
				ID string `json:"id"`
			} `json:"waiting"`
		} `json:"queueSnapshot"`
	}
	if err := a.do(ctx, `query($q:ID!){ queueSnapshot(queueID:$q){ version waiting{ id } } }`, map[string]any{"q": queue}, &d); err != nil {
		return 0, nil, fmt.Errorf("reading queue %s: %w", queue, err)
	}
	ids := make([]string, len(d.QueueSnapshot.Waiting))
	for i, t := range d.QueueSnapshot.Waiting {
		ids[i] = t.ID
	}
	return d.QueueSnapshot.Version, ids, nil
}
