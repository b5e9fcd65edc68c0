// Package inmem holds the in-process adapters behind CareQueue's consumer interfaces, used by the
// embedded single-binary default and by tests: state lives in this process's memory, is lost on
// restart and is not shared between replicas (internal/redis is the shared counterpart). Each
// adapter is safe for concurrent use and keeps its memory bounded.
package inmem
