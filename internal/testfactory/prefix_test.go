package testfactory

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPrefix: every counter value gives a valid ticket prefix, one to three capital letters.
func TestPrefix(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]string{1: "A", 26: "Z", 27: "AA", 702: "ZZ", 703: "AAA", 18278: "ZZZ", 18279: "A"} {
		require.Equal(t, want, prefix(n), n)
	}
}
