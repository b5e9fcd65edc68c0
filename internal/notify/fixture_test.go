package notify_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/migrate/migrations"
	"github.com/carequeue/carequeue/ent/notification"
	entqueue "github.com/carequeue/carequeue/ent/queue"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/fcm"
	"github.com/carequeue/carequeue/internal/jobs"
	"github.com/carequeue/carequeue/internal/notify"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
	"github.com/carequeue/carequeue/internal/testfactory"
	"github.com/carequeue/carequeue/internal/twilio"
)

const publicURL = "https://queue.example.org"

// sms is one request as the fake Twilio received it.
type sms struct{ to, body string }

// fakeTwilio stands in for api.twilio.com; reply answers the n-th request (0-based).
type fakeTwilio struct {
	srv   *httptest.Server
	mu    sync.Mutex
	got   []sms
	reply func(n int) (int, string)
}

func newFakeTwilio(t *testing.T) *fakeTwilio {
	t.Helper()
	f := &fakeTwilio{reply: func(n int) (int, string) {
		return http.StatusCreated, fmt.Sprintf(`{"sid":"SM%032d","status":"queued"}`, n)
	}}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		f.mu.Lock()
		n := len(f.got)
		f.got = append(f.got, sms{to: form.Get("To"), body: form.Get("Body")})
		reply := f.reply
		f.mu.Unlock()
		status, out := reply(n)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, out)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeTwilio) setReply(reply func(n int) (int, string)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reply = reply
}

func (f *fakeTwilio) received() []sms {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sms(nil), f.got...)
}

// RoundTrip sends every request to the fake: twilio-go has no base-URL option, only an HTTP client.
func (f *fakeTwilio) RoundTrip(req *http.Request) (*http.Response, error) {
	target, _ := url.Parse(f.srv.URL)
	req = req.Clone(req.Context())
	req.URL.Scheme, req.URL.Host, req.Host = target.Scheme, target.Host, ""
	return f.srv.Client().Transport.RoundTrip(req)
}

// fakePush accepts every token except "dead", which FCM no longer knows.
type fakePush struct {
	mu     sync.Mutex
	tokens []string
}

func (p *fakePush) Send(_ context.Context, token, _, _ string, _ map[string]string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tokens = append(p.tokens, token)
	if token == "dead" {
		return "", fmt.Errorf("fcm: status 404, UNREGISTERED: %w", fcm.ErrUnregistered)
	}
	return "projects/p/messages/" + token, nil
}

func (p *fakePush) sent() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.tokens...)
}

// fixture is one database with a queue, a working notification pipeline and fake providers.
type fixture struct {
	db        *store.DB
	client    *ent.Client
	svc       *queue.Service
	enq       *notify.Enqueuer
	twilio    *fakeTwilio
	push      *fakePush
	late      atomic.Int64 // how far the workers' clock runs ahead, in nanoseconds
	facility  *ent.Facility
	queue     *ent.Queue
	room      *ent.ServicePoint
	reception context.Context
	clinician context.Context
	jobs      *jobs.Client
	idle      bool // the workers wait for start
}

var sys = auth.SystemContext(context.Background())

// newFixture builds the fixture; edit changes the workers' options (e.g. a nil sender: the log sender).
func newFixture(t *testing.T, d store.Dialect, edit ...func(*notify.Options)) *fixture {
	t.Helper()
	return buildFixture(t, d, false, edit...)
}

// newIdleFixture is newFixture whose workers do not run until start: jobs queue up meanwhile.
func newIdleFixture(t *testing.T, d store.Dialect, edit ...func(*notify.Options)) *fixture {
	t.Helper()
	return buildFixture(t, d, true, edit...)
}

// start starts the workers.
func (f *fixture) start(t *testing.T) {
	t.Helper()
	require.NoError(t, f.jobs.Start(t.Context()))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		require.NoError(t, f.jobs.Stop(ctx))
	})
}

