package queue

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/internal/store"
)

// metricsTimeout bounds the query of one scrape, below the /metrics handler's own timeout.
const metricsTimeout = 3 * time.Second

// Metrics reports every active queue's state to Prometheus at scrape time, as a prometheus.Collector,
// labelled facility, department and queue by their names (set by administrators, unique in that order,
// so bounded by configuration; never a patient's name, number or id):
//
//   - carequeue_queue_waiting: patients waiting.
//   - carequeue_queue_oldest_wait_seconds: since the check-in of the longest-waiting patient (0 when
//     nobody waits).
//   - carequeue_queue_past_target{level}: waiting patients past their level's target (their deadline),
//     every triage level reported, 0 when none.
//   - carequeue_queue_called_not_started: patients called and not yet in service.
//
// One grouped query per scrape reads it all from the tickets still open, whatever the number of replicas
// (each reports the same values: aggregate with max, not sum).
type Metrics struct {
	db                                     *store.DB
	waiting, oldest, pastTarget, notYetSrv *prometheus.Desc
}

var _ prometheus.Collector = (*Metrics)(nil)

// NewMetrics returns the collector of db's queues.
func NewMetrics(db *store.DB) *Metrics {
	labels := []string{"facility", "department", "queue"}
	return &Metrics{
		db: db,
		waiting: prometheus.NewDesc("carequeue_queue_waiting",
			"Patients waiting in the queue.", labels, nil),
		oldest: prometheus.NewDesc("carequeue_queue_oldest_wait_seconds",
			"Seconds since the longest-waiting patient of the queue checked in; 0 when nobody waits.", labels, nil),
		pastTarget: prometheus.NewDesc("carequeue_queue_past_target",
			"Waiting patients past their triage level's target wait, by level.", append(labels, "level"), nil),
		notYetSrv: prometheus.NewDesc("carequeue_queue_called_not_started",
			"Patients called to a service point and not yet in service.", labels, nil),
	}
}

// Describe implements prometheus.Collector.
func (m *Metrics) Describe(ch chan<- *prometheus.Desc) {
	ch <- m.waiting
	ch <- m.oldest
	ch <- m.pastTarget
	ch <- m.notYetSrv
}

// Collect implements prometheus.Collector. A failed read reports an invalid metric (the scrape shows
// the error) and leaves the other collectors' series intact.
func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), metricsTimeout)
	defer cancel()
	queues, err := m.read(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(m.waiting, err)
		return
	}
	for k, q := range queues {
		ch <- prometheus.MustNewConstMetric(m.waiting, prometheus.GaugeValue, float64(q.waiting), k.facility, k.department, k.queue)
		ch <- prometheus.MustNewConstMetric(m.oldest, prometheus.GaugeValue, q.oldest, k.facility, k.department, k.queue)
		ch <- prometheus.MustNewConstMetric(m.notYetSrv, prometheus.GaugeValue, float64(q.called), k.facility, k.department, k.queue)
		for _, level := range triageLevels {
			ch <- prometheus.MustNewConstMetric(m.pastTarget, prometheus.GaugeValue, float64(q.pastTarget[level]),
				k.facility, k.department, k.queue, string(level))
		}
	}
}

var triageLevels = []enum.TriageLevel{
	enum.TriageLevelImmediate, enum.TriageLevelVeryUrgent, enum.TriageLevelUrgent,
	enum.TriageLevelStandard, enum.TriageLevelNonUrgent,
}

type queueKey struct{ facility, department, queue string }

type queueState struct {
	waiting, called int64
	oldest          float64 // seconds
	pastTarget      map[enum.TriageLevel]int64
}

// read groups the open tickets of every active queue by status and level (the tickets' queue_id, status
// index serves it); a queue without open tickets comes back as one row of NULLs and reports zeros. now
// is bound like the times ent writes, so SQLite compares them as it does in every ent predicate.
func (m *Metrics) read(ctx context.Context) (map[queueKey]*queueState, error) {
	now := time.Now()
	param := "$1"
	if m.db.Dialect == store.SQLite {
		param = "?"
	}
	rows, err := m.db.SQL.QueryContext(ctx, `SELECT f.name, d.name, q.name, t.status, t.triage_level, COUNT(t.id),
			MIN(t.checked_in_at), SUM(CASE WHEN t.target_at < `+param+` THEN 1 ELSE 0 END)
		FROM queues q
		JOIN departments d ON d.id = q.department_id
		JOIN facilities f ON f.id = d.facility_id
		LEFT JOIN tickets t ON t.queue_id = q.id AND t.status IN ('WAITING', 'CALLED')
		WHERE q.active
		GROUP BY f.name, d.name, q.name, t.status, t.triage_level`, now)
	if err != nil {
		return nil, fmt.Errorf("reading queue states: %w", err)
	}
	defer rows.Close()
	out := map[queueKey]*queueState{}
	for rows.Next() {
		var k queueKey
		var status, level *string
		var n int64
		var oldest any
		var past *int64
		if err := rows.Scan(&k.facility, &k.department, &k.queue, &status, &level, &n, &oldest, &past); err != nil {
			return nil, fmt.Errorf("reading queue states: %w", err)
		}
		q := out[k]
		if q == nil {
			q = &queueState{pastTarget: map[enum.TriageLevel]int64{}}
			out[k] = q
		}
		switch {
		case status == nil: // no open ticket
		case *status == "CALLED":
			q.called += n
		default:
			q.waiting += n
			if since, ok := scannedTime(oldest); ok {
				q.oldest = max(q.oldest, now.Sub(since).Seconds())
			}
			if past != nil && level != nil {
				q.pastTarget[enum.TriageLevel(*level)] += *past
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading queue states: %w", err)
	}
	return out, nil
}

// sqliteTime is how the SQLite driver writes a time.Time (time.Time.String, without the monotonic
// clock reading it may append); an aggregate such as MIN comes back as that text, not as a time.
const sqliteTime = "2006-01-02 15:04:05.999999999 -0700 MST"

// scannedTime reads a time aggregated by the database: a time.Time from PostgreSQL, text from SQLite.
func scannedTime(v any) (time.Time, bool) {
	switch v := v.(type) {
	case time.Time:
		return v, true
	case []byte:
		return scannedTime(string(v))
	case string:
		v, _, _ = strings.Cut(v, " m=")
		t, err := time.Parse(sqliteTime, v)
		return t, err == nil
	}
	return time.Time{}, false
}
