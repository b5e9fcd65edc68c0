package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/internal/queue"
)

// queueWarnings resolves Queue.warnings. A queue resolved inside its own QueueSnapshot (queueSnapshot,
// queueChanged) takes the snapshot's warnings, so a subscription event costs no query per watcher;
// elsewhere the queue service reads them.
func queueWarnings(ctx context.Context, svc *queue.Service, q *ent.Queue) ([]*queue.Warning, error) {
	for fc := graphql.GetFieldContext(ctx); fc != nil; fc = fc.Parent {
		if s, ok := fc.Result.(*queue.Snapshot); ok && s.Queue != nil && s.Queue.ID == q.ID {
			return s.Warnings, nil
		}
	}
	return svc.QueueWarnings(ctx, q)
}

func breachForecast(p queue.Place) *queue.BreachForecast { return p.Breach }
