package notify_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/notify"
)

func TestPlural(t *testing.T) {
	t.Parallel()

	// CLDR's integer rules, as Intl.PluralRules gives them to the web and patient apps.
	t.Run("CategoriesFollowCLDR", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			lang notify.Lang
			n    int
			want notify.Plural
		}{
			{notify.English, 0, notify.Other}, {notify.English, 1, notify.One}, {notify.English, 2, notify.Other},
			{notify.English, 1_000_000, notify.Other},
			{notify.Spanish, 0, notify.Other}, {notify.Spanish, 1, notify.One}, {notify.Spanish, 2, notify.Other},
			{notify.Spanish, 11, notify.Other}, {notify.Spanish, 1_000_000, notify.Many}, {notify.Spanish, 1_000_001, notify.Other},
			{notify.French, 0, notify.One}, {notify.French, 1, notify.One}, {notify.French, 2, notify.Other},
			{notify.French, 2_000_000, notify.Many}, {notify.French, -1, notify.One},
		} {
			require.Equal(t, tc.want, notify.PluralOf(tc.lang, tc.n), "%s %d", tc.lang, tc.n)
		}
	})

	t.Run("CountsInEachLanguage", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			lang notify.Lang
			n    int
			want string
		}{
			{notify.English, 0, "0 people"}, {notify.English, 1, "1 person"}, {notify.English, 2, "2 people"},
			{notify.Spanish, 0, "0 personas"}, {notify.Spanish, 1, "1 persona"}, {notify.Spanish, 2, "2 personas"},
			{notify.Spanish, 1_000_000, "1000000 de personas"},
			{notify.French, 0, "0 personne"}, {notify.French, 1, "1 personne"}, {notify.French, 2, "2 personnes"},
			{notify.French, 1_000_000, "1000000 de personnes"},
		} {
			got, err := notify.Count(tc.lang, tc.n, notify.Person)
			require.NoError(t, err)
			require.Equal(t, tc.want, got, "%s %d", tc.lang, tc.n)
		}
	})

	t.Run("EveryNounHasEveryFormOfEveryLanguage", func(t *testing.T) {
		t.Parallel()
		// A number of each category: a missing form fails here, not in a patient's message.
		example := map[notify.Plural]int{notify.One: 1, notify.Many: 1_000_000, notify.Other: 2}
		for _, lang := range notify.Langs {
			for _, noun := range notify.Nouns {
				for _, c := range notify.Categories(lang) {
					n, ok := example[c]
					require.True(t, ok, "no example number for %s", c)
					require.Equal(t, c, notify.PluralOf(lang, n))
					_, err := notify.Count(lang, n, noun)
					require.NoError(t, err, "%s %s %s", lang, noun, c)
				}
			}
		}
	})

	t.Run("UnknownNounFails", func(t *testing.T) {
		t.Parallel()
		_, err := notify.Count(notify.French, 2, "minute")
		require.Error(t, err)
	})
}
