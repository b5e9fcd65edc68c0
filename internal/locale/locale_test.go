package locale_test

import (
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/locale"
)

// cldr is what Node's Intl (ICU 78) printed for each supported locale, with CLDR's narrow no-break
// spaces as plain spaces: the clock at 00:05, 09:05, 12:30 and 23:59 UTC (24-hour locales with
// hour "2-digit", as the web formatter asks), and the 3rd of each month of 1990 with an abbreviated month.
var cldr = []struct {
	tag                      string
	midnight, am, noon, late string
	dates                    [12]string
}{
	{"en-GB", "00:05", "09:05", "12:30", "23:59", [12]string{"3 Jan 1990", "3 Feb 1990", "3 Mar 1990", "3 Apr 1990", "3 May 1990", "3 Jun 1990", "3 Jul 1990", "3 Aug 1990", "3 Sept 1990", "3 Oct 1990", "3 Nov 1990", "3 Dec 1990"}},
	{"en-IE", "00:05", "09:05", "12:30", "23:59", [12]string{"3 Jan 1990", "3 Feb 1990", "3 Mar 1990", "3 Apr 1990", "3 May 1990", "3 Jun 1990", "3 Jul 1990", "3 Aug 1990", "3 Sept 1990", "3 Oct 1990", "3 Nov 1990", "3 Dec 1990"}},
	{"en-US", "12:05 AM", "9:05 AM", "12:30 PM", "11:59 PM", [12]string{"Jan 3, 1990", "Feb 3, 1990", "Mar 3, 1990", "Apr 3, 1990", "May 3, 1990", "Jun 3, 1990", "Jul 3, 1990", "Aug 3, 1990", "Sep 3, 1990", "Oct 3, 1990", "Nov 3, 1990", "Dec 3, 1990"}},
	{"en-AU", "12:05 am", "9:05 am", "12:30 pm", "11:59 pm", [12]string{"3 Jan 1990", "3 Feb 1990", "3 Mar 1990", "3 Apr 1990", "3 May 1990", "3 June 1990", "3 July 1990", "3 Aug 1990", "3 Sept 1990", "3 Oct 1990", "3 Nov 1990", "3 Dec 1990"}},
	{"es-ES", "00:05", "09:05", "12:30", "23:59", [12]string{"3 ene 1990", "3 feb 1990", "3 mar 1990", "3 abr 1990", "3 may 1990", "3 jun 1990", "3 jul 1990", "3 ago 1990", "3 sept 1990", "3 oct 1990", "3 nov 1990", "3 dic 1990"}},
	{"es-MX", "12:05 a.m.", "9:05 a.m.", "12:30 p.m.", "11:59 p.m.", [12]string{"3 ene 1990", "3 feb 1990", "3 mar 1990", "3 abr 1990", "3 may 1990", "3 jun 1990", "3 jul 1990", "3 ago 1990", "3 sep 1990", "3 oct 1990", "3 nov 1990", "3 dic 1990"}},
	{"es-US", "12:05 a.m.", "9:05 a.m.", "12:30 p.m.", "11:59 p.m.", [12]string{"3 ene 1990", "3 feb 1990", "3 mar 1990", "3 abr 1990", "3 may 1990", "3 jun 1990", "3 jul 1990", "3 ago 1990", "3 sept 1990", "3 oct 1990", "3 nov 1990", "3 dic 1990"}},
	{"fr-FR", "00:05", "09:05", "12:30", "23:59", [12]string{"3 janv. 1990", "3 févr. 1990", "3 mars 1990", "3 avr. 1990", "3 mai 1990", "3 juin 1990", "3 juil. 1990", "3 août 1990", "3 sept. 1990", "3 oct. 1990", "3 nov. 1990", "3 déc. 1990"}},
	{"fr-BE", "00:05", "09:05", "12:30", "23:59", [12]string{"3 janv. 1990", "3 févr. 1990", "3 mars 1990", "3 avr. 1990", "3 mai 1990", "3 juin 1990", "3 juil. 1990", "3 août 1990", "3 sept. 1990", "3 oct. 1990", "3 nov. 1990", "3 déc. 1990"}},
	{"fr-CH", "00:05", "09:05", "12:30", "23:59", [12]string{"3 janv. 1990", "3 févr. 1990", "3 mars 1990", "3 avr. 1990", "3 mai 1990", "3 juin 1990", "3 juil. 1990", "3 août 1990", "3 sept. 1990", "3 oct. 1990", "3 nov. 1990", "3 déc. 1990"}},
	{"fr-CA", "00 h 05", "09 h 05", "12 h 30", "23 h 59", [12]string{"3 janv. 1990", "3 févr. 1990", "3 mars 1990", "3 avr. 1990", "3 mai 1990", "3 juin 1990", "3 juill. 1990", "3 août 1990", "3 sept. 1990", "3 oct. 1990", "3 nov. 1990", "3 déc. 1990"}},
}

