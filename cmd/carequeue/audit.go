package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/carequeue/carequeue/internal/audit"
	"github.com/carequeue/carequeue/internal/store"
)

// auditCmd checks the audit log: `carequeue audit verify` walks the hash chain and fails (exit status
// 1) naming the first entry at which it does not hold.
func auditCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprintln(stderr, "usage: carequeue audit verify\n  walk the audit log's hash chain; exit status 1 names the first broken entry")
		return nil
	}
	if len(args) != 1 || args[0] != "verify" {
		return errors.New("usage: carequeue audit verify")
	}
	return withDB(ctx, getenv, stdout, stderr, false, func(db *store.DB) error { return verifyAudit(ctx, db, stdout) })
}

func verifyAudit(ctx context.Context, db *store.DB, stdout io.Writer) error {
	r, err := audit.Verify(ctx, db.Ent)
	if err != nil {
		return err
	}
	if r.Broken != nil {
		return fmt.Errorf("audit log is broken after %d intact entries: first broken %s", r.Chained, r.Broken)
	}
	// The head is worth writing down elsewhere: whoever could rewrite the whole chain could not match it.
	fmt.Fprintf(stdout, "audit log OK: %d entries in the chain, head %s; %d older entries from before the chain\n",
		r.Chained, r.Head, r.Unchained)
	return nil
}
