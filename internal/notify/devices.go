package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/device"
	"github.com/carequeue/carequeue/ent/patient"
	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/store"
)

// Devices registers the patient app's push tokens. A device belongs to the signed-in account: it is
// attached to the account's first patient record, and messages to any record of the account reach it.
type Devices struct {
	db  *store.DB
	now func() time.Time
}

// NewDevices returns the device registry on db (it reads through db.Ent); now is the clock (time.Now
// outside tests).
func NewDevices(db *store.DB, now func() time.Time) *Devices {
	return &Devices{db: db, now: now}
}

// MaxPushTokenLen bounds a push token; FCM's are about 160 characters.
const MaxPushTokenLen = 4096

// Register stores token for the signed-in patient, or refreshes it. A token registered by another
// account moves here: only the phone that holds it can present it. Errors: UNAUTHENTICATED, FORBIDDEN
// (not a patient), BAD_USER_INPUT (a malformed token), NOT_FOUND (no patient record on the account).
func (d *Devices) Register(ctx context.Context, platform device.Platform, token string) (*ent.Device, error) {
	if err := validToken(token); err != nil {
		return nil, err
	}
	if err := patientOnly(ctx); err != nil {
		return nil, err
	}
	err := d.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		dev, err := register(ctx, tx.Client, platform, token, d.now())
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx.Client, audit.Entry{Action: "device.register", EntityType: "Device", After: dev})
	})
	if err != nil {
		return nil, err
	}
	// Read again after commit. The device register returned would serve as well: entities written in
	// store.InTx load their edges after commit (see store.TestInTx).
	return d.db.Ent.Device.Query().Where(device.PushToken(token)).Only(ctx)
}

func register(ctx context.Context, c *ent.Client, platform device.Platform, token string, now time.Time) (*ent.Device, error) {
	// Read through the patient's own scope: the device can only be attached to one of their records.
	p, err := c.Patient.Query().Order(ent.Asc(patient.FieldCreatedAt), ent.Asc(patient.FieldID)).First(ctx)
	if ent.IsNotFound(err) {
		return nil, cqerr.E(cqerr.NotFound, "no patient record is linked to this account")
	}
	if err != nil {
		return nil, fmt.Errorf("reading patient: %w", err)
	}
	n, err := c.Device.Update().Where(device.PushToken(token)).
		SetPlatform(platform).SetPatientID(p.ID).SetLastSeenAt(now).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("refreshing device: %w", err)
	}
	if n == 0 {
		// Not this account's token: if another account holds it, the phone changed hands. Bypassing the
		// privacy rules here is deliberate: presenting the token proves possession of the phone.
		if _, err := c.Device.Delete().Where(device.PushToken(token)).Exec(auth.SystemContext(ctx)); err != nil {
			return nil, fmt.Errorf("releasing device: %w", err)
		}
		err = c.Device.Create().SetPlatform(platform).SetPushToken(token).SetPatientID(p.ID).
			SetLastSeenAt(now).Exec(ctx)
		if err != nil {
			return nil, fmt.Errorf("registering device: %w", err)
		}
	}
	return c.Device.Query().Where(device.PushToken(token)).Only(ctx)
}

// Unregister removes the signed-in patient's device with token and reports whether there was one.
// Errors: UNAUTHENTICATED, FORBIDDEN (not a patient), BAD_USER_INPUT.
func (d *Devices) Unregister(ctx context.Context, token string) (bool, error) {
	if err := validToken(token); err != nil {
		return false, err
	}
	if err := patientOnly(ctx); err != nil {
		return false, err
	}
	var removed bool
	err := d.db.InTx(ctx, func(ctx context.Context, tx *store.Tx) error {
		dev, err := tx.Client.Device.Query().Where(device.PushToken(token)).Only(ctx)
		if ent.IsNotFound(err) {
			return nil // not this account's (or nobody's): nothing to remove
		}
		if err != nil {
			return fmt.Errorf("reading device: %w", err)
		}
		if err := tx.Client.Device.DeleteOne(dev).Exec(ctx); err != nil {
			return fmt.Errorf("removing device: %w", err)
		}
		removed = true
		return audit.Record(ctx, tx.Client, audit.Entry{Action: "device.unregister", EntityType: "Device", EntityID: string(dev.ID), Before: dev})
	})
	return removed, err
}

// patientOnly refuses staff early with a clear message; the Device policy would refuse them anyway.
func patientOnly(ctx context.Context) error {
	v, ok := auth.FromContext(ctx)
	switch {
	case !ok:
		return cqerr.E(cqerr.Unauthenticated, "sign in required")
	case v.Role != auth.RolePatient:
		return cqerr.E(cqerr.Forbidden, "only a patient's app registers devices")
	}
	return nil
}

// validToken accepts the characters of FCM registration tokens and APNs device tokens.
func validToken(t string) error {
	if t == "" || len(t) > MaxPushTokenLen {
		return cqerr.Ef(cqerr.BadUserInput, "pushToken must be 1 to %d characters", MaxPushTokenLen).WithField("pushToken")
	}
	for _, r := range t {
		if !pushTokenRune(r) {
			return cqerr.E(cqerr.BadUserInput, "pushToken has characters a push token never has").WithField("pushToken")
		}
	}
	return nil
}

// pushTokenRune reports whether r may appear in an FCM registration token (letters, digits, ":_-.").
func pushTokenRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == ':' || r == '_' || r == '-' || r == '.'
}
