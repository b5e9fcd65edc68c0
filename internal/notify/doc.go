// Package notify owns what CareQueue tells a patient outside the app: the kinds of message (checked
// in, turn near, called, transferred, cancelled, sign-in code), their wording in English, Spanish and
// French chosen from the patient's language tag, the SMS segment arithmetic that keeps each one to a
// single segment where possible, and the rules for whether and on which channels to send. Messages
// never name the patient: SMS previews and push banners show on lock screens that anyone nearby can read.
//
// The rules (message*.go, templates.go, segments.go, rules.go) are pure and table-tested. The pipeline
// (service*.go, job*.go, sender.go) puts them to work: the Enqueuer inserts River jobs inside a queue
// workflow's transaction, and the workers send through SMSSender and PushSender (the twilio and fcm
// adapters, or LogSender without credentials), recording every attempt as a Notification row and
// sending each message at most once.
package notify
