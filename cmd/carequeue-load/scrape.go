package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// serverMetrics are the figures read from a server's /metrics, summed over the replicas.
type serverMetrics map[string]float64

const (
	mGoroutines = "go_goroutines"
	mHeapInuse  = "go_memstats_heap_inuse_bytes"
	mStackInuse = "go_memstats_stack_inuse_bytes"
	mHeapObj    = "go_memstats_heap_objects"
	mHeapLive   = "go_gc_heap_live_bytes"
	mRSS        = "process_resident_memory_bytes"
	mFDs        = "process_open_fds"
)

var wanted = map[string]bool{mGoroutines: true, mHeapInuse: true, mStackInuse: true, mHeapObj: true, mHeapLive: true, mRSS: true, mFDs: true}

// scrape reads the unlabelled series the report uses from base's /metrics.
func scrape(ctx context.Context, client *http.Client, base string) (serverMetrics, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/metrics", nil)
	if err != nil {
		return nil, err
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s/metrics answered HTTP %d", base, res.StatusCode)
	}
	out := serverMetrics{}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || !wanted[f[0]] {
			continue
		}
		if v, err := strconv.ParseFloat(f[1], 64); err == nil {
			out[f[0]] = v
		}
	}
	return out, sc.Err()
}

// scrapeAll sums every replica's figures; nil (with the reason) when one cannot be read.
func scrapeAll(ctx context.Context, client *http.Client, urls []string) (serverMetrics, error) {
	sum := serverMetrics{}
	for _, u := range urls {
		m, err := scrape(ctx, client, u)
		if err != nil {
			return nil, err
		}
		for k, v := range m {
			sum[k] += v
		}
	}
	return sum, nil
}
