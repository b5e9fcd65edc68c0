package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The Node peer (nodepeer/server.mjs) is the second baseline: a graphql-js + graphql-ws server with
// in-process pub/sub and no database, answering the same subscriptions. Its files are built into this
// binary, so the tool runs from anywhere: they are written to -node-dir, where npm ci installs the
// pinned packages of nodepeer/package-lock.json once (again only when the lock file changes).
//
//go:embed nodepeer/package.json nodepeer/package-lock.json nodepeer/server.mjs
var nodePeerFiles embed.FS

// nodeInstallTimeout bounds npm ci.
const nodeInstallTimeout = 5 * time.Minute

// errNoNode says the Node column is skipped because node or npm is not on PATH.
var errNoNode = errors.New("node or npm is not on PATH")

// defaultNodeDir is where the peer is installed without -node-dir: the user's cache.
func defaultNodeDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory for the Node peer (pass -node-dir): %w", err)
	}
	return filepath.Join(dir, "carequeue-load", "nodepeer"), nil
}

// installNodePeer makes dir hold the peer's files and its installed packages. It writes a file only
// when its content differs, and runs npm ci only when node_modules was not installed from this lock.
func installNodePeer(ctx context.Context, dir string, out *printer) error {
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			return errNoNode
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// One install at a time per directory: two runs (or two tests) must not npm ci into it together.
	lf, err := os.OpenFile(filepath.Join(dir, ".install-lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return err
	}
	defer lf.Close() // releases the lock
	if err := syscall.Flock(int(lf.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("locking %s: %w", dir, err)
	}
	var lock []byte
	for _, name := range []string{"package.json", "package-lock.json", "server.mjs"} {
		want, err := nodePeerFiles.ReadFile("nodepeer/" + name)
		if err != nil {
			return err
		}
		if name == "package-lock.json" {
			lock = want
		}
		path := filepath.Join(dir, name)
		if have, err := os.ReadFile(path); err == nil && bytes.Equal(have, want) {
			continue
		}
		if err := os.WriteFile(path, want, 0o644); err != nil {
			return fmt.Errorf("writing the Node peer: %w", err)
		}
	}
	sum := sha256.Sum256(lock)
	stamp := filepath.Join(dir, "node_modules", ".carequeue-load-lock")
	if have, err := os.ReadFile(stamp); err == nil && string(have) == hex.EncodeToString(sum[:]) {
		return nil
	}
	out.Printf("node: npm ci in %s", dir)
	ctx, cancel := context.WithTimeout(ctx, nodeInstallTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts")
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("npm ci in %s: %w: %s", dir, err, strings.TrimSpace(string(b)))
	}
	return os.WriteFile(stamp, []byte(hex.EncodeToString(sum[:])), 0o644)
}

// nodePeer drives the Node peer process.
type nodePeer struct{ *child }

// startNodePeer starts the installed peer in dir with queues of perQueue waiting tickets; ticket j of
// queue q is "T<q>-<j>", in call order.
func startNodePeer(dir string, queues, perQueue int) (*nodePeer, error) {
	// Lives as long as the measurement: close ends it ("quit", then Kill), not a context.
	cmd := exec.Command("node", "server.mjs", strconv.Itoa(queues), strconv.Itoa(perQueue)) //nolint:noctx // see above
	cmd.Dir = dir
	c, err := startChild(cmd, "Node peer")
	if err != nil {
		return nil, err
	}
	return &nodePeer{c}, nil
}

// call calls queue q's next ticket and returns it ("" when nobody waits). Its watchers and the
// board's are sent their new state after the answer.
func (n *nodePeer) call(q int) (string, error) {
	line, err := n.ask("call %d", q)
	if err != nil {
		return "", err
	}
	called, ok := strings.CutPrefix(line, "called ")
	if !ok {
		return "", fmt.Errorf("the Node peer answered %q to a call", line)
	}
	if called == "-" {
		return "", nil
	}
	return called, nil
}

// nodePlan is the peer's hospital in the shape discover reads CareQueue's.
func nodePlan(queues, perQueue int) *plan {
	p := &plan{servicePoint: "Load desk"}
	for q := range queues {
		lq := &loadQueue{id: strconv.Itoa(q), name: queueName(q)}
		for j := range perQueue {
			lq.tickets = append(lq.tickets, fmt.Sprintf("T%d-%d", q, j))
		}
		p.queues = append(p.queues, lq)
	}
	return p
}
