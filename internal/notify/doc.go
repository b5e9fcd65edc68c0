// Package notify owns what CareQueue tells a patient outside the app: the kinds of message (checked
// in, turn near, called, transferred, cancelled, sign-in code), their wording in English, Spanish and
// French chosen from the patient's language tag, the SMS segment arithmetic that keeps each one to a
// single segment where possible, and the rules for whether and on which channels to send. Messages
// never name the patient: SMS previews and push banners show on lock screens that anyone nearby can read.
//
// The rules (message.go, templates.go, segments.go, rules.go) are pure and table-tested. The rest puts
// them to work:
//
//   - enqueue.go: the Enqueuer turns a queue workflow's step into River jobs, inserted inside the
//     workflow's transaction.
//   - job_ticket_message.go, job_queue_ahead.go: one file per job kind, holding its args, its worker
//     and its deadlines; policy.go holds what every kind shares (queue, attempts, uniqueness, retry
//     backoff, ErrStale) and workers.go registers the workers (AddWorkers, Options). The ticket message
//     sends through SMSSender and PushSender (sender.go: the twilio and fcm adapters, or LogSender
//     without credentials), recording every attempt as a Notification row and sending each message at
//     most once (job_ticket_message_rows.go).
//   - code.go: CodeSender, the SMS of a sign-in code (not a job: its args would keep the code).
//   - devices.go: Devices, the patient app's push tokens (GraphQL: schema/devices.graphql).
//   - delivery_report.go: StatusUpdater, the provider's delivery reports on Notification rows.
//   - metrics.go: the Prometheus gauge of Notification rows by channel and status.
package notify
