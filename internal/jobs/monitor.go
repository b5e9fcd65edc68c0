package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"

	"riverqueue.com/riverui"

	"github.com/carequeue/carequeue/internal/store"
)

// Monitor is the job monitor: River UI (jobs by state, their errors and attempts, queues; retry, cancel,
// pause) served under a path prefix, on PostgreSQL only. On SQLite it answers every request with a 404
// that says so. River UI has no authentication of its own: mount the Monitor behind one (server.
// AdminBasicAuth) when Available.
type Monitor struct {
	ui     *riverui.Handler // nil on SQLite
	mu     sync.Mutex
	cancel context.CancelFunc
}

// MonitorUnavailable is the body of the Monitor's 404 on SQLite.
const MonitorUnavailable = "The job monitor needs PostgreSQL (DATABASE_URL); the embedded SQLite database does not offer it.\n"

// NewMonitor returns the job monitor of c, served under prefix (e.g. "/admin/jobs": requests arrive
// with the prefix, River UI strips it). It must be started (Start) before it serves requests.
func NewMonitor(db *store.DB, c *Client, prefix string, log *slog.Logger) (*Monitor, error) {
	if db.Dialect != store.Postgres {
		return &Monitor{}, nil
	}
	if log == nil {
		log = discard()
	}
	ui, err := riverui.NewHandler(&riverui.HandlerOpts{
		Endpoints: riverui.NewEndpoints(c.river, nil),
		Logger:    log,
		Prefix:    prefix,
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: creating the job monitor: %w", err)
	}
	return &Monitor{ui: ui}, nil
}

// Available reports whether the monitor serves River UI (PostgreSQL), rather than the 404.
func (m *Monitor) Available() bool { return m.ui != nil }

// Start starts River UI's background work (cached job counts), which runs until Stop or until ctx ends.
// It is a no-op on SQLite.
func (m *Monitor) Start(ctx context.Context) error {
	if m.ui == nil {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	m.mu.Lock()
	m.cancel = cancel
	m.mu.Unlock()
	if err := m.ui.Start(ctx); err != nil {
		cancel()
		return fmt.Errorf("jobs: starting the job monitor: %w", err)
	}
	return nil
}

// Stop ends River UI's background work. River UI stops it asynchronously; Stop does not wait.
func (m *Monitor) Stop() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cancel != nil {
		m.cancel()
	}
}

// ServeHTTP serves River UI, or the 404 on SQLite.
func (m *Monitor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if m.ui == nil {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(MonitorUnavailable))
		return
	}
	m.ui.ServeHTTP(w, r)
}
