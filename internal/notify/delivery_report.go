package notify

import (
	"context"
	"fmt"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/notification"
	"github.com/carequeue/carequeue/internal/auth"
)

// StatusUpdater returns the function that records a provider's delivery report (Twilio's status
// callback) on the Notification the provider id belongs to. Only final reports change a row, and a
// DELIVERED row stays delivered; an unknown id is ignored (the callback must not tell a caller which
// ids exist).
func StatusUpdater(client *ent.Client) func(ctx context.Context, providerID, status, errorCode string) error {
	return func(ctx context.Context, providerID, status, errorCode string) error {
		var to notification.Status
		msg := ""
		switch status {
		case "delivered", "read":
			to = notification.StatusDELIVERED
		case "undelivered", "failed", "canceled":
			to = notification.StatusFAILED
			msg = fmt.Sprintf("provider reported %s", status)
			if errorCode != "" {
				msg += " (error " + errorCode + ")"
			}
		default:
			return nil // queued, sending, sent: nothing new
		}
		// Delivery reports are the system's bookkeeping, not a viewer's change.
		u := client.Notification.Update().
			Where(notification.ProviderID(providerID), notification.StatusNEQ(notification.StatusDELIVERED)).
			SetStatus(to)
		if msg != "" {
			u.SetError(msg)
		}
		if _, err := u.Save(auth.SystemContext(ctx)); err != nil {
			return fmt.Errorf("recording delivery status: %w", err)
		}
		return nil
	}
}
