// Package revocationtest holds the contract tests every revocation bus (in-process and Redis) passes.
package revocationtest

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/session"
)

// Bus is a revocation bus under test.
type Bus interface {
	session.RevocationPublisher
	Run(ctx context.Context, onUser func(userID string), onSync func()) error
}

// Receiver records what a running bus delivered.
type Receiver struct {
	users chan string
	syncs chan struct{}
}

// Start runs b until the test ends and returns what it receives, after its first sync (the
// subscription is in place).
func Start(t *testing.T, b Bus) *Receiver {
	t.Helper()
	r := &Receiver{users: make(chan string, 16), syncs: make(chan struct{}, 16)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- b.Run(ctx, func(u string) { r.users <- u }, func() { r.syncs <- struct{}{} })
	}()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
	})
	r.Synced(t)
	return r
}

// Synced requires a sync (a (re)established subscription) within a few seconds.
func (r *Receiver) Synced(t *testing.T) {
	t.Helper()
	select {
	case <-r.syncs:
	case <-time.After(5 * time.Second):
		t.Fatal("the bus never reported its subscription")
	}
}

// Next requires a user id within a few seconds and returns it.
func (r *Receiver) Next(t *testing.T) string {
	t.Helper()
	select {
	case u := <-r.users:
		return u
	case <-time.After(5 * time.Second):
		t.Fatal("no revocation arrived")
		return ""
	}
}

// Run checks the contract: a revocation published on one bus reaches every running bus of the same
// deployment (newBus returns another replica's bus on each call), the publisher's own included.
func Run(t *testing.T, newBus func(t *testing.T) Bus) {
	t.Run("EveryReplicaHearsEveryRevocation", func(t *testing.T) {
		a := newBus(t)
		b := newBus(t)
		onA, onB := Start(t, a), Start(t, b)
		require.NoError(t, a.PublishRevocation(t.Context(), "US01"))
		require.NoError(t, b.PublishRevocation(t.Context(), "US02"))
		for _, r := range []*Receiver{onA, onB} {
			require.Equal(t, []string{"US01", "US02"}, []string{r.Next(t), r.Next(t)})
		}
	})
}
