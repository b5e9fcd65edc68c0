package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// FileSecrets are the variables that may instead be given as the path of a file holding the value,
// NAME_FILE, the convention of Docker and Kubernetes secrets (mounted under /run/secrets/), so a
// secret never has to sit in the environment, which `docker inspect` and /proc/<pid>/environ show.
var FileSecrets = []string{"JWT_SECRET", "DATABASE_URL", "REDIS_URL", "TWILIO_AUTH_TOKEN", "APP_ROLE_PASSWORD", "METRICS_TOKEN"}

// maxSecretFile bounds what is read: a secret is a line, and a wrong path (a log, a device) must not
// be read into memory whole.
const maxSecretFile = 64 << 10

// WithSecretFiles returns getenv with every FileSecrets variable that is unset read from its NAME_FILE
// instead. The file's trailing line break (editors and `echo` add one) is dropped; nothing else is.
// Setting both NAME and NAME_FILE, an unreadable, empty or oversized file is an *Error naming
// NAME_FILE; the file's content is never part of it.
func WithSecretFiles(getenv func(string) string, readFile func(string) ([]byte, error)) (func(string) string, error) {
	if readFile == nil {
		readFile = readSecretFile
	}
	values := map[string]string{}
	for _, name := range FileSecrets {
		fileVar := name + "_FILE"
		path := strings.TrimSpace(getenv(fileVar))
		if path == "" {
			continue
		}
		if strings.TrimSpace(getenv(name)) != "" {
			return nil, errf(fileVar, "set %s or %s, not both", name, fileVar)
		}
		b, err := readFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, errf(fileVar, "%s does not exist", path)
		case errors.Is(err, fs.ErrPermission):
			return nil, errf(fileVar, "%s cannot be read by this user", path)
		case errors.Is(err, errSecretTooLarge):
			return nil, errf(fileVar, "%s is over %d KiB: not a secret file", path, maxSecretFile>>10)
		case err != nil:
			return nil, errf(fileVar, "%s cannot be read: %v", path, err)
		}
		v := strings.TrimRight(string(b), "\r\n")
		if strings.TrimSpace(v) == "" {
			return nil, errf(fileVar, "%s is empty", path)
		}
		values[name] = v
	}
	return func(name string) string {
		if v, ok := values[name]; ok {
			return v
		}
		return getenv(name)
	}, nil
}

var errSecretTooLarge = errors.New("secret file too large")

func readSecretFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("it is a directory")
	}
	b, err := io.ReadAll(io.LimitReader(f, maxSecretFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxSecretFile {
		return nil, errSecretTooLarge
	}
	return b, nil
}
