package redis

import (
	"github.com/prometheus/client_golang/prometheus"
	goredis "github.com/redis/go-redis/v9"
)

// PoolMetrics reports a go-redis client's connection pool to Prometheus, read from PoolStats at
// scrape time (no I/O): carequeue_redis_pool_connections{state} (idle, in_use), and the counters
// carequeue_redis_pool_hits_total, _misses_total (a new connection had to be dialled),
// _timeouts_total (waiting for a connection timed out), _waits_total and _wait_seconds_total (callers
// that had to wait for a free connection, and for how long in all) and _stale_total (connections
// closed as stale).
type PoolMetrics struct {
	client                                              *goredis.Client
	conns, hits, misses, timeouts, waits, waited, stale *prometheus.Desc
}

var _ prometheus.Collector = (*PoolMetrics)(nil)

// NewPoolMetrics returns the collector of c's pool.
func NewPoolMetrics(c *goredis.Client) *PoolMetrics {
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc("carequeue_redis_pool_"+name, help, labels, nil)
	}
	return &PoolMetrics{
		client:   c,
		conns:    d("connections", "Connections in the Redis pool by state (idle, in_use).", "state"),
		hits:     d("hits_total", "Times a free connection was found in the Redis pool."),
		misses:   d("misses_total", "Times no free connection was in the Redis pool and one was dialled."),
		timeouts: d("timeouts_total", "Times waiting for a Redis pool connection timed out."),
		waits:    d("waits_total", "Times a caller waited for a Redis pool connection."),
		waited:   d("wait_seconds_total", "Seconds callers spent waiting for a Redis pool connection."),
		stale:    d("stale_total", "Stale connections removed from the Redis pool."),
	}
}

// Describe implements prometheus.Collector.
func (m *PoolMetrics) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{m.conns, m.hits, m.misses, m.timeouts, m.waits, m.waited, m.stale} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (m *PoolMetrics) Collect(ch chan<- prometheus.Metric) {
	s := m.client.PoolStats()
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v)
	}
	gauge(m.conns, float64(s.IdleConns), "idle")
	gauge(m.conns, float64(max(int64(s.TotalConns)-int64(s.IdleConns), 0)), "in_use")
	counter(m.hits, float64(s.Hits))
	counter(m.misses, float64(s.Misses))
	counter(m.timeouts, float64(s.Timeouts))
	counter(m.waits, float64(s.WaitCount))
	counter(m.waited, float64(s.WaitDurationNs)/1e9)
	counter(m.stale, float64(s.StaleConns))
}
