package queue_test

import (
	"fmt"

	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/queue"
)

// The workflow graph decides which buttons a dashboard shows and what a refused click says.
func ExampleNext() {
	fmt.Println(queue.Actions(queue.StatusCalled))
	to, _ := queue.Next("C-012", queue.StatusCalled, queue.ActionStart)
	fmt.Println(to)
	_, err := queue.Next("C-012", queue.StatusWaiting, queue.ActionComplete)
	fmt.Println(cqerr.CodeOf(err) == cqerr.Conflict, err)
	// Output:
	// [RECALL START NO_SHOW CANCEL TRANSFER RETRIAGE]
	// IN_SERVICE
	// true CONFLICT: C-012 is still waiting and has not been called yet; call it and start the visit first
}
