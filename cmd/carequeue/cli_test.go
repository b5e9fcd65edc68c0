package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
	"github.com/carequeue/carequeue/internal/store/storetest"
)

// TestHelpListsEveryCommand: the usage is built from the command table, and every command answers -h
// with its help and no error (a wrong flag name in a command's help would show here too).
func TestHelpListsEveryCommand(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		var out bytes.Buffer
		require.NoError(t, run(context.Background(), args, func(string) string { return "" }, &out, io.Discard), "%v", args)
		for _, c := range commands(nil) {
			require.Regexp(t, `(?m)^  `+c.name+` +\S`, out.String(), "%v lists %s with its line", args, c.name)
		}
	}
	for _, c := range commands(nil) {
		if c.name == "help" {
			continue
		}
		var errOut bytes.Buffer
		require.NoError(t, run(context.Background(), []string{c.name, "-h"}, func(string) string { return "" }, io.Discard, &errOut), c.name)
		require.Contains(t, errOut.String(), "usage", "%s -h prints its usage", c.name)
	}
	var errOut bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"user", "create", "-h"}, func(string) string { return "" }, io.Discard, &errOut))
	for _, flag := range []string{"-email", "-role", "-password-stdin", "-name", "-facility"} {
		require.Contains(t, errOut.String(), flag)
	}
	require.ErrorContains(t, run(context.Background(), []string{"migrate", "now"}, func(string) string { return "" }, io.Discard, io.Discard), `migrate takes no arguments but --app-role NAME (got "now")`)
	require.ErrorContains(t, run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, io.Discard, io.Discard), "carequeue --help")
}

// freshServe runs `serve args...` in a new folder with env until ready or failed: it returns the base
// URL (empty on failure), the start's error, and a stop function.
func freshServe(t *testing.T, env map[string]string, args ...string) (url string, out *bytes.Buffer, stop func(), err error) {
	t.Helper()
	out = &bytes.Buffer{}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, args, func(k string) string { return env[k] }, out, io.Discard, &hooks{ready: func(a string) { ready <- a }})
	}()
	select {
	case a := <-ready:
		return "http://" + a, out, func() { cancel(); require.NoError(t, <-done) }, nil
	case err := <-done:
		cancel()
		return "", out, func() {}, err
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatal("serve neither started nor failed in 60 s")
	}
	return "", out, nil, nil
}

func baseEnv(dir string) map[string]string {
	return map[string]string{"APP_ENV": "test", "HOST": "127.0.0.1", "PORT": "0", "LOG_LEVEL": "error",
		"SQLITE_PATH": filepath.Join(dir, "carequeue.db")}
}

// TestServeJustWorksOnANewFolder: a plain `serve` (no --migrate) creates and migrates its SQLite file
// and answers queries; a first start that fails leaves no file or directory behind; it says it is
// running only once everything it runs (the job workers too) has started.
func TestServeJustWorksOnANewFolder(t *testing.T) {
	t.Parallel()
	t.Run("CreatesAndMigrates", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		url, out, stop, err := freshServe(t, baseEnv(dir))
		require.NoError(t, err)
		defer stop()
		require.Contains(t, out.String(), "applied ")
		resp, err := http.Post(url+"/graphql", "application/json", strings.NewReader(`{"query":"{ me { id } }"}`))
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
		require.JSONEq(t, `{"data":{"me":null}}`, string(body))
	})
	t.Run("AFailedFirstStartLeavesNoFiles", func(t *testing.T) {
		t.Parallel()
		busy, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		defer busy.Close()
		dir := t.TempDir()
		env := baseEnv(dir)
		env["PORT"] = strconv.Itoa(busy.Addr().(*net.TCPAddr).Port)
		_, out, _, err := freshServe(t, env)
		require.ErrorContains(t, err, "PORT: cannot listen")
		require.NotContains(t, out.String(), "running at")
		left, _ := os.ReadDir(dir)
		require.Empty(t, left, "the failed start removed the database it created")
	})
	t.Run("AFailedFirstStartLeavesNoDirectories", func(t *testing.T) {
		t.Parallel()
		busy, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		defer busy.Close()
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("not ours"), 0o600))
		env := baseEnv(dir)
		env["SQLITE_PATH"] = filepath.Join(dir, "data", "carequeue", "carequeue.db")
		env["PORT"] = strconv.Itoa(busy.Addr().(*net.TCPAddr).Port)
		_, _, _, err = freshServe(t, env)
		require.ErrorContains(t, err, "PORT: cannot listen")
		left, _ := os.ReadDir(dir)
		require.Len(t, left, 1, "the failed start removed data/carequeue/ it created, and only that")
		require.Equal(t, "keep.txt", left[0].Name())
		// The same for a one-off command that fails on a new folder (a clinician needs a facility).
		env["SQLITE_PATH"] = filepath.Join(dir, "other", "carequeue.db")
		err = run(context.Background(), []string{"user", "create", "--role", "CLINICIAN", "--email", "a@example.org", "--password", "long-enough-pw"},
			func(k string) string { return env[k] }, io.Discard, io.Discard)
		require.Error(t, err)
		left, _ = os.ReadDir(dir)
		require.Len(t, left, 1, "the failed command removed other/ it created")
	})
	t.Run("SaysItRunsOnlyOnceTheJobWorkersRun", func(t *testing.T) {
		t.Parallel()
		env := baseEnv(t.TempDir())
		env["LOG_LEVEL"], env["LOG_FORMAT"] = "info", "text"
		var out safeBuffer // stdout and the log in the order they were written
		ctx, cancel := context.WithCancel(context.Background())
		ready, done := make(chan string, 1), make(chan error, 1)
		go func() {
			done <- serve(ctx, nil, func(k string) string { return env[k] }, &out, &out, &hooks{ready: func(a string) { ready <- a }})
		}()
		select {
		case <-ready:
		case err := <-done:
			t.Fatalf("serve failed: %v", err)
		case <-time.After(60 * time.Second):
			t.Fatal("serve did not start in 60 s")
		}
		cancel()
		require.NoError(t, <-done)
		text := out.String()
		workers, running := strings.Index(text, "job workers started"), strings.Index(text, "CareQueue is running at")
		require.NotEqual(t, -1, workers, text)
		require.NotEqual(t, -1, running, text)
		require.Less(t, workers, running, "\"running\" is printed after the job workers started:\n%s", text)
	})
	t.Run("AFailedLaterStartKeepsTheDatabase", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		_, _, stop, err := freshServe(t, baseEnv(dir))
		require.NoError(t, err)
		stop()
		busy, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		defer busy.Close()
		env := baseEnv(dir)
		env["PORT"] = strconv.Itoa(busy.Addr().(*net.TCPAddr).Port)
		_, _, _, err = freshServe(t, env)
		require.Error(t, err)
		require.FileExists(t, filepath.Join(dir, "carequeue.db"), "an existing database is never removed")
	})
}

