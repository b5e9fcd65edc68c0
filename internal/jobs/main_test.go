package jobs_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a test leaves a goroutine behind: workers, retries and senders must
// all stop with the client that started them.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// Pools the tests' databases keep until the process ends.
		goleak.IgnoreTopFunction("github.com/jackc/pgx/v5/pgxpool.(*Pool).backgroundHealthCheck"),
		goleak.IgnoreTopFunction("database/sql.(*DB).connectionOpener"),
	)
}
