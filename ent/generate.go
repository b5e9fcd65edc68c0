// Package ent holds CareQueue's data model. The schema in ent/schema is the source; everything else in
// this directory (except entc.go, generate.go, template/ and migrate/migrations/) is generated.
package ent

//go:generate go run -mod=mod entc.go