// TestServeRefusesAnUnmigratedPostgres: on PostgreSQL `serve` without --migrate stops before it says it
// is running, in one line naming the command that fixes it; with --migrate it starts.
func TestServeRefusesAnUnmigratedPostgres(t *testing.T) {
	t.Parallel()
	if !slices.Contains(storetest.Dialects(t), store.Postgres) {
		t.Skip("PostgreSQL is not among CAREQUEUE_TEST_DIALECTS")
	}
	dbURL, _ := storetest.NewURL(t, store.Postgres)
	env := baseEnv(t.TempDir())
	env["DATABASE_URL"] = dbURL
	_, out, _, err := freshServe(t, env)
	require.Error(t, err)
	require.Contains(t, err.Error(), "run `carequeue migrate`")
	require.NotContains(t, err.Error(), "\n")
	require.NotContains(t, out.String(), "running at")
	require.ErrorContains(t, run(context.Background(), []string{"worker"}, func(k string) string { return env[k] }, io.Discard, io.Discard), "carequeue migrate")
	_, _, stop, err := freshServe(t, env, "--migrate")
	require.NoError(t, err)
	stop()
	_, _, stop, err = freshServe(t, env)
	require.NoError(t, err, "once migrated, a plain serve starts")
	stop()
}

// TestDemoNeverReachesRealData: --demo is refused in production, and on a database that holds a
// facility of its own, by `seed` and by `serve`.
func TestDemoNeverReachesRealData(t *testing.T) {
	t.Parallel()
	t.Run("Production", func(t *testing.T) {
		t.Parallel()
		env := baseEnv(t.TempDir())
		env["APP_ENV"], env["JWT_SECRET"] = "production", testSecret
		_, _, _, err := freshServe(t, env, "--demo")
		require.ErrorContains(t, err, "demo data is refused in production")
		require.ErrorContains(t, run(context.Background(), []string{"seed", "--demo"}, func(k string) string { return env[k] }, io.Discard, io.Discard),
			"demo data is refused in production")
	})
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServerWith(t, d, map[string]string{"APP_ENV": "test"})
		setupHospital(t, s)
		err := run(context.Background(), []string{"seed", "--demo"}, s.getenv, io.Discard, io.Discard)
		require.ErrorContains(t, err, "already holds 1 facilities of its own")
		require.Equal(t, [][]string{{"1"}}, s.auditSQL(t, `SELECT count(*) FROM facilities`), "nothing of the demo was added")
	})
}

// TestUserCreateTakesThePasswordFromStandardInput: --password-stdin reads the first line; nothing on
// standard input and no terminal is a clear error; --password still works with a warning.
func TestUserCreateTakesThePasswordFromStandardInput(t *testing.T) {
	t.Parallel()
	s := startServer(t, store.SQLite)
	create := func(stdin string, args ...string) (string, string, error) {
		var out, errOut bytes.Buffer
		err := runIO(context.Background(), append([]string{"user", "create", "--role", "ADMIN"}, args...), s.getenv, strings.NewReader(stdin), &out, &errOut)
		return out.String(), errOut.String(), err
	}
	out, _, err := create("stdin-password-1\n", "--email", "a@example.org", "--password-stdin")
	require.NoError(t, err)
	require.Contains(t, out, "created ADMIN a@example.org")
	s.login(t, "a@example.org", "stdin-password-1")

	_, _, err = create("", "--email", "b@example.org")
	require.ErrorContains(t, err, "no password given: run in a terminal to be asked for it, or pipe it in with --password-stdin")
	_, _, err = create("\n", "--email", "b@example.org", "--password-stdin")
	require.ErrorContains(t, err, "standard input held no password")
	_, _, err = create("x\n", "--email", "b@example.org", "--password-stdin", "--password", "long-enough-pw")
	require.ErrorContains(t, err, "not both")
	_, _, err = create("short\n", "--email", "b@example.org", "--password-stdin")
	require.ErrorContains(t, err, "password is too short")
	_, warn, err := create("", "--email", "c@example.org", "--password", "flag-password-1")
	require.NoError(t, err)
	require.Contains(t, warn, "visible in the process list")
}
