package notify_test

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/migrate/migrations"
	"github.com/carequeue/carequeue/ent/notification"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/notify"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

// scrape returns carequeue_notifications as "CHANNEL/STATUS" → value.
func scrape(t *testing.T, m prometheus.Collector) map[string]float64 {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	require.NoError(t, reg.Register(m))
	families, err := reg.Gather()
	require.NoError(t, err)
	out := map[string]float64{}
	for _, f := range families {
		require.Equal(t, "carequeue_notifications", f.GetName())
		for _, s := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range s.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			out[labels["channel"]+"/"+labels["status"]] = s.GetGauge().GetValue()
		}
	}
	return out
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			t.Run("CountsNotificationsByChannelAndStatus", func(t *testing.T) {
				t.Parallel()
				db := storetest.NewMigratedDB(t, d, migrations.FS)
				client := db.Ent
				m := notify.NewMetrics(client)

				want := map[string]float64{}
				for _, ch := range []string{"SMS", "PUSH", "LOG"} {
					for _, st := range []string{"PENDING", "SENT", "DELIVERED", "FAILED", "STALE", "SKIPPED", "LOGGED"} {
						want[ch+"/"+st] = 0
					}
				}
				require.Equal(t, want, scrape(t, m), "every pair, 0 when empty")

				sys := auth.SystemContext(t.Context())
				for _, n := range []struct {
					ch notification.Channel
					st notification.Status
				}{
					{notification.ChannelSMS, notification.StatusSENT},
					{notification.ChannelSMS, notification.StatusSENT},
					{notification.ChannelSMS, notification.StatusFAILED},
					{notification.ChannelPUSH, notification.StatusDELIVERED},
					{notification.ChannelLOG, notification.StatusSENT},
				} {
					client.Notification.Create().SetChannel(n.ch).SetStatus(n.st).SetKind("checked_in").ExecX(sys)
				}
				want["SMS/SENT"], want["SMS/FAILED"], want["PUSH/DELIVERED"], want["LOG/SENT"] = 2, 1, 1, 1
				require.Equal(t, want, scrape(t, m))
			})
		})
	}
}
