package session_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/migrate/migrations"
	"github.com/carequeue/carequeue/ent/user"
	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/inmem"
	"github.com/carequeue/carequeue/internal/session"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
	"github.com/carequeue/carequeue/internal/testclock"
	"github.com/carequeue/carequeue/internal/testfactory"
)

var testSecret = []byte("session-test-secret-0123456789abcdef")

const (
	anaEmail    = "ana@example.org"
	anaPassword = "correct horse battery"
	mariaPhone  = "+447700900123"
)

// fixture is one test's world: its own migrated database, a service on a fake clock, a facility with an
// admin, a clinician (Ana) and a patient record (Maria) with a phone.
type fixture struct {
	db       *store.DB
	client   *ent.Client
	svc      *session.Service
	opts     session.Options
	tokens   *auth.Tokens
	hasher   *auth.PasswordHasher
	clock    *testclock.Clock
	sender   *fakeSender
	revoked  *recordedRevocations
	facility *ent.Facility
	admin    *ent.User
	ana      *ent.User
	maria    *ent.Patient
}

func newFixture(t *testing.T, d store.Dialect) *fixture {
	t.Helper()
	db := storetest.NewMigratedDB(t, d, migrations.FS)
	clk := testclock.New(time.Now().UTC().Truncate(time.Second))
	tokens, err := auth.NewTokens(auth.TokenConfig{
		Secret: testSecret, Issuer: "https://carequeue.test", Audience: "carequeue-api", Now: clk.Now,
	})
	require.NoError(t, err)
	f := &fixture{
		db: db, client: db.Ent, tokens: tokens, clock: clk, sender: &fakeSender{}, revoked: &recordedRevocations{},
		hasher: auth.NewPasswordHasher(auth.FastPasswordParams()),
	}
	f.opts = session.Options{
		Tokens: tokens, Hasher: f.hasher,
		AccountLimiter: inmem.NewLimiter(5, time.Minute, clk.Now), AddressLimiter: inmem.NewLimiter(5, time.Minute, clk.Now),
		AddressFailureLimiter: inmem.NewLimiter(20, time.Minute, clk.Now),
		Codes:                 f.sender, CodeKey: testSecret, Now: clk.Now, Revocations: f.revoked,
	}
	f.svc = session.New(db, f.opts)

	f.facility = testfactory.Facility(t.Context(), t, f.client, &testfactory.FacilityOpts{Name: "General"})
	f.admin = f.newUser(t, "admin@example.org", "admin password 1", user.RoleADMIN)
	f.ana = f.newUser(t, anaEmail, anaPassword, user.RoleCLINICIAN)
	f.maria = testfactory.Patient(t.Context(), t, f.client, &testfactory.PatientOpts{
		FacilityID: f.facility.ID, GivenName: "Maria", FamilyName: "Lopez", Phone: mariaPhone,
	})
	return f
}

// limit replaces the service with one whose sessions have these limits.
func (f *fixture) limit(staff, patient session.Limits) {
	f.opts.Staff, f.opts.Patient = staff, patient
	f.svc = session.New(f.db, f.opts)
}

func (f *fixture) newUser(t *testing.T, email, password string, role user.Role) *ent.User {
	t.Helper()
	h, err := f.hasher.Hash(password)
	require.NoError(t, err)
	return testfactory.User(t.Context(), t, f.client, &testfactory.UserOpts{
		Email: email, Name: email, Role: role, PasswordHash: h, FacilityID: f.facility.ID,
	})
}

// from is a request context from a client address.
func from(t *testing.T, address string) context.Context {
	return audit.WithRequest(t.Context(), audit.Request{ID: "req-1", Address: address})
}

// counts returns the number of rows of every table sign-in writes to.
func (f *fixture) counts(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"users", "patients", "refresh_tokens", "login_codes", "audit_entries", "notifications"} {
		var n int
		require.NoError(t, f.db.SQL.QueryRowContext(t.Context(), "SELECT count(*) FROM "+table).Scan(&n))
		out[table] = n
	}
	return out
}

// count runs a SELECT count(*) query.
func (f *fixture) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	if f.db.Dialect == store.SQLite {
		query = sqliteParams(query)
	}
	var n int
	require.NoError(t, f.db.SQL.QueryRowContext(t.Context(), query, args...).Scan(&n))
	return n
}

// sqliteParams turns $1, $2 ... into ?; the tests use at most nine.
func sqliteParams(q string) string {
	b := []byte(q)
	for i := 0; i+1 < len(b); i++ {
		if b[i] == '$' && b[i+1] >= '1' && b[i+1] <= '9' {
			b = append(b[:i+1], b[i+2:]...)
			b[i] = '?'
		}
	}
	return string(b)
}

func (f *fixture) login(t *testing.T) *session.Session {
	t.Helper()
	s, err := f.svc.Login(from(t, "203.0.113.7"), anaEmail, anaPassword)
	require.NoError(t, err)
	return s
}

func requireCoded(t *testing.T, err error, code cqerr.Code, msg string) {
	t.Helper()
	require.Error(t, err)
	require.Equal(t, code, cqerr.CodeOf(err), "%v", err)
	if msg != "" {
		require.Equal(t, msg, cqerr.MessageOf(err))
	}
}

// fakeSender captures the codes that would go out by SMS.
type fakeSender struct {
	mu   sync.Mutex
	sent []sentCode
}

type sentCode struct{ phone, code string }

func (s *fakeSender) SendCode(_ context.Context, phone, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, sentCode{phone, code})
	return nil
}

func (s *fakeSender) Sent() []sentCode {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sentCode(nil), s.sent...)
}

// last returns the last code sent.
func (s *fakeSender) last(t *testing.T) sentCode {
	t.Helper()
	sent := s.Sent()
	require.NotEmpty(t, sent, "no code was sent")
	return sent[len(sent)-1]
}
