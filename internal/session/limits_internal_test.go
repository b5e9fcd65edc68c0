package session

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
)

func TestLimitsCheck(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC)
	l := Limits{Idle: 15 * time.Minute, Lifetime: 12 * time.Hour}
	for _, tc := range []struct {
		name        string
		limits      Limits
		issued, now time.Duration // after start
		reason      string
	}{
		{name: "Fresh", limits: l, issued: 0, now: time.Minute},
		{name: "IdleExactly", limits: l, issued: time.Hour, now: time.Hour + 15*time.Minute},
		{name: "IdleBySecond", limits: l, issued: time.Hour, now: time.Hour + 15*time.Minute + time.Second, reason: ReasonIdle},
		{name: "LifetimeEnd", limits: l, issued: 12*time.Hour - time.Minute, now: 12 * time.Hour, reason: ReasonExpired},
		{name: "LifetimeBeforeIdle", limits: l, issued: time.Hour, now: 13 * time.Hour, reason: ReasonExpired},
		{name: "ClockBehindIssue", limits: l, issued: time.Hour, now: time.Hour - time.Minute},
		{name: "Unbounded", limits: Limits{}, issued: 0, now: 1000 * time.Hour},
		{name: "OnlyIdle", limits: Limits{Idle: time.Minute}, issued: 0, now: 1000 * time.Hour, reason: ReasonIdle},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.limits.check(start.Add(tc.now), start, start.Add(tc.issued))
			if tc.reason == "" {
				require.NoError(t, err)
				return
			}
			var ce *cqerr.Error
			require.ErrorAs(t, err, &ce)
			require.Equal(t, cqerr.Unauthenticated, ce.Code)
			require.Equal(t, tc.reason, ce.Reason)
		})
	}
}

func TestLimitsEnd(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC)
	now := start.Add(11*time.Hour + 50*time.Minute)
	for _, tc := range []struct {
		name   string
		limits Limits
		want   time.Time
	}{
		{"IdleFirst", Limits{Idle: 5 * time.Minute, Lifetime: 12 * time.Hour}, now.Add(5 * time.Minute)},
		{"LifetimeFirst", Limits{Idle: 15 * time.Minute, Lifetime: 12 * time.Hour}, start.Add(12 * time.Hour)},
		{"OnlyLifetime", Limits{Lifetime: 12 * time.Hour}, start.Add(12 * time.Hour)},
		{"None", Limits{}, time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.True(t, tc.want.Equal(tc.limits.end(now, start)), "%s", tc.limits.end(now, start))
		})
	}
}

func TestLimitsFor(t *testing.T) {
	t.Parallel()
	o := Options{Staff: Limits{Idle: 1}, Patient: Limits{Idle: 2}}
	for role, want := range map[auth.Role]Limits{
		auth.RoleAdmin: o.Staff, auth.RoleReceptionist: o.Staff, auth.RoleClinician: o.Staff,
		auth.RolePatient: o.Patient, auth.RoleKiosk: {}, auth.RoleIntegration: {}, "": {},
	} {
		require.Equal(t, want, o.limitsFor(role), role)
	}
}

func TestHuman(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		15 * time.Minute: "15 minutes", time.Minute: "1 minute", 12 * time.Hour: "12 hours",
		14 * 24 * time.Hour: "14 days", 20 * time.Second: "20 seconds", 90 * time.Second: "90 seconds",
	} {
		require.Equal(t, want, human(d))
	}
}
