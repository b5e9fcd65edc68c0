package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// TestEscalationPhone sets a department's escalation phone through the API: careless and hostile input is
// BAD_USER_INPUT naming input.escalationPhone without echoing it, E.164 is stored, staff read it and a
// kiosk reading the same department gets null.
func TestEscalationPhone(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		const update = `mutation($id:ID!,$p:String!){ updateDepartment(id:$id, input:{escalationPhone:$p}){ id escalationPhone } }`

		for name, bad := range map[string]string{
			"NationalWithoutRegion": "020 7946 0018",
			"Letters":               "+44 20 CALL NURSE",
			"TooLong":               "+44 2079 4600 1812 3456",
			"Script":                "<script>alert(1)</script>",
			"Injection":             "+4420'; DROP TABLE departments;--",
		} {
			r := s.gql(t, h.admin, update, map[string]any{"id": h.dept, "p": bad})
			require.Equal(t, "BAD_USER_INPUT", r.code(), "%s: %s", name, r.Raw)
			require.Equal(t, "input.escalationPhone", r.Errors[0].Extensions["field"], name)
			require.NotContains(t, r.Raw, bad, name)
		}

		var got struct{ EscalationPhone *string }
		s.ok(t, h.admin, update, map[string]any{"id": h.dept, "p": "+44 20 7946 0018"}, "updateDepartment", &got)
		require.Equal(t, "+442079460018", *got.EscalationPhone)

		const read = `query($id:ID!){ node(id:$id){ ... on Department { name escalationPhone } } }`
		s.ok(t, h.reception, read, map[string]any{"id": h.dept}, "node", &got)
		require.Equal(t, "+442079460018", *got.EscalationPhone, "staff may ring the nurse in charge")
		s.ok(t, h.admin, `mutation($f:ID!){ createUser(input:{email:"kiosk@test.org", name:"Lobby", role:KIOSK, facilityID:$f}, password:"a-long-password-1"){ id } }`,
			map[string]any{"f": h.facility}, "createUser", nil)
		kiosk, _ := s.login(t, "kiosk@test.org", "a-long-password-1")
		r := s.gql(t, kiosk, read, map[string]any{"id": h.dept})
		require.Empty(t, r.Errors, r.Raw)
		require.JSONEq(t, `{"name":"Emergency","escalationPhone":null}`, string(r.Data["node"]), "a kiosk reads the department, not the phone")

		r = s.gql(t, h.clinician, update, map[string]any{"id": h.dept, "p": "+15005550006"})
		require.Equal(t, "FORBIDDEN", r.code(), r.Raw)
		s.ok(t, h.admin, `mutation($id:ID!){ updateDepartment(id:$id, input:{clearEscalationPhone:true}){ id escalationPhone } }`,
			map[string]any{"id": h.dept}, "updateDepartment", &got)
		require.Nil(t, got.EscalationPhone)
	})
}
