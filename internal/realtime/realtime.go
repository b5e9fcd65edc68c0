// Package realtime owns live updates. Every committed queue change is published as a versioned event
// on a Broker (Redis between replicas, in-process for one). Each replica subscribes once per queue or
// department it has watchers for, reads the new state once per change (a queue's from its previous
// state: only the rows whose updated_at moved are read whole, and every row every 30 s), and hands every
// watcher its part of that state in memory: per change a replica does a constant amount of database
// work, whatever the number of its watchers.
//
// Delivery never blocks: each watcher keeps only the newest state it has not sent yet (positions are
// state, so the newest is the one that matters), and a slow client never holds up the others. A gap in
// versions, a re-established broker subscription or a periodic version check makes the replica re-read
// the state, so watchers converge even when the broker drops messages.
package realtime

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/queue"
	"github.com/carequeue/carequeue/internal/telemetry"
)

// Broker carries queue events between replicas. Topics are QueueTopic and DepartmentTopic names.
type Broker interface {
	// Publish sends e to the topics of its queue and its department.
	Publish(ctx context.Context, e queue.Event) error
	// Subscribe and Unsubscribe change the topics this replica receives.
	Subscribe(ctx context.Context, topics ...string) error
	Unsubscribe(ctx context.Context, topics ...string) error
	// Run delivers until ctx ends: every event with its topic to onEvent, and to onSync every topic
	// whose subscription was established or re-established (events may have been missed before it).
	Run(ctx context.Context, onEvent func(topic string, e queue.Event), onSync func(topic string)) error
}

// QueueTopic names the events of one queue.
func QueueTopic(id pulid.ID) string { return "q:" + string(id) }

// DepartmentTopic names the events of every queue of one department.
func DepartmentTopic(id pulid.ID) string { return "d:" + string(id) }

// Options tune a Live.
type Options struct {
	// ResyncEvery is how often watched queues' versions are checked against the database, the backstop
	// for an event lost between a publisher and the broker. Default 10s.
	ResyncEvery time.Duration
	Logger      *slog.Logger
	// Tracer, when it exports (internal/telemetry), gives each read-and-deliver of a topic a span
	// linked to the commits it delivers; nil traces nothing.
	Tracer trace.TracerProvider
}

// Live serves the GraphQL subscriptions of one replica.
type Live struct {
	broker Broker
	queue  *queue.Service
	log    *slog.Logger
	every  time.Duration
	tracer trace.Tracer // nil: no spans

	mu     sync.Mutex
	topics map[string]*topic
	// ctx ends when Run returns; topic workers live inside it.
	ctx    context.Context
	cancel context.CancelFunc
}

// New returns a Live. Call Run before serving subscriptions.
func New(broker Broker, svc *queue.Service, opts Options) *Live {
	l := &Live{broker: broker, queue: svc, log: opts.Logger, every: opts.ResyncEvery, topics: map[string]*topic{},
		tracer: telemetry.Tracer(opts.Tracer, "github.com/carequeue/carequeue/internal/realtime")}
	if l.log == nil {
		l.log = slog.New(slog.DiscardHandler)
	}
	if l.every <= 0 {
		l.every = 10 * time.Second
	}
	l.ctx, l.cancel = context.WithCancel(context.Background())
	return l
}

// Publisher is the queue.Publisher that sends committed changes to a broker.
type Publisher struct {
	Broker Broker
	Log    *slog.Logger
}

var _ queue.Publisher = Publisher{}

// Publish implements queue.Publisher. It stamps the event with the time of publication, the commit's
// (the workflow publishes once committed), from which subscribers' fan-out latency is measured.
func (p Publisher) Publish(ctx context.Context, e queue.Event) {
	e.Trace = telemetry.Inject(ctx)
	if e.At.IsZero() {
		e.At = time.Now()
	}
	if err := p.Broker.Publish(ctx, e); err != nil && p.Log != nil {
		// The change is committed; watchers catch up at the next event or version check.
		p.Log.WarnContext(ctx, "publishing queue event", "queue", e.QueueID, "version", e.Version, "err", err)
	}
}

