// Package webhook owns CareQueue's outbound webhooks: the endpoints a facility's admins register, the
// River job that delivers each subscribed ticket event to each endpoint, signed the Standard Webhooks
// way (webhook-id, webhook-timestamp, webhook-signature), and the delivery log admins read and replay.
//
//   - event.go: which webhook events a recorded ticket event is (pure).
//   - sign.go: endpoint secrets and signatures (pure).
//   - address.go: which URLs an endpoint may have, and the dial-time guard against private addresses.
//   - classify.go: what an attempt's outcome means: success, retry, or give up (pure); retryafter.go:
//     when a busy receiver (429, 503) asked to be tried again (pure).
//   - enqueue.go: delivery jobs inserted in the workflow's own transaction; cache.go: each facility's
//     enabled endpoints kept in memory for CacheTTL, so an event costs no query.
//   - payload.go, job_deliver.go: the job that builds, signs, sends and logs one delivery.
//   - service.go: the admin operations behind the GraphQL API.
//
// The signing secret is not stored: it is HMAC-SHA256(server key, endpoint id and a random salt), the
// server key being derived from JWT_SECRET. A copy of the database therefore cannot sign deliveries, the
// server can always re-derive it to sign, and rotating replaces the salt. The cost: changing JWT_SECRET
// changes every endpoint's secret (admins rotate and hand the new one over).
package webhook
