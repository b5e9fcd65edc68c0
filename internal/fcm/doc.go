// Package fcm is CareQueue's push adapter for Firebase Cloud Messaging (HTTP v1) through the Firebase
// Admin SDK: it sends one notification to one device token and sorts FCM's failures into
// ErrUnregistered (the token is dead: delete that Device), retryable (quota, unavailable, timeouts)
// and permanent (a refused payload or credentials). FCM's error text stays in the error for logs and
// admins, never for patients. Wording and channel rules live in notify.
package fcm
