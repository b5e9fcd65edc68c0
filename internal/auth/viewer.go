package auth

import (
	"context"
	"time"

	"github.com/carequeue/carequeue/ent/schema/pulid"
)

// Role is an account's one role.
type Role string

// The roles of DESIGN.md.
const (
	RoleAdmin        Role = "ADMIN"
	RoleReceptionist Role = "RECEPTIONIST"
	RoleClinician    Role = "CLINICIAN"
	RolePatient      Role = "PATIENT"
	RoleIntegration  Role = "INTEGRATION"
	// RoleKiosk is a self check-in kiosk's account: it reads its facility's reference data and checks
	// patients in through the kiosk workflow, and sees no patient record.
	RoleKiosk Role = "KIOSK"
)

// Viewer is who is asking. The HTTP middleware and the WebSocket InitFunc put it in the context; ent
// privacy policies (ent/schema/rule) read it. No viewer in the context means anonymous.
type Viewer struct {
	UserID pulid.ID
	Role   Role
	// FacilityID scopes staff to one facility; empty means every facility (a global admin).
	FacilityID pulid.ID
	// ClientID is set when the viewer is an API client (service account) rather than a person: then
	// UserID is the client's id too, Role is RoleIntegration, and Scopes narrow what it may do.
	ClientID pulid.ID
	// Scopes are an API client's granted scopes (sorted); empty for people.
	Scopes []Scope
	// Expires is when the credential the viewer presented stops being valid (zero: never, as for the
	// command line). Long-lived connections end then.
	Expires time.Time
}

// IsStaff reports whether the viewer works for the hospital (or is its integration), as opposed to a patient.
func (v Viewer) IsStaff() bool {
	switch v.Role {
	case RoleAdmin, RoleReceptionist, RoleClinician, RoleIntegration:
		return true
	default: // patients and kiosks
		return false
	}
}

type viewerKey struct{}

// NewContext returns ctx carrying v.
func NewContext(ctx context.Context, v Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// FromContext returns the viewer in ctx, if any.
func FromContext(ctx context.Context) (Viewer, bool) {
	v, ok := ctx.Value(viewerKey{}).(Viewer)
	return v, ok
}
