package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// patientSession signs the patient with phone in with a one-time code read from the log sender's
// record (no SMS provider in these tests).
func patientSession(t *testing.T, s *testServer, h *hospital, phone string) string {
	t.Helper()
	s.ok(t, "", `mutation($p:String!){ requestPatientCode(phone:$p) }`, map[string]any{"p": phone}, "requestPatientCode", nil)
	var notes struct {
		Edges []struct{ Node struct{ Body string } }
	}
	s.ok(t, h.admin, `{ notifications(where:{kind:"code"}, orderBy:{field:CREATED_AT, direction:DESC}, first:1){ edges{ node{ body } } } }`,
		nil, "notifications", &notes)
	require.Len(t, notes.Edges, 1)
	code := regexp.MustCompile(`\d{6}`).FindString(notes.Edges[0].Node.Body)
	var sess struct{ AccessToken string }
	s.ok(t, "", `mutation($p:String!,$c:String!){ verifyPatientCode(phone:$p, code:$c){ accessToken } }`,
		map[string]any{"p": phone, "c": code}, "verifyPatientCode", &sess)
	return sess.AccessToken
}

// TestPatientAppRegistersDevices registers, refreshes, moves and removes push tokens as the patient
// app does, and refuses what a careless or hostile caller sends.
func TestPatientAppRegistersDevices(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServerWith(t, d, codesInTheLog)
		h := setupHospital(t, s)
		h.checkIn(t, s, h.triage, "Ann", "STANDARD") // +33612345678
		s.ok(t, h.reception, `mutation($q:ID!,$f:ID!){ checkIn(input:{queueID:$q, patient:{givenName:"Bob", familyName:"P", facilityID:$f, phone:"+33699999999"}}){ id } }`,
			map[string]any{"q": h.triage, "f": h.facility}, "checkIn", nil)
		ann := patientSession(t, s, h, "+33612345678")
		bob := patientSession(t, s, h, "+33699999999")
		const token = "fcm-token_1:APA91bH-example.token"
		register := `mutation($p:DevicePlatform!,$t:String!){ registerDevice(platform:$p, pushToken:$t){ id platform lastSeenAt patient{ givenName } } }`
		type device struct {
			ID, Platform, LastSeenAt string
			Patient                  struct{ GivenName string }
		}

		var first, again device
		s.ok(t, ann, register, map[string]any{"p": "ANDROID", "t": token}, "registerDevice", &first)
		require.Equal(t, "ANDROID", first.Platform)
		require.Equal(t, "Ann", first.Patient.GivenName)
		require.True(t, strings.HasPrefix(first.ID, "DV"))
		s.ok(t, ann, register, map[string]any{"p": "ANDROID", "t": token}, "registerDevice", &again)
		require.Equal(t, first.ID, again.ID, "registering again refreshes the same device")

		var list struct{ TotalCount int }
		s.ok(t, ann, `{ devices(first:100){ totalCount } }`, nil, "devices", &list)
		require.Equal(t, 1, list.TotalCount)
		s.ok(t, bob, `{ devices(first:100){ totalCount } }`, nil, "devices", &list)
		require.Zero(t, list.TotalCount, "Bob cannot see Ann's device")

		var removed bool
		s.ok(t, bob, `mutation($t:String!){ unregisterDevice(pushToken:$t) }`, map[string]any{"t": token}, "unregisterDevice", &removed)
		require.False(t, removed, "Bob cannot remove Ann's device")
		s.ok(t, ann, `{ devices(first:100){ totalCount } }`, nil, "devices", &list)
		require.Equal(t, 1, list.TotalCount)

		var moved device
		s.ok(t, bob, register, map[string]any{"p": "IOS", "t": token}, "registerDevice", &moved)
		require.Equal(t, "Bob", moved.Patient.GivenName, "the phone changed hands")
		s.ok(t, ann, `{ devices(first:100){ totalCount } }`, nil, "devices", &list)
		require.Zero(t, list.TotalCount)

		s.ok(t, bob, `mutation($t:String!){ unregisterDevice(pushToken:$t) }`, map[string]any{"t": token}, "unregisterDevice", &removed)
		require.True(t, removed)
		s.ok(t, bob, `mutation($t:String!){ unregisterDevice(pushToken:$t) }`, map[string]any{"t": token}, "unregisterDevice", &removed)
		require.False(t, removed)

		var audits struct{ TotalCount int }
		s.ok(t, h.admin, `{ auditEntries(first:100, where:{actionHasPrefix:"device."}){ totalCount } }`, nil, "auditEntries", &audits)
		require.Equal(t, 4, audits.TotalCount, "two registrations, a move and a removal: each audited")

		for _, tc := range []struct{ name, token, platform, push, code string }{
			{"ErrAnonymous", "", "IOS", token, "UNAUTHENTICATED"},
			{"ErrStaff", h.reception, "IOS", token, "FORBIDDEN"},
			{"ErrEmptyToken", ann, "IOS", "", "BAD_USER_INPUT"},
			{"ErrTokenWithSpaces", ann, "IOS", "abc def", "BAD_USER_INPUT"},
			{"ErrTokenWithMarkup", ann, "IOS", "<script>alert(1)</script>", "BAD_USER_INPUT"},
			{"ErrHugeToken", ann, "IOS", strings.Repeat("a", 5000), "BAD_USER_INPUT"},
			{"ErrUnknownPlatform", ann, "BLACKBERRY", token, "BAD_USER_INPUT"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := s.gql(t, tc.token, register, map[string]any{"p": tc.platform, "t": tc.push})
				require.Equal(t, tc.code, r.code(), r.Raw)
			})
		}
	})
}