func TestFormatsMatchCLDR(t *testing.T) {
	t.Parallel()
	require.Len(t, cldr, len(locale.Supported()), "every supported locale is pinned here")
	for _, tc := range cldr {
		t.Run(tc.tag, func(t *testing.T) {
			t.Parallel()
			require.NoError(t, locale.Validate(tc.tag))
			at := func(h, m int) time.Time { return time.Date(2026, 3, 29, h, m, 0, 0, time.UTC) }
			require.Equal(t, tc.midnight, locale.Time(at(0, 5), tc.tag, time.UTC))
			require.Equal(t, tc.am, locale.Time(at(9, 5), tc.tag, time.UTC))
			require.Equal(t, tc.noon, locale.Time(at(12, 30), tc.tag, time.UTC))
			require.Equal(t, tc.late, locale.Time(at(23, 59), tc.tag, nil))
			for m, want := range tc.dates {
				require.Equal(t, want, locale.Date(time.Date(1990, time.Month(m+1), 3, 0, 0, 0, 0, time.UTC), tc.tag))
			}
		})
	}
}

func TestTime(t *testing.T) {
	t.Parallel()
	london, err := time.LoadLocation("Europe/London")
	require.NoError(t, err)
	newYork, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	// Europe/London moved to BST at 01:00 UTC on 29 March 2026.
	before, after := time.Date(2026, 3, 29, 0, 59, 0, 0, time.UTC), time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		at   time.Time
		tag  string
		loc  *time.Location
		want string
	}{
		{"LondonBeforeTheChange", before, "en-GB", london, "00:59"},
		{"LondonAfterTheChangeSkipsAnHour", after, "en-GB", london, "02:00"},
		{"SameInstantInNewYork", after, "en-US", newYork, "9:00 PM"},
		{"UnknownTagFallsBackToTheDefault", after, "xx-XX", london, "02:00"},
		{"EmptyTagFallsBackToTheDefault", after, "", nil, "01:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, locale.Time(tc.at, tc.tag, tc.loc))
		})
	}
}

func TestDateOfBirthIsNeverAllDigits(t *testing.T) {
	t.Parallel()
	dob := time.Date(1990, 4, 3, 0, 0, 0, 0, time.UTC)
	require.Equal(t, "3 Apr 1990", locale.Date(dob, "en-GB"))
	require.Equal(t, "Apr 3, 1990", locale.Date(dob, "en-US"))
	require.Equal(t, "3 abr 1990", locale.Date(dob, "es-ES"))
	require.Equal(t, "3 avr. 1990", locale.Date(dob, "fr-FR"))
	for _, tag := range locale.Supported() {
		require.NotContains(t, locale.Date(dob, tag), "4/3", tag)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"", "en", "en-gb", "EN-GB", "en_GB", " en-GB", "de-DE", "en-GB\x00", "<script>", "en-GB-x-private"} {
		err := locale.Validate(bad)
		require.Error(t, err, "%q", bad)
		require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err))
		require.NotContains(t, err.Error(), "<script>", "the message never echoes the input")
	}
}

func TestDerive(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ language, timezone, want string }{
		{"en", "Europe/London", "en-GB"},
		{"en", "America/Chicago", "en-US"},
		{"en", "Europe/Dublin", "en-IE"},
		{"en", "Australia/Sydney", "en-AU"},
		{"en", "UTC", "en-GB"},
		{"en", "Europe/Paris", "en-GB"}, // no English locale for France: the language's home one
		{"es", "Europe/Madrid", "es-ES"},
		{"es", "America/Mexico_City", "es-MX"},
		{"es", "America/New_York", "es-US"},
		{"es", "UTC", "es-ES"},
		{"fr", "Europe/Paris", "fr-FR"},
		{"fr", "America/Toronto", "fr-CA"},
		{"fr", "Europe/Brussels", "fr-BE"},
		{"FR-ca", "America/Montreal", "fr-CA"},
		{"", "", "en-GB"},
		{"de", "Europe/Berlin", "en-GB"},
	} {
		require.Equal(t, tc.want, locale.Derive(tc.language, tc.timezone), "%s %s", tc.language, tc.timezone)
	}
}

// The web app offers the same list (web/src/i18n/format.ts LOCALES) on the facility form.
func TestWebOffersTheSupportedLocales(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("../../web/src/i18n/format.ts")
	require.NoError(t, err)
	m := regexp.MustCompile(`export const LOCALES = \[([^\]]*)\]`).FindSubmatch(src)
	require.NotNil(t, m, "LOCALES not found in format.ts")
	var web []string
	for _, q := range regexp.MustCompile(`"([^"]+)"`).FindAllSubmatch(m[1], -1) {
		web = append(web, string(q[1]))
	}
	require.Equal(t, locale.Supported(), web)
}
