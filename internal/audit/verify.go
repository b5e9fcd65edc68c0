package audit

import (
	"context"
	"fmt"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/auditentry"
	"github.com/carequeue/carequeue/internal/auth"
)

// Report is what Verify found.
type Report struct {
	// Chained counts the entries in the chain; Head is the hash of the newest.
	Chained int64
	Head    string
	// Unchained counts entries written before the chain existed (they carry no hash).
	Unchained int
	// Broken is the first problem, nil when the chain holds.
	Broken *Break
}

// Break names the first entry at which the chain does not hold, and why.
type Break struct {
	ID     string
	Seq    int64
	Reason string
}

func (b *Break) String() string {
	return fmt.Sprintf("entry %s (seq %d): %s", b.ID, b.Seq, b.Reason)
}

// verifyPage is how many entries Verify reads at a time.
const verifyPage = 1000

// Verify walks the hash chain from its first entry and recomputes every hash. It reports the first
// entry whose content was changed, whose predecessor was changed or removed, or which sits where it
// does not belong; entries removed from the end show as a chain head ahead of the last entry. The
// error is for failures to read, not for a broken chain.
func Verify(ctx context.Context, client *ent.Client) (Report, error) {
	sys := auth.SystemContext(ctx)
	var r Report
	var first *ent.AuditEntry
	last := int64(0)
	for {
		page, err := client.AuditEntry.Query().Where(auditentry.SeqGT(last)).
			Order(ent.Asc(auditentry.FieldSeq)).Limit(verifyPage).All(sys)
		if err != nil {
			return r, fmt.Errorf("reading audit entries: %w", err)
		}
		for _, e := range page {
			if first == nil {
				first = e
			}
			if b := check(e, last+1, r.Head); b != nil {
				r.Broken = b
				return r, nil
			}
			last, r.Head = e.Seq, e.Hash
			r.Chained++
		}
		if len(page) < verifyPage {
			break
		}
	}
	unchained, err := client.AuditEntry.Query().Where(auditentry.SeqIsNil()).All(sys)
	if err != nil {
		return r, fmt.Errorf("reading audit entries: %w", err)
	}
	r.Unchained = len(unchained)
	for _, e := range unchained {
		// Older entries legitimately have no link; one written after the chain began was slipped in.
		if first != nil && !e.At.Before(first.At) {
			r.Broken = &Break{ID: string(e.ID), Reason: "entry outside the chain, written after the chain began"}
			return r, nil
		}
	}
	head, err := client.AuditChainHead.Get(sys, headID)
	switch {
	case ent.IsNotFound(err):
		if last != 0 {
			r.Broken = &Break{Seq: last, Reason: "the chain head is missing"}
		}
	case err != nil:
		return r, fmt.Errorf("reading the audit chain head: %w", err)
	case head.Seq != last:
		r.Broken = &Break{Seq: last, Reason: fmt.Sprintf("the chain head is at seq %d but the last entry is at seq %d: entries were removed from the end", head.Seq, last)}
	}
	return r, nil
}

// check compares one entry with the place it should hold: seq want, after an entry hashed prev.
func check(e *ent.AuditEntry, want int64, prev string) *Break {
	b := &Break{ID: string(e.ID), Seq: e.Seq}
	switch {
	case e.Seq != want:
		b.Reason = fmt.Sprintf("expected seq %d: the entries between were removed", want)
	case e.PrevHash != prev:
		b.Reason = "its prev_hash does not match the entry before it: that entry was changed or replaced"
	default:
		h, err := linkOf(e).hash()
		if err == nil && h == e.Hash {
			return nil
		}
		b.Reason = "its hash does not match its content: the entry was changed"
	}
	return b
}
