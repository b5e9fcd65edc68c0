package phone_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/phone"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"+447700900123", "+447700900123"},
		{" +44 7700 900-123 ", "+447700900123"},
		{"+1 (415) 555.0100", "+14155550100"},
	} {
		got, err := phone.Normalize(tc.in)
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, got)
	}
	for _, bad := range []string{"", "07700900123", "+0447700900123", "+44", "+44 7700 9001 2345 678", "+44abc", "++447700900123", "+44 7700\n900123", "447700900123"} {
		_, err := phone.Normalize(bad)
		require.Error(t, err, "%q", bad)
		require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err), "%q", bad)
	}
}
