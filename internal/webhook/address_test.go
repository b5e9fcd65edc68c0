package webhook

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/cqerr"
)

func TestValidURL(t *testing.T) {
	t.Parallel()
	long := "https://example.org/" + string(make([]byte, MaxURLLength))
	for _, tc := range []struct {
		name       string
		url        string
		production bool
		ok         bool
	}{
		{"HTTPSPublic", "https://ehr.example.org/hooks/carequeue", true, true},
		{"HTTPSPublicIP", "https://203.0.113.7:8443/hooks", true, true},
		{"HTTPInProduction", "http://ehr.example.org/hooks", true, false},
		{"HTTPInDevelopment", "http://127.0.0.1:9000/hooks", false, true},
		{"Loopback", "https://127.0.0.1/hooks", true, false},
		{"LoopbackV6", "https://[::1]/hooks", true, false},
		{"MappedLoopback", "https://[::ffff:127.0.0.1]/hooks", true, false},
		{"Private10", "https://10.1.2.3/hooks", true, false},
		{"Private192", "https://192.168.0.10/hooks", true, false},
		{"Private172", "https://172.16.5.5/hooks", true, false},
		{"CloudMetadata", "https://169.254.169.254/latest/meta-data", true, false},
		{"UniqueLocalV6", "https://[fd00::1]/hooks", true, false},
		{"CarrierNAT", "https://100.64.1.1/hooks", true, false},
		{"Unspecified", "https://0.0.0.0/hooks", true, false},
		{"Localhost", "https://localhost/hooks", true, false},
		{"LocalhostSubdomain", "https://api.localhost/hooks", true, false},
		{"SingleLabelHost", "https://intranet/hooks", true, false},
		{"Credentials", "https://user:pw@ehr.example.org/hooks", true, false},
		{"Fragment", "https://ehr.example.org/hooks#x", true, false},
		{"Relative", "/hooks", false, false},
		{"OtherScheme", "ftp://ehr.example.org/hooks", false, false},
		{"JavaScript", "javascript:alert(1)", false, false},
		{"Empty", "", false, false},
		{"Spaces", " https://ehr.example.org/hooks", false, false},
		{"TooLong", long, false, false},
		{"ControlCharacters", "https://ehr.example.org/\x00hooks", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := ValidURL(tc.url, tc.production)
			if tc.ok {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			var e *cqerr.Error
			require.ErrorAs(t, err, &e)
			require.Equal(t, cqerr.BadUserInput, e.Code)
			require.Equal(t, "url", e.Field)
		})
	}
}

func TestBlockedAndGuardDial(t *testing.T) {
	t.Parallel()
	for addr, blocked := range map[string]bool{
		"127.0.0.1:443": true, "10.0.0.1:443": true, "169.254.169.254:80": true, "[::1]:443": true,
		"[fe80::1]:443": true, "100.100.100.100:443": true, "203.0.113.7:443": false, "[2001:db8::1]:443": false,
		"8.8.8.8:443": false,
	} {
		require.Equal(t, blocked, Blocked(netip.MustParseAddrPort(addr).Addr()), addr)
		require.Equal(t, blocked, GuardDial("tcp", addr, nil) != nil, addr)
	}
	require.Error(t, GuardDial("tcp", "not-an-address", nil))
}