func buildFixture(t *testing.T, d store.Dialect, idle bool, edit ...func(*notify.Options)) *fixture {
	t.Helper()
	db := storetest.NewMigratedDB(t, d, migrations.FS)
	require.NoError(t, jobs.Migrate(t.Context(), db))
	f := &fixture{db: db, client: db.Ent, twilio: newFakeTwilio(t), push: &fakePush{}, idle: idle}

	sender, err := twilio.New(twilio.Config{
		AccountSID: "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", AuthToken: "0123456789abcdef0123456789abcdef",
		From: "+15005550006", HTTPClient: &http.Client{Timeout: 5 * time.Second, Transport: f.twilio},
	})
	require.NoError(t, err)
	workers := river.NewWorkers()
	opts := notify.Options{
		SMS: sender, Push: f.push, PublicURL: publicURL + "/",
		Now:   func() time.Time { return time.Now().Add(time.Duration(f.late.Load())) },
		Retry: notify.RetryPolicy{Base: 20 * time.Millisecond, Max: 100 * time.Millisecond},
	}
	for _, e := range edit {
		e(&opts)
	}
	require.NoError(t, notify.AddWorkers(workers, db, opts))
	jc, err := jobs.New(db, jobs.Options{
		Workers:           workers,
		Queues:            map[string]river.QueueConfig{notify.Queue: {MaxWorkers: 4}, notify.AheadQueue: {MaxWorkers: notify.AheadWorkers}},
		FetchPollInterval: 50 * time.Millisecond,
	})
	require.NoError(t, err)
	f.jobs = jc
	if !f.idle {
		f.start(t)
	}
	f.enq = notify.NewEnqueuer(jc)
	f.svc = queue.NewService(db, queue.Options{Jobs: f.enq, Announcer: f.enq})

	ctx := context.Background()
	h := testfactory.SmallHospital(ctx, t, f.client, &testfactory.HospitalOpts{
		Facility:   testfactory.FacilityOpts{Name: "General", Timezone: "Europe/London"},
		Department: testfactory.DepartmentOpts{Name: "Emergency"},
		// notify_ahead 0 keeps "turn near" messages out of the tests that are not about them.
		Queue:        testfactory.QueueOpts{Name: "Lab", Prefix: "L", Ordering: entqueue.OrderingFIFO, NotifyAhead: new(0)},
		ServicePoint: testfactory.ServicePointOpts{Name: "Room 3"},
	})
	f.facility, f.queue, f.room = h.Facility, h.Queue, h.ServicePoint
	f.reception = testfactory.As(ctx, h.Receptionist)
	f.clinician = testfactory.As(ctx, h.Clinician)
	return f
}

// patient creates a patient at the facility, with phone (none when empty); edit sets more.
func (f *fixture) patient(t *testing.T, phone string, edit ...func(*testfactory.PatientOpts)) *ent.Patient {
	t.Helper()
	opts := &testfactory.PatientOpts{FacilityID: f.facility.ID, Phone: phone}
	for _, e := range edit {
		e(opts)
	}
	return testfactory.Patient(context.Background(), t, f.client, opts)
}

func (f *fixture) checkIn(t *testing.T, p *ent.Patient) *ent.Ticket {
	t.Helper()
	tk, err := f.svc.CheckIn(f.reception, queue.NoKey, queue.CheckInInput{QueueID: f.queue.ID, PatientID: &p.ID})
	require.NoError(t, err)
	return tk
}

func (f *fixture) callNext(t *testing.T) *ent.Ticket {
	t.Helper()
	tk, err := f.svc.CallNext(f.clinician, queue.NoKey, f.queue.ID, f.room.ID)
	require.NoError(t, err)
	require.NotNil(t, tk)
	return tk
}

// settle waits until River has finished every job, so a message that was going to be sent has been.
func (f *fixture) settle(t *testing.T) {
	t.Helper()
	require.Eventually(t, func() bool {
		var n int
		require.NoError(t, f.db.SQL.QueryRowContext(t.Context(),
			"SELECT COUNT(*) FROM river_job WHERE state NOT IN ('completed', 'cancelled', 'discarded')").Scan(&n))
		return n == 0
	}, 15*time.Second, 20*time.Millisecond)
}

// jobStates returns the states of the ticket message jobs, in insertion order.
func (f *fixture) jobStates(t *testing.T) []string {
	t.Helper()
	rows, err := f.db.SQL.QueryContext(t.Context(), "SELECT state FROM river_job WHERE kind = 'notify_ticket_message' ORDER BY id")
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		require.NoError(t, rows.Scan(&s))
		out = append(out, s)
	}
	require.NoError(t, rows.Err())
	return out
}

// notifications returns the ticket's Notification rows of kind k.
func (f *fixture) notifications(t *testing.T, tk *ent.Ticket, k notify.Kind) []*ent.Notification {
	t.Helper()
	return f.client.Notification.Query().
		Where(notification.TicketID(string(tk.ID)), notification.Kind(string(k))).
		Order(ent.Asc(notification.FieldChannel)).
		AllX(sys)
}
