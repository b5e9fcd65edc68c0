package audit

import (
	"context"
	"crypto/hmac"
	"fmt"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/auditentry"
	"github.com/carequeue/carequeue/internal/auth"
)

// Options tell Verify what it cannot know from the database alone.
type Options struct {
	// UnkeyedThrough is the seq of the last entry written before the chain was keyed (0 for a
	// deployment that began keyed): entries up to it may carry the plain SHA-256 of hash version 1,
	// every later one must carry the keyed hash. It comes from the operator, not from the database,
	// because whoever could rewrite the chain could rewrite any marker stored beside it.
	UnkeyedThrough int64
}

// Report is what Verify found.
type Report struct {
	// Chained counts the entries in the chain; Head is the hash of the newest.
	Chained int64
	Head    string
	// Unkeyed counts the chained entries that verified with the unkeyed hash (Options.UnkeyedThrough).
	Unkeyed int64
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

// Verify is VerifyWith for a chain keyed from its first entry.
func Verify(ctx context.Context, client *ent.Client) (Report, error) {
	return VerifyWith(ctx, client, Options{})
}

// VerifyWith walks the hash chain from its first entry and recomputes every hash under the chain key
// (UseChainKey). It reports the first entry whose content was changed, whose predecessor was changed
// or removed, which sits where it does not belong, or whose hash was computed without the key past
// opts.UnkeyedThrough (a rewrite of the chain by someone who holds the database but not the key);
// entries removed from the end show as a chain head ahead of the last entry. The error is for
// failures to read, not for a broken chain.
func VerifyWith(ctx context.Context, client *ent.Client, opts Options) (Report, error) {
	sys := auth.SystemContext(ctx)
	key := chainKey.get()
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
			unkeyed, b := check(e, last+1, r.Head, key, opts.UnkeyedThrough)
			if b != nil {
				r.Broken = b
				return r, nil
			}
			if unkeyed {
				r.Unkeyed++
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

// check compares one entry with the place it should hold: seq want, after an entry hashed prev, with
// its hash keyed under key unless its seq is at most unkeyedThrough. It reports whether the entry
// verified with the unkeyed hash.
func check(e *ent.AuditEntry, want int64, prev string, key []byte, unkeyedThrough int64) (bool, *Break) {
	b := &Break{ID: string(e.ID), Seq: e.Seq}
	switch {
	case e.Seq != want:
		b.Reason = fmt.Sprintf("expected seq %d: the entries between were removed", want)
	case e.PrevHash != prev:
		b.Reason = "its prev_hash does not match the entry before it: that entry was changed or replaced"
	case hashes(e, keyedVersion, key):
		return false, nil
	case hashes(e, unkeyedVersion, nil) && e.Seq <= unkeyedThrough:
		return true, nil
	case hashes(e, unkeyedVersion, nil):
		b.Reason = fmt.Sprintf("its hash is not keyed: rewritten by someone without the key, or written before the chain was keyed "+
			"(then verify with --unkeyed-through set to the last such entry's seq; it is %d or more)", e.Seq)
	default:
		b.Reason = "its hash does not match its content under the chain key: the entry was changed, or the key (JWT_SECRET) is not the one it was written with"
	}
	return false, b
}

// hashes reports whether e's stored hash is its hash under version (and key).
func hashes(e *ent.AuditEntry, version int, key []byte) bool {
	h, err := linkOf(e, version).hash(key)
	return err == nil && hmac.Equal([]byte(h), []byte(e.Hash))
}
