// Package locale owns a facility's formats: which BCP 47 locales a facility may have (Supported), the
// one a new facility gets when none is given (Derive), and clock times and dates as the people of that
// locale write them, for SMS and other text the server writes (Time, Date). The web and patient apps
// format with the browser's Intl from the same locale tag; this package is the server's copy of the few
// patterns it needs, so the tables here must agree with CLDR (locale_test.go pins them to what Intl
// prints). Pure: no I/O.
package locale

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// Default is the locale of a facility created without one whose language and time zone say nothing
// better (see Derive), and of facilities that existed before locales: day-month-year, 24-hour clock.
const Default = "en-GB"

// format is how one locale writes a clock time and a date with an abbreviated month.
type format struct {
	clock24   bool
	hourSep   string // between hours and minutes: ":" or fr-CA's " h "
	am, pm    string // 12-hour clocks only
	monthDay  bool   // "Apr 3, 1990" rather than "3 Apr 1990"
	monthAbbr [12]string
}

var (
	enMonths = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"}
	esMonths = [12]string{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"}
	frMonths = [12]string{"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."}
)

// with returns months with month m (1-12) written as name: CLDR's regional variants differ by a month or two.
func with(months [12]string, m int, name string) [12]string {
	months[m-1] = name
	return months
}

// formats are CLDR's (as ICU 78 prints them) for each supported locale.
var formats = map[string]format{
	"en-GB": {clock24: true, hourSep: ":", monthAbbr: enMonths},
	"en-IE": {clock24: true, hourSep: ":", monthAbbr: enMonths},
	"en-US": {hourSep: ":", am: "AM", pm: "PM", monthDay: true, monthAbbr: with(enMonths, 9, "Sep")},
	"en-AU": {hourSep: ":", am: "am", pm: "pm", monthAbbr: with(with(enMonths, 6, "June"), 7, "July")},
	"es-ES": {clock24: true, hourSep: ":", monthAbbr: esMonths},
	"es-MX": {hourSep: ":", am: "a.m.", pm: "p.m.", monthAbbr: with(esMonths, 9, "sep")},
	"es-US": {hourSep: ":", am: "a.m.", pm: "p.m.", monthAbbr: esMonths},
	"fr-FR": {clock24: true, hourSep: ":", monthAbbr: frMonths},
	"fr-BE": {clock24: true, hourSep: ":", monthAbbr: frMonths},
	"fr-CH": {clock24: true, hourSep: ":", monthAbbr: frMonths},
	"fr-CA": {clock24: true, hourSep: " h ", monthAbbr: with(frMonths, 7, "juill.")},
}

// Supported lists the locales a facility may have, sorted.
func Supported() []string {
	out := make([]string, 0, len(formats))
	for tag := range formats {
		out = append(out, tag)
	}
	slices.Sort(out)
	return out
}

// Validate accepts exactly one of Supported (case as listed). Errors: BAD_USER_INPUT.
func Validate(tag string) error {
	if _, ok := formats[tag]; !ok {
		return cqerr.E(cqerr.BadUserInput, "locale must be one of "+strings.Join(Supported(), ", "))
	}
	return nil
}

// Derive picks the locale of a new facility from its language and IANA time zone: the language's
// country for that zone when it is one of Supported (Spanish in America/Mexico_City: es-MX), else the
// language's home locale (en-GB, es-ES, fr-FR), else Default. Existing facilities were given the
// same by the migration that added locales (language only: en-GB, es-ES, fr-FR).
func Derive(language, timezone string) string {
	lang := strings.ToLower(strings.SplitN(strings.TrimSpace(language), "-", 2)[0])
	if c := zoneCountry[timezone]; c != "" {
		if tag := lang + "-" + c; Validate(tag) == nil {
			return tag
		}
	}
	switch lang {
	case "es":
		return "es-ES"
	case "fr":
		return "fr-FR"
	}
	return Default
}

// zoneCountry maps the IANA zones of the supported countries' main cities to their country, enough for
// Derive; a zone not listed derives the language's home locale.
var zoneCountry = map[string]string{
	"Europe/London": "GB", "Europe/Belfast": "GB", "Europe/Dublin": "IE",
	"America/New_York": "US", "America/Chicago": "US", "America/Denver": "US", "America/Phoenix": "US",
	"America/Los_Angeles": "US", "America/Anchorage": "US", "Pacific/Honolulu": "US", "America/Puerto_Rico": "US",
	"Australia/Sydney": "AU", "Australia/Melbourne": "AU", "Australia/Brisbane": "AU", "Australia/Perth": "AU",
	"Australia/Adelaide": "AU", "Australia/Hobart": "AU", "Australia/Darwin": "AU",
	"Europe/Madrid": "ES", "Atlantic/Canary": "ES", "Africa/Ceuta": "ES",
	"America/Mexico_City": "MX", "America/Monterrey": "MX", "America/Tijuana": "MX", "America/Cancun": "MX",
	"Europe/Paris": "FR", "Europe/Brussels": "BE", "Europe/Zurich": "CH",
	"America/Toronto": "CA", "America/Montreal": "CA", "America/Vancouver": "CA", "America/Halifax": "CA",
}

func lookup(tag string) format {
	if f, ok := formats[tag]; ok {
		return f
	}
	return formats[Default]
}

// Time writes the clock time of t in zone loc as locale tag does ("09:05", "14:05", "2:05 PM",
// "14 h 05"); an unsupported tag writes Default's. A nil loc is UTC. 24-hour clocks keep the leading
// zero (hospital clocks do), and the space before AM/PM is a plain one, not CLDR's narrow no-break
// space, which would push an SMS out of GSM-7.
func Time(t time.Time, tag string, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	f := lookup(tag)
	mm := t.Format("04")
	if f.clock24 {
		return t.Format("15") + f.hourSep + mm
	}
	h, suffix := t.Hour()%12, f.am
	if t.Hour() >= 12 {
		suffix = f.pm
	}
	if h == 0 {
		h = 12
	}
	return strconv.Itoa(h) + f.hourSep + mm + " " + suffix
}

// Date writes a calendar date (its year, month and day as stored, with no zone shift: a date of birth
// is stored at midnight UTC) with the month's name, so it cannot be misread: "3 Apr 1990",
// "Apr 3, 1990", "3 avr. 1990". French months are not all GSM-7 ("août"): mind that in an SMS.
func Date(t time.Time, tag string) string {
	f := lookup(tag)
	d, m, y := strconv.Itoa(t.Day()), f.monthAbbr[t.Month()-1], strconv.Itoa(t.Year())
	if f.monthDay {
		return m + " " + d + ", " + y
	}
	return d + " " + m + " " + y
}
