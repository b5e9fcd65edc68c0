package server

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// goroutineID reads the running goroutine's number from its stack trace's header (tests only).
func goroutineID() string {
	b := make([]byte, 64)
	b = b[:runtime.Stack(b, false)]
	return string(bytes.Fields(b)[1])
}

func TestWorkers(t *testing.T) {
	t.Parallel()

	t.Run("ANextTaskRunsOnTheIdleWorker", func(t *testing.T) {
		t.Parallel()
		w := &workers{tasks: make(chan func()), idle: time.Minute}
		ran := make(chan string)
		w.run(func() { ran <- goroutineID() })
		first := <-ran
		// The worker is idle once it waits on tasks again: poll until a task lands on it.
		require.Eventually(t, func() bool {
			w.run(func() { ran <- goroutineID() })
			return <-ran == first
		}, 5*time.Second, time.Millisecond)
	})

	t.Run("ABlockedTaskHoldsUpNoOther", func(t *testing.T) {
		t.Parallel()
		w := &workers{tasks: make(chan func()), idle: time.Minute}
		release := make(chan struct{})
		w.run(func() { <-release }) // a writer stuck on a slow client
		done := make(chan struct{})
		w.run(func() { close(done) })
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("the second task waited for the first")
		}
		close(release)
	})

	t.Run("CallRunsOnAWorkerAndWaits", func(t *testing.T) {
		t.Parallel()
		w := &workers{tasks: make(chan func()), idle: time.Minute}
		var on string
		done := false
		w.call(func() { on, done = goroutineID(), true })
		require.True(t, done, "call returned before its task ended")
		require.NotEqual(t, goroutineID(), on, "the task ran on the caller's goroutine")
	})

	t.Run("CallPassesOnItsTasksPanic", func(t *testing.T) {
		t.Parallel()
		w := &workers{tasks: make(chan func()), idle: time.Minute}
		require.PanicsWithValue(t, "boom", func() { w.call(func() { panic("boom") }) })
		// The worker survived it and takes the next task.
		ran := false
		w.call(func() { ran = true })
		require.True(t, ran)
	})

	t.Run("AnIdleWorkerEnds", func(t *testing.T) {
		t.Parallel()
		w := &workers{tasks: make(chan func()), idle: 10 * time.Millisecond}
		ran := make(chan struct{})
		w.run(func() { close(ran) })
		<-ran
		time.Sleep(100 * time.Millisecond)
		select {
		case w.tasks <- func() {}:
			t.Fatal("a worker still waited for tasks after its idle time")
		default:
		}
	})
}

type memoKey int

func TestMemoValuesAnswerAsTheirContext(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for i := range 12 { // more keys than it remembers
		ctx = context.WithValue(ctx, memoKey(i), fmt.Sprint("v", i))
	}
	m := &memoValues{ctx: ctx}
	for range 3 { // asked again, answered from memory (or, past its room, from ctx)
		for i := range 14 { // and two keys ctx does not hold
			require.Equal(t, ctx.Value(memoKey(i)), m.Value(memoKey(i)), "key %d", i)
		}
		require.Nil(t, m.Value("not a key of ctx"))
	}
	require.Equal(t, len(m.keys), m.n)
	d := driven{Context: context.Background(), values: m}
	require.Equal(t, "v3", d.Value(memoKey(3)))
}

// TestAfterOperation: on leanWebsocket an operation's end functions run once when it ends, one
// registered after the end runs at once, and elsewhere (gqlgen's transport) they are AfterFuncs.
func TestAfterOperation(t *testing.T) {
	t.Parallel()
	ran := make(chan string, 8)
	mark := func(name string) func() { return func() { ran <- name } }
	expect := func(want ...string) {
		t.Helper()
		var got []string
		for range want {
			select {
			case name := <-ran:
				got = append(got, name)
			case <-time.After(5 * time.Second):
				t.Fatalf("ran %v, want %v", got, want)
			}
		}
		require.ElementsMatch(t, want, got)
		select {
		case name := <-ran:
			t.Fatalf("%s ran again", name)
		case <-time.After(50 * time.Millisecond):
		}
	}

	live, cancel := context.WithCancel(context.Background())
	s := newLeanSub("1", live, cancel, nil)
	ctx := context.WithValue(live, leanPushKey{}, s)
	afterOperation(ctx, mark("metrics"))
	afterOperation(ctx, mark("limits"))
	require.Len(t, s.ends, 2, "kept by the operation, not as AfterFuncs")
	select {
	case name := <-ran:
		t.Fatalf("%s ran before the end", name)
	case <-time.After(50 * time.Millisecond):
	}
	s.cancel()
	s.cancel() // a second end (the connection closing after a complete) runs nothing again
	expect("metrics", "limits")
	require.Error(t, live.Err())
	afterOperation(ctx, mark("late"))
	expect("late")

	plain, stop := context.WithCancel(context.Background())
	afterOperation(plain, mark("gqlgen"))
	stop()
	expect("gqlgen")
}
