package notify_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/notify"
)

func TestSegments(t *testing.T) {
	t.Parallel()

	t.Run("CountsLikeACarrier", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			name     string
			text     string
			enc      notify.Encoding
			segments int
		}{
			{"Empty", "", notify.GSM7, 0},
			{"GSMFull", strings.Repeat("a", 160), notify.GSM7, 1},
			{"GSMOneOver", strings.Repeat("a", 161), notify.GSM7, 2},
			{"GSMTwoFull", strings.Repeat("a", 306), notify.GSM7, 2},
			{"GSMThree", strings.Repeat("a", 307), notify.GSM7, 3},
			{"FrenchAccentsStayGSM", "é è à ù É ñ Ñ ü ¿ ¡", notify.GSM7, 1},
			{"ExtensionCostsTwo", strings.Repeat("€", 80), notify.GSM7, 1},
			{"ExtensionOneOver", strings.Repeat("€", 81), notify.GSM7, 2},
			// 306 septets would fit two 153-septet parts, but the escape pair cannot straddle them.
			{"EscapePairNotSplit", strings.Repeat("a", 152) + "€" + strings.Repeat("a", 152), notify.GSM7, 3},
			{"SpanishAcuteIsUCS2", "código", notify.UCS2, 1},
			{"CedillaIsUCS2", "reçu", notify.UCS2, 1},
			{"CircumflexIsUCS2", "bientôt", notify.UCS2, 1},
			{"UCS2Full", strings.Repeat("á", 70), notify.UCS2, 1},
			{"UCS2OneOver", strings.Repeat("á", 71), notify.UCS2, 2},
			{"SurrogatePairsCountTwo", strings.Repeat("🙂", 35), notify.UCS2, 1},
			// 134 UTF-16 units would fit two 67-unit parts, but the surrogate pair cannot straddle them.
			{"SurrogatePairNotSplit", strings.Repeat("a", 66) + "🙂" + strings.Repeat("a", 66), notify.UCS2, 3},
		} {
			enc, n := notify.Segments(tc.text)
			require.Equal(t, tc.enc, enc, tc.name)
			require.Equal(t, tc.segments, n, tc.name)
		}
	})

	t.Run("EveryTemplateFitsOneGSMSegment", func(t *testing.T) {
		t.Parallel()
		for lang, byKind := range golden {
			for _, kind := range notify.Kinds {
				text := byKind[kind]
				enc, n := notify.Segments(text)
				t.Logf("%s/%-11s %s %d segment(s), %3d chars", lang, kind, enc, n, len([]rune(text)))
				require.Equal(t, notify.GSM7, enc, "%s/%s", lang, kind)
				require.Equal(t, 1, n, "%s/%s: %q", lang, kind, text)
			}
		}
	})
}
