package inmem_test

import (
	"testing"

	"github.com/carequeue/carequeue/internal/inmem"
	"github.com/carequeue/carequeue/internal/session/revocationtest"
)

func TestRevocations(t *testing.T) {
	t.Parallel()
	shared := inmem.NewRevocations() // one process: every "replica" is the same bus
	revocationtest.Run(t, func(*testing.T) revocationtest.Bus { return shared })
}
