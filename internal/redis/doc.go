// Package redis holds the Redis-backed adapters behind CareQueue's consumer interfaces, used when
// several replicas must share state: rate limits (auth.Limiter), realtime pub/sub (realtime.Broker),
// revocations and the per-account WebSocket counts (server.SocketCounter).
// Every key and channel it uses is namespaced under a caller-given prefix, and every key it writes
// carries an expiry, so the adapters can share a Redis database with other users and never leave
// garbage behind.
package redis
