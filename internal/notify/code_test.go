package notify_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/ent/migrate/migrations"
	"github.com/carequeue/carequeue/ent/notification"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/notify"
	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
	"github.com/carequeue/carequeue/internal/testfactory"
)

type recordingSMS struct {
	mu   sync.Mutex
	to   []string
	body []string
	err  error
}

func (r *recordingSMS) Send(_ context.Context, to, body string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.to, r.body = append(r.to, to), append(r.body, body)
	return "SM123", r.err
}

func TestCodeSender(t *testing.T) {
	t.Parallel()
	db := storetest.NewMigratedDB(t, store.SQLite, migrations.FS)
	client := db.Ent
	sys := auth.SystemContext(context.Background())
	testfactory.Patient(t.Context(), t, client, &testfactory.PatientOpts{GivenName: "Ana", FamilyName: "R", Phone: "+34600111222", Language: "es"})

	t.Run("SendsInThePatientsLanguageAndHidesTheCodeFromAdmins", func(t *testing.T) {
		sms := &recordingSMS{}
		c := notify.NewCodeSender(client, sms, nil)
		require.NoError(t, c.SendCode(context.Background(), "+34600111222", "482913"))
		c.Wait()
		require.Equal(t, []string{"+34600111222"}, sms.to)
		require.Contains(t, sms.body[0], "482913")
		require.Equal(t, notify.Render(notify.Message{Kind: notify.Code, Language: "es", SignInCode: "482913"}), sms.body[0])
		n := client.Notification.Query().OnlyX(sys)
		require.Equal(t, notification.StatusSENT, n.Status)
		require.Equal(t, "SM123", n.ProviderID)
		require.NotContains(t, n.Body, "482913")
		client.Notification.DeleteOne(n).ExecX(sys)
	})
	t.Run("RecordsAFailureForAdmins", func(t *testing.T) {
		sms := &recordingSMS{err: errors.New("twilio: 21211 invalid number")}
		c := notify.NewCodeSender(client, sms, nil)
		require.NoError(t, c.SendCode(context.Background(), "+34600999999", "111111"), "the caller never learns the outcome")
		c.Wait()
		n := client.Notification.Query().OnlyX(sys)
		require.Equal(t, notification.StatusFAILED, n.Status)
		require.Contains(t, n.Error, "21211")
		require.NotContains(t, n.Body, "111111")
	})
}
