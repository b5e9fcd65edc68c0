package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The servers' CPU time and resident memory come from Linux's /proc, the same way for the three of
// them (CareQueue, the Node peer and the raw baseline), so their figures compare.

// userHZ is the unit of utime and stime in /proc/<pid>/stat: USER_HZ, 100 on every Linux ABI.
const userHZ = 100

// procSample is one reading of a process (or the sum over several).
type procSample struct {
	CPU time.Duration // user + system time so far
	RSS int64         // resident bytes now
}

// parseStat reads utime, stime and rss out of the text of /proc/<pid>/stat. The command name, field
// 2, is in parentheses and may hold spaces or parentheses itself: fields are counted after its last ')'.
func parseStat(stat string, pageSize int64) (procSample, error) {
	end := strings.LastIndexByte(stat, ')')
	if end < 0 {
		return procSample{}, errors.New("no command name in /proc stat")
	}
	f := strings.Fields(stat[end+1:])
	// f[0] is field 3 (state): utime is field 14, stime 15, rss 24.
	if len(f) < 22 {
		return procSample{}, fmt.Errorf("/proc stat has %d fields after the command name, want at least 22", len(f))
	}
	var n [3]int64
	for i, field := range []int{14, 15, 24} {
		v, err := strconv.ParseInt(f[field-3], 10, 64)
		if err != nil {
			return procSample{}, fmt.Errorf("/proc stat field %d: %w", field, err)
		}
		n[i] = v
	}
	return procSample{CPU: time.Duration(n[0]+n[1]) * time.Second / userHZ, RSS: n[2] * pageSize}, nil
}

// readProcs sums the readings of pids.
func readProcs(pids []int) (procSample, error) {
	var sum procSample
	if len(pids) == 0 {
		return sum, errors.New("no server process to read")
	}
	for _, pid := range pids {
		b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
		if err != nil {
			return sum, fmt.Errorf("reading process %d: %w", pid, err)
		}
		s, err := parseStat(string(b), int64(os.Getpagesize()))
		if err != nil {
			return sum, fmt.Errorf("process %d: %w", pid, err)
		}
		sum.CPU += s.CPU
		sum.RSS += s.RSS
	}
	return sum, nil
}

// perSubKiB is the resident memory the subscribers added, per subscriber, in KiB (two decimals).
func perSubKiB(before, after procSample, subs int) float64 {
	if subs <= 0 {
		return 0
	}
	return math.Round(float64(after.RSS-before.RSS)/1024/float64(subs)*100) / 100
}

// perMessageMicros is the server's CPU time per delivered message over a stretch of rounds, in µs
// (one decimal). The CPU clock ticks in 10 ms, so a short stretch reads coarse.
func perMessageMicros(before, after procSample, delivered int) float64 {
	if delivered <= 0 {
		return 0
	}
	return math.Round(float64(after.CPU-before.CPU)/float64(time.Microsecond)/float64(delivered)*10) / 10
}

// procWatch reads a fixed set of server processes; err says why it cannot (and every reading fails).
type procWatch struct {
	pids []int
	err  error
}

func (p *procWatch) read() (procSample, error) {
	if p == nil {
		return procSample{}, errors.New("no server process to read")
	}
	if p.err != nil {
		return procSample{}, p.err
	}
	return readProcs(p.pids)
}

// serverProcs finds the processes behind urls: the -pid list when given, otherwise the process
// listening on each URL's loopback port (the server must run on this machine, as a user whose /proc
// entries this tool may read).
func serverProcs(pidFlag string, urls []string) *procWatch {
	w := &procWatch{}
	if pidFlag != "" {
		for _, s := range strings.Split(pidFlag, ",") {
			pid, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || pid <= 0 {
				w.err = fmt.Errorf("-pid %q is not a list of process ids", pidFlag)
				return w
			}
			w.pids = append(w.pids, pid)
		}
		return w
	}
	for _, u := range urls {
		pid, err := listenerOf(u)
		if err != nil {
			w.err = fmt.Errorf("finding the server process of %s (pass -pid): %w", u, err)
			return w
		}
		w.pids = append(w.pids, pid)
	}
	return w
}

// listenerOf returns the pid of the process listening on base's port, when base is on loopback.
func listenerOf(base string) (int, error) {
	u, err := url.Parse(base)
	if err != nil {
		return 0, err
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return 0, fmt.Errorf("%s is not on this machine's loopback", host)
	}
	p, err := strconv.Atoi(port)
	if err != nil {
		return 0, fmt.Errorf("port %q: %w", port, err)
	}
	var inodes []string
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(table)
		if err != nil {
			continue
		}
		found, err := listeningInodes(f, p)
		f.Close()
		if err != nil {
			return 0, fmt.Errorf("reading %s: %w", table, err)
		}
		inodes = append(inodes, found...)
	}
	if len(inodes) == 0 {
		return 0, fmt.Errorf("nothing listens on port %d", p)
	}
	return socketOwner(inodes)
}

// listeningInodes returns the socket inodes of the LISTEN entries on port in a /proc/net/tcp{,6} table.
func listeningInodes(table io.Reader, port int) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(table)
	sc.Scan() // the header
	for sc.Scan() {
		// sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
		f := strings.Fields(sc.Text())
		if len(f) < 10 || f[3] != "0A" { // 0A: TCP_LISTEN
			continue
		}
		i := strings.LastIndexByte(f[1], ':')
		if p, err := strconv.ParseUint(f[1][i+1:], 16, 16); err == nil && int(p) == port && f[9] != "0" {
			out = append(out, f[9])
		}
	}
	return out, sc.Err()
}

// socketOwner finds the process holding one of the socket inodes among its file descriptors.
func socketOwner(inodes []string) (int, error) {
	want := map[string]bool{}
	for _, i := range inodes {
		want["socket:["+i+"]"] = true
	}
	dirs, err := os.ReadDir("/proc")
	if err != nil {
		return 0, err
	}
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		fds, err := os.ReadDir(filepath.Join("/proc", d.Name(), "fd"))
		if err != nil {
			continue // another user's process, or gone
		}
		for _, fd := range fds {
			if link, err := os.Readlink(filepath.Join("/proc", d.Name(), "fd", fd.Name())); err == nil && want[link] {
				return pid, nil
			}
		}
	}
	return 0, errors.New("no readable process holds the listening socket (another user's? pass -pid)")
}
