package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// raiseFileLimit lifts RLIMIT_NOFILE as far as the process may: every subscriber is one descriptor here,
// and the baseline holds both ends of its connections. The soft limit goes to the hard limit; a process
// allowed to (root, CAP_SYS_RESOURCE) also raises the hard limit to the kernel's fs.nr_open.
func raiseFileLimit() (uint64, error) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, fmt.Errorf("reading the file descriptor limit: %w", err)
	}
	if ceiling := kernelFileCeiling(); ceiling > lim.Max {
		want := syscall.Rlimit{Cur: ceiling, Max: ceiling}
		if syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want) == nil {
			return ceiling, nil
		}
	}
	lim.Cur = lim.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, fmt.Errorf("raising the file descriptor limit to %d: %w", lim.Max, err)
	}
	return lim.Cur, nil
}

// kernelFileCeiling is fs.nr_open, the most any process may hold, or 0 when unknown.
func kernelFileCeiling() uint64 {
	b, err := os.ReadFile("/proc/sys/fs/nr_open")
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	return n
}
