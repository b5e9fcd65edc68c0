// Package phone owns the one rule for phone numbers entering CareQueue: people type them as they say
// them ("07700 900123", "(020) 7946 0018", "+44 7700 900123"), national numbers are read in the
// facility's region (Facility.phoneRegion, ISO 3166-1 alpha-2, default GB), and what is stored is
// E.164 ("+447700900123"), the form SMS providers accept. Parsing and validity come from
// github.com/nyaruka/phonenumbers (Google's libphonenumber metadata), so a number that cannot exist,
// or that cannot receive a text message, is refused where it is typed, naming the field.
package phone

import (
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// DefaultRegion is the region a facility reads national numbers in unless it says otherwise.
const DefaultRegion = "GB"

// maxTyped bounds what is parsed at all: the longest E.164 number is 16 characters, and people add
// spaces, brackets and dashes; anything much longer is not a phone number.
const maxTyped = 40

// ForSMS returns raw as E.164 when it is a valid number that can receive text messages: a mobile, a
// number the metadata cannot tell from one (US and Canada), a pager, a VoIP or personal (forwarding)
// number. Landlines, toll-free, premium-rate and shared-cost numbers are refused. A national number is read in region
// (ISO 3166-1 alpha-2; empty accepts international format only). Errors are BAD_USER_INPUT naming
// field, with a message for the person who typed it; they never repeat the number.
func ForSMS(raw, region, field string) (string, error) {
	n, err := parse(raw, region, field)
	if err != nil {
		return "", err
	}
	switch numberType(n) {
	case phonenumbers.MOBILE, phonenumbers.FIXED_LINE_OR_MOBILE, phonenumbers.PAGER,
		phonenumbers.VOIP, phonenumbers.PERSONAL_NUMBER:
		return phonenumbers.Format(n, phonenumbers.E164), nil
	default:
		return "", cqerr.E(cqerr.BadUserInput, label(field)+" is not a mobile number: text messages need a mobile number").WithField(field)
	}
}

// Validate accepts a stored number: E.164 ("+447700900123") of a valid number. It is the ent field
// validator, the last guard behind ForSMS.
func Validate(s string) error {
	if !strings.HasPrefix(s, "+") {
		return invalid("phone", "")
	}
	n, err := parse(s, "", "phone")
	if err != nil {
		return err
	}
	if phonenumbers.Format(n, phonenumbers.E164) != s {
		return invalid("phone", "")
	}
	return nil
}

// ValidRegion accepts an ISO 3166-1 alpha-2 region the phone metadata knows ("GB", "FR", "US").
func ValidRegion(region string) error {
	if len(region) != 2 || region != strings.ToUpper(region) || phonenumbers.GetCountryCodeForRegion(region) == 0 {
		return cqerr.E(cqerr.BadUserInput, "phone region must be a two-letter country code such as GB, FR or US").WithField("phoneRegion")
	}
	return nil
}

// parse reads raw as a valid number, national numbers in region. Only what people type on a phone
// keypad or keyboard is accepted: digits, one leading +, spaces, dots, dashes and brackets.
func parse(raw, region, field string) (*phonenumbers.PhoneNumber, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return nil, cqerr.E(cqerr.BadUserInput, label(field)+" is empty").WithField(field)
	}
	if len(s) > maxTyped {
		return nil, invalid(field, region)
	}
	for i, r := range s {
		switch {
		case r == '+' && i == 0, r >= '0' && r <= '9', r == ' ', r == '-', r == '(', r == ')', r == '.':
		case unicode.IsDigit(r), r == '+':
			return nil, invalid(field, region) // other scripts' digits, a second plus
		default:
			return nil, invalid(field, region)
		}
	}
	if !strings.HasPrefix(s, "+") && region == "" {
		return nil, cqerr.E(cqerr.BadUserInput, label(field)+" must start with + and the country code, such as +44").WithField(field)
	}
	n, err := phonenumbers.Parse(s, region)
	if err != nil || !phonenumbers.IsValidNumber(n) && !reserved(n) {
		return nil, invalid(field, region)
	}
	return n, nil
}

// reserved reports numbers of Ofcom's drama range for mobiles (07700 900000 to 07700 900999). They are
// never given to anyone, so the kiosk's hint, the demo hospital and training use them; libphonenumber
// counts them invalid precisely because they are not in service.
func reserved(n *phonenumbers.PhoneNumber) bool {
	e := phonenumbers.Format(n, phonenumbers.E164)
	return len(e) == 13 && strings.HasPrefix(e, "+447700900")
}

func numberType(n *phonenumbers.PhoneNumber) phonenumbers.PhoneNumberType {
	if reserved(n) {
		return phonenumbers.MOBILE
	}
	return phonenumbers.GetNumberType(n)
}

func invalid(field, region string) error {
	msg := label(field) + " is not a valid phone number: check the digits, or start with + and the country code"
	if region != "" {
		msg = label(field) + " is not a valid phone number: check the digits (numbers without + are read as " + region + " numbers), or start with + and the country code"
	}
	return cqerr.E(cqerr.BadUserInput, msg).WithField(field)
}

// label is how a message names the field: its last part, in words ("input.escalationPhone" gives
// "escalation phone").
func label(field string) string {
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		field = field[i+1:]
	}
	var b strings.Builder
	for _, r := range field {
		if unicode.IsUpper(r) {
			b.WriteByte(' ')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	words := b.String()
	if words == "" || strings.HasSuffix(words, "phone") {
		words += " number"
	}
	return "the " + strings.TrimSpace(words)
}
