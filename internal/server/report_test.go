package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/cqerr"
)

// fakeReporter records what the server reports (internal/sentry's Reporter in production).
type fakeReporter struct {
	mu      sync.Mutex
	errors  []error
	panics  []any
	request []string
}

func (f *fakeReporter) ReportError(ctx context.Context, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errors = append(f.errors, err)
	f.request = append(f.request, audit.RequestFrom(ctx).ID)
}

func (f *fakeReporter) ReportPanic(ctx context.Context, p any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.panics = append(f.panics, p)
	f.request = append(f.request, audit.RequestFrom(ctx).ID)
}

// Only the server's own faults are reported: panics and errors answered INTERNAL, from GraphQL or a
// plain HTTP handler, never what a caller caused or a request the caller abandoned.
func TestReportsFaults(t *testing.T) {
	t.Parallel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	request := audit.WithRequest(context.Background(), audit.Request{ID: "req-1"})

	t.Run("HandlerPanicIsReportedAnd500", func(t *testing.T) {
		t.Parallel()
		rep := &fakeReporter{}
		h := requestID(accessLog(log, nil, rep, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
			panic("nil map write")
		})))
		w := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodGet, "/admin/reports.csv", nil)
		r.Header.Set(RequestIDHeader, "req-2")
		h.ServeHTTP(w, r)
		require.Equal(t, http.StatusInternalServerError, w.Code)
		require.Equal(t, []any{"nil map write"}, rep.panics)
		require.Equal(t, []string{"req-2"}, rep.request)
	})
	t.Run("HandlerInternalErrorIsReported", func(t *testing.T) {
		t.Parallel()
		rep := &fakeReporter{}
		failure := errors.New("no such table: reports")
		h := requestID(accessLog(log, nil, rep, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeCodedError(w, r, log, failure, 0)
		})))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/admin/reports.csv", nil))
		require.Equal(t, http.StatusInternalServerError, w.Code)
		require.Equal(t, []error{failure}, rep.errors)
	})
	t.Run("ResolverPanicIsReportedOnce", func(t *testing.T) {
		t.Parallel()
		rep := &fakeReporter{}
		ctx := withReporter(request, rep)
		err := NewRecoverFunc(log)(ctx, "index out of range")
		require.Equal(t, []any{"index out of range"}, rep.panics)
		out := NewErrorPresenter(log)(ctx, err)
		require.Equal(t, string(cqerr.Internal), out.Extensions["code"])
		require.Empty(t, rep.errors, "the panic was reported with its stack already")
	})
	t.Run("OnlyInternalErrorsAreReported", func(t *testing.T) {
		t.Parallel()
		rep := &fakeReporter{}
		ctx := withReporter(request, rep)
		present := NewErrorPresenter(log)
		internal := fmt.Errorf("inserting ticket: %w", errors.New("no such table: tickets"))
		for _, err := range []error{
			internal,
			cqerr.E(cqerr.BadUserInput, "queue is closed"),
			cqerr.E(cqerr.NotFound, "no such ticket"),
			cqerr.E(cqerr.Forbidden, "not yours"),
			fmt.Errorf("reading queue: %w", context.Canceled),
			cqerr.Wrap(cqerr.Internal, context.Canceled, "gave up"),
		} {
			require.NotNil(t, present(ctx, err))
		}
		require.Equal(t, []error{internal}, rep.errors)
		require.Equal(t, []string{"req-1"}, rep.request)
	})
	t.Run("NoReporterChangesNothing", func(t *testing.T) {
		t.Parallel()
		out := NewErrorPresenter(log)(request, errors.New("x"))
		require.Equal(t, string(cqerr.Internal), out.Extensions["code"])
		require.ErrorIs(t, NewRecoverFunc(log)(request, "x"), errPanic)
	})
}
