package phone_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/phone"
)

func TestForSMS(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, in, region, want string }{
		{"NationalGBAsTyped", "07700 900123", "GB", "+447700900123"},
		{"NationalGBNoSpaces", "07700900123", "GB", "+447700900123"},
		{"InternationalGB", "+44 7700 900123", "GB", "+447700900123"},
		{"InternationalWithoutRegion", " +44 7700 900-123 ", "", "+447700900123"},
		{"InternationalOtherCountry", "+1 (415) 555.0100", "GB", "+14155550100"},
		{"NationalFrance", "06 12 34 56 78", "FR", "+33612345678"},
		{"NationalUS", "(415) 555-0100", "US", "+14155550100"},
		{"GBMobileInService", "07400 123456", "GB", "+447400123456"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := phone.ForSMS(tc.in, tc.region, "input.phone")
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestForSMSRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, in, region, says string }{
		{"Empty", "  ", "GB", "the phone number is empty"},
		{"NationalWithoutRegion", "07700900123", "", "must start with +"},
		{"Landline", "(020) 7946 0018", "GB", "not a mobile number"},
		{"LandlineInternational", "+44 20 7946 0018", "", "not a mobile number"},
		{"TooShort", "0770", "GB", "not a valid phone number"},
		{"WrongRegionForNationalNumber", "06 12 34 56 78", "GB", "read as GB numbers"},
		{"CountryCodeZero", "+0447700900123", "GB", "not a valid"},
		{"TooLong", "+44 7700 9001 2345 678", "GB", "not a valid"},
		{"Letters", "+44abc", "GB", "not a valid"},
		{"TwoPluses", "++447700900123", "GB", "not a valid"},
		{"Newline", "+44 7700\n900123", "GB", "not a valid"},
		{"ArabicDigits", "+44\u0667\u0667\u0660\u0660900123", "GB", "not a valid"},
		{"FullWidthPlus", "＋447700900123", "GB", "not a valid"},
		{"Nul", "+447700900123\x00", "GB", "not a valid"},
		{"Huge", "0" + string(make([]byte, 10000)), "GB", "not a valid"},
		{"SQL", "'; DROP TABLE patients; --", "GB", "not a valid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := phone.ForSMS(tc.in, tc.region, "input.patient.phone")
			require.Error(t, err)
			require.Empty(t, got)
			var e *cqerr.Error
			require.ErrorAs(t, err, &e)
			require.Equal(t, cqerr.BadUserInput, e.Code)
			require.Equal(t, "input.patient.phone", e.Field)
			require.Contains(t, e.Message, tc.says)
			require.NotContains(t, e.Message, "7700", "the message must not repeat the number")
		})
	}
}

func TestMessageNamesTheField(t *testing.T) {
	t.Parallel()
	_, err := phone.ForSMS("(020) 7946 0018", "GB", "input.escalationPhone")
	require.Equal(t, "the escalation phone number is not a mobile number: text messages need a mobile number", cqerr.MessageOf(err))
}

func TestValidate(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"+447700900123", "+442079460018", "+14155550100", "+33612345678"} {
		require.NoError(t, phone.Validate(ok), ok)
	}
	for _, bad := range []string{"", "07700900123", "447700900123", "+44 7700 900123", "+4477009001", "+0447700900123", "+44770090012345"} {
		require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(phone.Validate(bad)), bad)
	}
}

func TestValidRegion(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"GB", "FR", "US", "ES", "IE"} {
		require.NoError(t, phone.ValidRegion(ok), ok)
	}
	for _, bad := range []string{"", "gb", "UK", "XX", "GBR", "G", "001", "EU"} {
		err := phone.ValidRegion(bad)
		require.Equal(t, cqerr.BadUserInput, cqerr.CodeOf(err), bad)
	}
}
