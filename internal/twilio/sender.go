package twilio

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"time"

	twiliogo "github.com/twilio/twilio-go"
	twclient "github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"
)

// Config is what Sender needs; cmd builds it from the environment.
type Config struct {
	// AccountSID and AuthToken authenticate (HTTP basic auth); twilio-go accepts only letters and digits.
	AccountSID, AuthToken string
	// From is the sending number in E.164 (or a messaging-service-approved sender).
	From string
	// StatusCallbackURL is the public URL of /webhooks/twilio/status; empty sends no callback.
	StatusCallbackURL string
	// APIURL is the scheme and host requests go to instead of https://api.twilio.com (a regional edge,
	// or a local fake); the path stays Twilio's, /2010-04-01/Accounts/{sid}/Messages.json. Empty means
	// DefaultAPIURL.
	APIURL string
	// HTTPClient carries the requests; nil means a client with a 10-second timeout that does not follow
	// redirects (twilio-go's own default). Tests give one whose transport points at a fake server.
	HTTPClient *http.Client
}

// DefaultAPIURL is Twilio's global REST API.
const DefaultAPIURL = "https://api.twilio.com"

// Sender sends SMS through Twilio. It is safe for concurrent use.
type Sender struct {
	cfg Config
	hc  *http.Client
	api *url.URL
}

var alphanumeric = regexp.MustCompile(`^[a-zA-Z0-9]+$`)

// New checks cfg and returns a Sender. It makes no request: credentials are proven by the first Send.
func New(cfg Config) (*Sender, error) {
	switch {
	case !alphanumeric.MatchString(cfg.AccountSID):
		return nil, errors.New("twilio: account SID must be non-empty letters and digits")
	case !alphanumeric.MatchString(cfg.AuthToken):
		return nil, errors.New("twilio: auth token must be non-empty letters and digits")
	case cfg.From == "":
		return nil, errors.New("twilio: a From number is required")
	}
	api, err := url.Parse(cmp.Or(cfg.APIURL, DefaultAPIURL))
	if err != nil || (api.Scheme != "http" && api.Scheme != "https") || api.Host == "" || (api.Path != "" && api.Path != "/") {
		return nil, errors.New("twilio: the API URL must be an absolute http(s) URL with no path")
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{
			Timeout:       10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	return &Sender{cfg: cfg, hc: hc, api: api}, nil
}

// Send asks Twilio to send body to the E.164 number to and returns the message SID Twilio assigned
// (SM...), which later status callbacks carry. Accepted means queued by Twilio, not delivered.
//
// Every failure is an *Error: Permanent() for a request Twilio refused on its merits (invalid or
// unsubscribed number, bad credentials) or an accepted request whose reply cannot be read; otherwise
// retryable (429, 5xx, network errors, timeouts, ctx ending). MaybeSent() marks a retryable failure
// after the request was fully written, when Twilio may have queued the message all the same.
func (s *Sender) Send(ctx context.Context, to, body string) (string, error) {
	// twilio-go builds its requests with context.Background(); this per-call transport attaches ctx and
	// records what the SDK's error values drop (the HTTP status, whether the request went out).
	call := &callTransport{ctx: ctx, base: s.hc.Transport, api: s.api}
	hc := *s.hc
	hc.Transport = call

	c := &twclient.Client{Credentials: twclient.NewCredentials(s.cfg.AccountSID, s.cfg.AuthToken), HTTPClient: &hc}
	c.SetAccountSid(s.cfg.AccountSID)
	// ClientParams.Username/Password are ignored once Client is set: the credentials are on c.
	rc := twiliogo.NewRestClientWithParams(twiliogo.ClientParams{Client: c})
	// twilio-go reads TWILIO_EDGE/TWILIO_REGION from the environment; configuration lives in cmd only.
	rc.SetEdge("")
	rc.SetRegion("")

	params := &openapi.CreateMessageParams{}
	params.SetTo(to)
	params.SetFrom(s.cfg.From)
	params.SetBody(body)
	if s.cfg.StatusCallbackURL != "" {
		params.SetStatusCallback(s.cfg.StatusCallbackURL)
	}
	msg, err := rc.Api.CreateMessage(params)
	if err != nil {
		return "", classify(err, call)
	}
	if msg.Sid == nil || *msg.Sid == "" {
		// Twilio answered 2xx, so the message is most likely queued: retrying could send it twice.
		return "", &Error{Status: call.status, permanent: true, maybeSent: true, Message: "reply without a message SID"}
	}
	return *msg.Sid, nil
}

// classify turns a failed CreateMessage into an *Error, using what the call transport saw.
func classify(err error, call *callTransport) *Error {
	e := &Error{Status: call.status, Err: err}
	var rest *twclient.TwilioRestError
	if errors.As(err, &rest) {
		e.Code, e.Message = rest.Code, rest.Message
		if e.Status == 0 {
			e.Status = rest.Status // the SDK's own credential check fails before any request
		}
	}
	switch {
	case e.Status == 0:
		// No response: a network error, a timeout or ctx ending. The request may have reached Twilio.
		e.maybeSent = call.wrote.Load()
		if e.Message == "" {
			e.Message = fmt.Sprintf("no response: %v", err)
		}
	case e.Status == http.StatusTooManyRequests, e.Status == http.StatusRequestTimeout, e.Status >= 500:
	case e.Status >= 400:
		e.permanent = true
	default:
		// A 2xx/3xx that failed to decode: Twilio probably accepted it; do not send twice.
		e.permanent, e.maybeSent = true, true
	}
	if e.Message == "" {
		e.Message = http.StatusText(e.Status)
	}
	return e
}
