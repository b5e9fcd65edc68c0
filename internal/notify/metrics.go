package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/notification"
	"github.com/carequeue/carequeue/internal/auth"
)

// metricsTimeout bounds the query of one scrape, below the /metrics handler's own timeout.
const metricsTimeout = 3 * time.Second

// Metrics is a prometheus.Collector of carequeue_notifications{channel,status}: how many Notification
// rows each channel (SMS, PUSH, LOG) has in each status (PENDING, SENT, DELIVERED, FAILED, STALE,
// SKIPPED), counted by the database at scrape time. It is a gauge, not a counter: a message moves from
// SENT to DELIVERED, so alert on changes of FAILED (e.g. delta over 15 minutes) and on FAILED against
// SENT+DELIVERED. Every known pair is reported, 0 when empty. The count reads the whole table once
// per scrape (one GROUP BY).
type Metrics struct {
	client *ent.Client
	desc   *prometheus.Desc
}

var _ prometheus.Collector = (*Metrics)(nil)

// NewMetrics returns the collector; client is the application's ent client (outside any transaction).
func NewMetrics(client *ent.Client) *Metrics {
	return &Metrics{
		client: client,
		desc: prometheus.NewDesc("carequeue_notifications",
			"Notification rows (messages to patients) by channel and delivery status.",
			[]string{"channel", "status"}, nil),
	}
}

// Describe implements prometheus.Collector.
func (m *Metrics) Describe(ch chan<- *prometheus.Desc) { ch <- m.desc }

// Collect implements prometheus.Collector. A failed read reports an invalid metric (the scrape shows
// the error) and leaves the other collectors' series intact.
func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), metricsTimeout)
	defer cancel()
	counts, err := m.count(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(m.desc, err)
		return
	}
	for k, n := range counts {
		ch <- prometheus.MustNewConstMetric(m.desc, prometheus.GaugeValue, float64(n), k.channel, k.status)
	}
}

type channelStatus struct{ channel, status string }

var (
	knownChannels = []notification.Channel{notification.ChannelSMS, notification.ChannelPUSH, notification.ChannelLOG}
	knownStatuses = []notification.Status{
		notification.StatusPENDING, notification.StatusSENT, notification.StatusDELIVERED,
		notification.StatusFAILED, notification.StatusSTALE, notification.StatusSKIPPED, notification.StatusLOGGED,
	}
)

func (m *Metrics) count(ctx context.Context) (map[channelStatus]int, error) {
	var rows []struct {
		Channel string `json:"channel"`
		Status  string `json:"status"`
		Count   int    `json:"count"`
	}
	// Counting is not reading anyone's messages: the scrape acts as the system.
	err := m.client.Notification.Query().
		GroupBy(notification.FieldChannel, notification.FieldStatus).
		Aggregate(ent.Count()).
		Scan(auth.SystemContext(ctx), &rows)
	if err != nil {
		return nil, fmt.Errorf("counting notifications: %w", err)
	}
	out := make(map[channelStatus]int, len(knownChannels)*len(knownStatuses))
	for _, c := range knownChannels {
		for _, s := range knownStatuses {
			out[channelStatus{string(c), string(s)}] = 0
		}
	}
	for _, r := range rows {
		out[channelStatus{r.Channel, r.Status}] = r.Count
	}
	return out, nil
}
