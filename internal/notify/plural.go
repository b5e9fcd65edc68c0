package notify

import (
	"fmt"
	"strconv"
)

// Plural is a CLDR plural category: which form of a counted word a number takes in a language.
type Plural string

// The categories English, Spanish and French use for whole numbers.
const (
	One   Plural = "one"
	Many  Plural = "many"
	Other Plural = "other"
)

// Noun is a counted word a template shows with a number ({{count .Ahead "person"}}).
type Noun string

// The counted words of the templates; every catalog has every form of each (templates_test.go).
const (
	Person Noun = "person"
	// Patient counts the patients of a message to the nurse in charge (EscalationText).
	Patient Noun = "patient"
)

// Nouns lists every counted word.
var Nouns = []Noun{Person, Patient}

// Categories returns the plural categories lang distinguishes for whole numbers, as CLDR (and so the
// web and patient apps' Intl.PluralRules) define them.
func Categories(lang Lang) []Plural {
	if lang == English {
		return []Plural{One, Other}
	}
	return []Plural{One, Many, Other}
}

// PluralOf returns the category of the whole number n in lang (CLDR rules for integers): English and
// Spanish say "1 minute" and "0 minutes", French "0 minute" too; Spanish and French use "many" for
// exact millions ("1 000 000 de personnes").
func PluralOf(lang Lang, n int) Plural {
	if n < 0 {
		n = -n
	}
	switch {
	case n == 1, n == 0 && lang == French:
		return One
	case lang != English && n != 0 && n%1_000_000 == 0:
		return Many
	default:
		return Other
	}
}

// Count shows n with the form of noun its plural category takes in lang ("1 persona", "3 personas",
// French "0 personne"); templates call it as {{count .Ahead "person"}}. It fails when lang's catalog
// lacks that form (templates_test.go renders every noun in every category of every language).
func Count(lang Lang, n int, noun Noun) (string, error) {
	word, ok := nouns[lang][noun][PluralOf(lang, n)]
	if !ok {
		return "", fmt.Errorf("notify: no %s form of %q in %s", PluralOf(lang, n), noun, lang)
	}
	return strconv.Itoa(n) + " " + word, nil
}
