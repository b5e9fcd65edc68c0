package store

import (
	"github.com/prometheus/client_golang/prometheus"
)

// PoolMetrics reports the database connection pool to Prometheus at scrape time (no I/O), the same
// series on both databases: on PostgreSQL pgx's pool, where the connections are (the *sql.DB on top of
// it keeps none idle of its own), on SQLite database/sql's.
//
//   - carequeue_db_pool_connections{state}: idle and in_use.
//   - carequeue_db_pool_max_connections: the pool's ceiling (0: unlimited).
//   - carequeue_db_pool_waits_total and carequeue_db_pool_wait_seconds_total: callers that found no
//     free connection and waited for one, and how long in all: a pool too small, or connections held.
type PoolMetrics struct {
	db                         *DB
	conns, maxConns, waits, ws *prometheus.Desc
}

var _ prometheus.Collector = (*PoolMetrics)(nil)

// NewPoolMetrics returns the collector of db's pool.
func NewPoolMetrics(db *DB) *PoolMetrics {
	return &PoolMetrics{
		db:       db,
		conns:    prometheus.NewDesc("carequeue_db_pool_connections", "Database pool connections by state (idle, in_use).", []string{"state"}, nil),
		maxConns: prometheus.NewDesc("carequeue_db_pool_max_connections", "Most connections the database pool opens (0: unlimited).", nil, nil),
		waits:    prometheus.NewDesc("carequeue_db_pool_waits_total", "Times a caller found no free database connection and waited for one.", nil, nil),
		ws:       prometheus.NewDesc("carequeue_db_pool_wait_seconds_total", "Seconds callers spent waiting for a database connection.", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (m *PoolMetrics) Describe(ch chan<- *prometheus.Desc) {
	ch <- m.conns
	ch <- m.maxConns
	ch <- m.waits
	ch <- m.ws
}

// Collect implements prometheus.Collector.
func (m *PoolMetrics) Collect(ch chan<- prometheus.Metric) {
	var inUse, idle, maxConns, waits, waited float64
	if m.db.Pool != nil {
		s := m.db.Pool.Stat()
		inUse, idle, maxConns = float64(s.AcquiredConns()), float64(s.IdleConns()), float64(s.MaxConns())
		waits, waited = float64(s.EmptyAcquireCount()), s.EmptyAcquireWaitTime().Seconds()
	} else {
		s := m.db.SQL.Stats()
		inUse, idle, maxConns = float64(s.InUse), float64(s.Idle), float64(s.MaxOpenConnections)
		waits, waited = float64(s.WaitCount), s.WaitDuration.Seconds()
	}
	ch <- prometheus.MustNewConstMetric(m.conns, prometheus.GaugeValue, inUse, "in_use")
	ch <- prometheus.MustNewConstMetric(m.conns, prometheus.GaugeValue, idle, "idle")
	ch <- prometheus.MustNewConstMetric(m.maxConns, prometheus.GaugeValue, maxConns)
	ch <- prometheus.MustNewConstMetric(m.waits, prometheus.CounterValue, waits)
	ch <- prometheus.MustNewConstMetric(m.ws, prometheus.CounterValue, waited)
}
