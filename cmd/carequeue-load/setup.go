package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

const (
	loadDepartment   = "Load"
	loadServicePoint = "Load desk"
	// checkInWorkers is how many check-ins -setup sends at a time: enough to keep a server busy
	// without queueing requests behind its database pool.
	checkInWorkers = 8
)

// plan is what the run drives: the Load department's queues, their waiting tickets and the desk
// that calls them.
type plan struct {
	department   string
	servicePoint string
	queues       []*loadQueue
}

type loadQueue struct {
	id, name string
	version  int64    // the queue's version before the first call
	tickets  []string // waiting tickets watched, in call order
}

func queueName(i int) string { return fmt.Sprintf("Load %03d", i+1) }

// queuePrefix gives queue i a distinct code prefix of capital letters (LA, LB, ..., LAA, ...).
func queuePrefix(i int) string {
	const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	if i < 26 {
		return "L" + letters[i:i+1]
	}
	i -= 26
	return "L" + letters[i/26%26:i/26%26+1] + letters[i%26:i%26+1]
}

// findDepartment returns the id of the Load department of facility, or "".
func findDepartment(ctx context.Context, a *api, facility string) (string, error) {
	var d struct {
		Departments edges `json:"departments"`
	}
	err := a.do(ctx, `query($f:ID!,$n:String!){ departments(first:1, where:{facilityID:$f, name:$n}){ edges{ node{ id name } } } }`,
		map[string]any{"f": facility, "n": loadDepartment}, &d)
	if err != nil || len(d.Departments.Edges) == 0 {
		return "", err
	}
	return d.Departments.Edges[0].Node.ID, nil
}

// departmentParts returns the department's desk ("" when missing) and its queues by name.
func departmentParts(ctx context.Context, a *api, dept string) (string, edges, error) {
	var d struct {
		ServicePoints edges `json:"servicePoints"`
		Queues        edges `json:"queues"`
	}
	err := a.do(ctx, `query($d:ID!,$s:String!){
		servicePoints(first:1, where:{departmentID:$d, name:$s}){ edges{ node{ id name } } }
		queues(first:100, where:{departmentID:$d}, orderBy:{field:NAME}){ edges{ node{ id name } } } }`,
		map[string]any{"d": dept, "s": loadServicePoint}, &d)
	if err != nil {
		return "", edges{}, fmt.Errorf("reading the %s department: %w", loadDepartment, err)
	}
	sp := ""
	if ids := d.ServicePoints.ids(); len(ids) > 0 {
		sp = ids[0]
	}
	return sp, d.Queues, nil
}

// setup makes the Load department hold n queues with at least m waiting tickets each, served by one
// desk. It creates only what is missing, so a second run tops the queues back up.
func setup(ctx context.Context, admin *api, facility string, n, m int, out *printer) error {
	dept, err := findDepartment(ctx, admin, facility)
	if err != nil {
		return err
	}
	if dept == "" {
		var d struct{ CreateDepartment struct{ ID string } }
		if err := admin.do(ctx, `mutation($f:ID!,$n:String!){ createDepartment(input:{name:$n, facilityID:$f}){ id } }`,
			map[string]any{"f": facility, "n": loadDepartment}, &d); err != nil {
			return fmt.Errorf("creating the %s department: %w", loadDepartment, err)
		}
		dept = d.CreateDepartment.ID
	}
	sp, queues, err := departmentParts(ctx, admin, dept)
	if err != nil {
		return err
	}
	if sp == "" {
		var d struct{ CreateServicePoint struct{ ID string } }
		if err := admin.do(ctx, `mutation($d:ID!,$n:String!){ createServicePoint(input:{name:$n, departmentID:$d, open:true}){ id } }`,
			map[string]any{"d": dept, "n": loadServicePoint}, &d); err != nil {
			return fmt.Errorf("creating the service point: %w", err)
		}
		sp = d.CreateServicePoint.ID
	}
	have := map[string]string{}
	for _, e := range queues.Edges {
		have[e.Node.Name] = e.Node.ID
	}
	ids := make([]string, n)
	for i := range n {
		if id, ok := have[queueName(i)]; ok {
			ids[i] = id
			continue
		}
		var d struct{ CreateQueue struct{ ID string } }
		err := admin.do(ctx, `mutation($d:ID!,$n:String!,$p:String!,$s:ID!){ createQueue(input:{name:$n, prefix:$p, ordering:FIFO, departmentID:$d, servicePointIDs:[$s]}){ id } }`,
			map[string]any{"d": dept, "n": queueName(i), "p": queuePrefix(i), "s": sp}, &d)
		if err != nil {
			return fmt.Errorf("creating queue %s: %w", queueName(i), err)
		}
		ids[i] = d.CreateQueue.ID
	}
	for i, q := range ids {
		_, waiting, err := admin.snapshot(ctx, q)
		if err != nil {
			return err
		}
		if missing := m - len(waiting); missing > 0 {
			out.Printf("setup: checking in %d tickets to %s", missing, queueName(i))
			if err := checkIns(ctx, admin, facility, q, i, missing); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkIns registers count walk-in patients to queue, a few at a time.
func checkIns(ctx context.Context, a *api, facility, queue string, qi, count int) error {
	jobs := make(chan int)
	errs := make(chan error, checkInWorkers)
	var wg sync.WaitGroup
	for range min(checkInWorkers, count) {
		wg.Go(func() {
			for j := range jobs {
				err := a.do(ctx, `mutation($q:ID!,$f:ID!,$g:String!){ checkIn(input:{queueID:$q, patient:{givenName:$g, familyName:"Load", facilityID:$f}}){ id } }`,
					map[string]any{"q": queue, "f": facility, "g": fmt.Sprintf("Q%d-%d", qi+1, j)}, nil)
				if err != nil {
					errs <- fmt.Errorf("checking in to %s: %w", queueName(qi), err)
					return
				}
			}
		})
	}
	var err error
feed:
	for j := range count {
		select {
		case jobs <- j:
		case err = <-errs:
			break feed
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	close(errs)
	return errors.Join(err, <-errs)
}

// discover reads the plan from the server: the first n Load queues and up to m waiting tickets each.
func discover(ctx context.Context, a *api, n, m int) (*plan, error) {
	dept, err := findDepartment(ctx, a, a.facility)
	if err != nil {
		return nil, err
	}
	if dept == "" {
		return nil, fmt.Errorf("no %q department in the facility of the calling account: run once with -setup", loadDepartment)
	}
	sp, queues, err := departmentParts(ctx, a, dept)
	if err != nil {
		return nil, err
	}
	if sp == "" {
		return nil, fmt.Errorf("no %q service point in the %s department: run once with -setup", loadServicePoint, loadDepartment)
	}
	byName := map[string]string{}
	for _, e := range queues.Edges {
		byName[e.Node.Name] = e.Node.ID
	}
	p := &plan{department: dept, servicePoint: sp}
	for i := range n {
		id, ok := byName[queueName(i)]
		if !ok {
			return nil, fmt.Errorf("queue %q is missing: run with -setup -queues %d", queueName(i), n)
		}
		version, waiting, err := a.snapshot(ctx, id)
		if err != nil {
			return nil, err
		}
		if len(waiting) < m {
			return nil, fmt.Errorf("queue %q has %d waiting tickets, fewer than -per-queue %d: run with -setup", queueName(i), len(waiting), m)
		}
		p.queues = append(p.queues, &loadQueue{id: id, name: queueName(i), version: version, tickets: waiting[:m]})
	}
	return p, nil
}
