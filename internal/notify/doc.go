// Package notify owns what CareQueue tells a patient outside the app: the kinds of message (checked
// in, turn near, called, transferred, cancelled, sign-in code), their wording in English, Spanish and
// French chosen from the patient's language tag, the SMS segment arithmetic that keeps each one to a
// single segment where possible, and the rules for whether and on which channels to send. It is pure —
// no database, no providers, no clock — so the jobs that send through the twilio and fcm adapters can
// lean on table-tested answers. Messages never name the patient: SMS previews and push banners show on
// lock screens that anyone nearby can read.
package notify
