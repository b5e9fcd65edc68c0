package fcm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"

	firebase "firebase.google.com/go/v4"
	"firebase.google.com/go/v4/messaging"
	"google.golang.org/api/option"
)

// Config is what Sender needs; cmd builds it from the environment.
type Config struct {
	// ProjectID is the Firebase project whose apps registered the device tokens.
	ProjectID string
	// CredentialsFile is a service-account JSON key; empty uses Application Default Credentials
	// (GOOGLE_APPLICATION_CREDENTIALS, or the metadata server on Google Cloud).
	CredentialsFile string
	// Endpoint, for tests only, replaces https://fcm.googleapis.com/v1 (keep the "/v1": requests go to
	// Endpoint + "/projects/{ProjectID}/messages:send") and sends without authentication.
	Endpoint string
	// HTTPClient, for tests only and only with Endpoint, carries the requests. Google's transport
	// adds OAuth only to a client it builds itself, so a client given in production would send
	// unauthenticated requests; New refuses that.
	HTTPClient *http.Client
}

// Sender sends push notifications through FCM. It is safe for concurrent use.
type Sender struct {
	client *messaging.Client
}

// New builds the Firebase messaging client. With a CredentialsFile it reads that file; it makes no
// request to Google.
func New(ctx context.Context, cfg Config) (*Sender, error) {
	if cfg.ProjectID == "" {
		return nil, errors.New("fcm: a Firebase project ID is required")
	}
	var opts []option.ClientOption
	switch {
	case cfg.Endpoint != "":
		if cfg.CredentialsFile != "" {
			return nil, errors.New("fcm: Endpoint is for tests and sends no credentials; drop CredentialsFile")
		}
		opts = append(opts, option.WithEndpoint(cfg.Endpoint), option.WithoutAuthentication())
		if cfg.HTTPClient != nil {
			opts = append(opts, option.WithHTTPClient(cfg.HTTPClient))
		}
	case cfg.HTTPClient != nil:
		return nil, errors.New("fcm: HTTPClient would bypass Google authentication; it is only for tests with Endpoint")
	case cfg.CredentialsFile != "":
		key, err := serviceAccountKey(cfg.CredentialsFile)
		if err != nil {
			return nil, err
		}
		opts = append(opts, option.WithAuthCredentialsJSON(option.ServiceAccount, key))
	}
	app, err := firebase.NewApp(ctx, &firebase.Config{ProjectID: cfg.ProjectID}, opts...)
	if err != nil {
		return nil, fmt.Errorf("fcm: creating Firebase app: %w", err)
	}
	client, err := app.Messaging(ctx)
	if err != nil {
		return nil, fmt.Errorf("fcm: creating messaging client: %w", err)
	}
	return &Sender{client: client}, nil
}

// Send pushes a notification with title and body, plus data for the app (e.g. the ticket ID), to
// the device with the registration token, and returns FCM's message name
// ("projects/{project}/messages/{id}").
//
// The Admin SDK itself retries network errors and 503 up to 4 times (0, 1, 2, 4 s apart, longer if
// FCM sends Retry-After, giving up when that exceeds 2 minutes), so a Send can take several seconds;
// bound it with ctx. Errors: ErrUnregistered (errors.Is) when the token is dead; otherwise an *Error,
// Retryable() for quota, unavailable, internal errors, timeouts and ctx ending.
func (s *Sender) Send(ctx context.Context, token, title, body string, data map[string]string) (string, error) {
	if token == "" {
		return "", &Error{Code: "INVALID_ARGUMENT", Message: "empty registration token", unregistered: true}
	}
	id, err := s.client.Send(ctx, &messaging.Message{
		Token:        token,
		Notification: &messaging.Notification{Title: title, Body: body},
		Data:         data,
	})
	if err != nil {
		return "", classify(ctx, err)
	}
	return id, nil
}

// serviceAccountKey reads a service account's JSON key. Google's libraries follow whatever a
// credentials file says (an external account names a URL or a command to fetch a token from) even
// when told to expect a service account, so the type is checked here, once, on the bytes then used.
func serviceAccountKey(path string) ([]byte, error) {
	key, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("fcm: reading the credentials file: %w", err)
	}
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(key, &head); err != nil {
		return nil, errors.New("fcm: the credentials file is not JSON")
	}
	if head.Type != "service_account" {
		return nil, fmt.Errorf("fcm: the credentials file holds a %q credential; a service account's key is needed", head.Type)
	}
	return key, nil
}