// Run receives events until ctx ends. It returns when ctx ends, or with the broker's error.
func (l *Live) Run(ctx context.Context) error {
	defer l.cancel()
	stop := context.AfterFunc(ctx, l.cancel)
	defer stop()
	go l.checkVersions(l.ctx)
	return l.broker.Run(ctx, l.onEvent, l.onSync)
}

func (l *Live) topic(name string) *topic {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.topics[name]
}

func (l *Live) onEvent(name string, e queue.Event) {
	if t := l.topic(name); t != nil {
		t.event(e)
	}
}

func (l *Live) onSync(name string) {
	if t := l.topic(name); t != nil {
		t.resync()
	}
}

// checkVersions compares watched queues' versions with the database every l.every and re-reads those
// that moved without an event reaching this replica; boards are refreshed on the same beat.
func (l *Live) checkVersions(ctx context.Context) {
	tick := time.NewTicker(l.every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		l.mu.Lock()
		var ids []pulid.ID
		var boards []*topic
		for name, t := range l.topics {
			if strings.HasPrefix(name, "q:") {
				ids = append(ids, t.id)
			} else {
				boards = append(boards, t)
			}
		}
		l.mu.Unlock()
		if len(ids) > 0 {
			versions, err := l.queue.Versions(ctx, ids)
			if err != nil {
				l.log.WarnContext(ctx, "checking queue versions", "err", err)
				continue
			}
			for _, id := range ids {
				if t := l.topic(QueueTopic(id)); t != nil && versions[id] > t.lastVersion() {
					t.resync()
				}
			}
		}
		for _, t := range boards {
			t.wake()
		}
	}
}

// attach adds w to the topic, creating it (and subscribing the broker, which then asks for a full
// read) for its first watcher, and detaches it when ctx ends. w is added before the broker
// subscription so that no state read after w's first one can pass it by.
func (l *Live) attach(ctx context.Context, name string, id pulid.ID, w watcher) error {
	l.mu.Lock()
	t := l.topics[name]
	fresh := t == nil
	if fresh {
		t = newTopic(l.ctx, l, name, id)
		l.topics[name] = t
	}
	t.refs++
	t.add(w)
	l.mu.Unlock()
	if fresh {
		go t.work()
		if err := l.broker.Subscribe(ctx, name); err != nil {
			t.remove(w)
			l.release(t)
			return err
		}
	}
	context.AfterFunc(ctx, func() {
		t.remove(w)
		l.release(t)
	})
	return nil
}

// firstReadWait bounds how long a new watcher waits for its topic's first read before reading its
// first state alone.
const firstReadWait = 2 * time.Second

// firstFromTopic reports whether w, just attached to topic name, has its first state from the topic,
// waiting (within firstReadWait and ctx) for the topic's first read when it has not ended yet. A watcher
// waits rather than reading its own first state: after a restart thousands of phones resubscribe at
// once, and each one reading its queue's whole line by itself (the tickets and their estimates) would
// be a herd on the database and the CPU that delays the very read they wait for. False: the caller
// reads the first state itself (the topic's state does not hold w's ticket, or the read never came).
func (l *Live) firstFromTopic(ctx context.Context, name string, w interface{ started() bool }) bool {
	if w.started() {
		return true
	}
	if t := l.topic(name); t != nil {
		timer := time.NewTimer(firstReadWait)
		defer timer.Stop()
		select {
		case <-t.read1:
		case <-ctx.Done():
		case <-timer.C:
		}
	}
	return w.started()
}

func (l *Live) release(t *topic) {
	l.mu.Lock()
	t.refs--
	last := t.refs == 0
	if last {
		delete(l.topics, t.name)
	}
	l.mu.Unlock()
	if last {
		t.stop()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := l.broker.Unsubscribe(ctx, t.name); err != nil {
			l.log.Warn("unsubscribing", "topic", t.name, "err", err)
		}
	}
}

// Watchers returns how many watchers this replica has on topic name (for tests and metrics).
func (l *Live) Watchers(name string) int {
	if t := l.topic(name); t != nil {
		return t.count()
	}
	return 0
}
