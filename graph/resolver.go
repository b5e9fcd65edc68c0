// Package graph is CareQueue's GraphQL layer: gqlgen's generated executor (graph/generated) and
// resolvers that translate each field into one ent call or one internal/ service call. No business
// rules and no transactions live here.
package graph

import (
	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/internal/admin"
	"github.com/carequeue/carequeue/internal/analytics"
	"github.com/carequeue/carequeue/internal/fhir"
	"github.com/carequeue/carequeue/internal/notify"
	"github.com/carequeue/carequeue/internal/offline"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/realtime"
	"github.com/carequeue/carequeue/internal/session"
	"github.com/carequeue/carequeue/internal/webhook"
)

// ChangeSubscriptions are the subscription fields whose messages are changes (each changed encounter)
// rather than a whole state: every subscriber runs its own, never grouped with others
// (server.Deps.Unshared), so that each gets its first message and every change.
var ChangeSubscriptions = map[string]bool{"fhirEncounterChanged": true, "fhirAppointmentChanged": true}

// Resolver is the root resolver. cmd/carequeue builds it; every field is required.
type Resolver struct {
	// Client reads through the ent privacy rules of the viewer in the context.
	Client *ent.Client
	// QueueService runs the queue workflows and reads. It is not named Queue (gqlgen's root method for
	// the Queue type's field resolvers) nor Queues (the queues query's resolver method).
	QueueService *queue.Service
	Session      *session.Service
	Admin        *admin.Service
	Live         *realtime.Live
	// Analytics reads and recomputes the daily figures.
	Analytics *analytics.Service
	// WhatIf answers simulateQueue.
	WhatIf *analytics.WhatIf
	// Devices registers the patient app's push tokens.
	Devices *notify.Devices
	// Providers answers messagingStatus.
	Providers notify.Providers
	// Webhooks manages outbound webhook endpoints and their delivery log.
	Webhooks *webhook.Service
	// Sync applies offline clients' batches and serves their change feed.
	Sync *offline.Service
	// FHIR serves the FHIR R4-shaped read view and its encounter feed.
	FHIR *fhir.Service
}
