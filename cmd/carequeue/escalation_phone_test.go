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
			"Landline":  "020 7946 0018",
			"Letters":   "+44 20 CALL NURSE",
			"TooLong":   "+44 2079 4600 1812 3456",
			"Script":    "<script>alert(1)</script>",
			"Injection": "+4420'; DROP TABLE departments;--",
		} {
			r := s.gql(t, h.admin, update, map[string]any{"id": h.dept, "p": bad})
			require.Equal(t, "BAD_USER_INPUT", r.code(), "%s: %s", name, r.Raw)
			require.Equal(t, "input.escalationPhone", r.Errors[0].Extensions["field"], name)
			require.NotContains(t, r.Raw, bad, name)
		}

		var got struct{ EscalationPhone *string }
		s.ok(t, h.admin, update, map[string]any{"id": h.dept, "p": "07700 900999"}, "updateDepartment", &got)
		require.Equal(t, "+447700900999", *got.EscalationPhone, "a national number is read in the facility's region")

		const read = `query($id:ID!){ node(id:$id){ ... on Department { name escalationPhone } } }`
		s.ok(t, h.reception, read, map[string]any{"id": h.dept}, "node", &got)
		require.Equal(t, "+447700900999", *got.EscalationPhone, "staff may ring the nurse in charge")
		kiosk := h.kiosk(t, s)
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
