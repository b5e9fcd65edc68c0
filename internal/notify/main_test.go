package notify_test

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
		// twilio-go never closes the body of an error reply, so the http.Client's timeout goroutine of a
		// failed try outlives it until the client's timeout (5 s in the fixture) and then ends; the
		// connection itself was released (internal/twilio buffers and closes every reply). A test that
		// ends within 5 s of a failed try would otherwise fail the package.
		goleak.IgnoreTopFunction("net/http.setRequestCancel.func4"),
	)
}
