package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/store"
)

// TestPatientDetailsNormalisedOnEveryPath sends the same messy and bad patient details through every
// mutation that writes a patient (the kiosk only looks patients up) and expects the same stored values
// and the same errors from each: the Patient schema's hook, not the mutation, owns the invariants.
func TestPatientDetailsNormalisedOnEveryPath(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d store.Dialect) {
		s := startServer(t, d)
		h := setupHospital(t, s)
		// withFacility adds the facility a new patient needs to details.
		withFacility := func(details map[string]any) map[string]any {
			out := map[string]any{"facilityID": h.facility}
			for k, v := range details {
				out[k] = v
			}
			return out
		}
		// patientID decodes the id of the patient at path in the mutation's data.
		patientID := func(t *testing.T, r gqlResponse, path ...string) string {
			t.Helper()
			var v any
			require.NoError(t, json.Unmarshal(r.Data[path[0]], &v), r.Raw)
			for _, p := range path[1:] {
				v = v.(map[string]any)[p]
			}
			return v.(map[string]any)["id"].(string)
		}
		paths := []struct {
			name string
			// under is where the patient's details sit in the mutation's input.
			under string
			// prepare returns what write needs before it is sent (the patient to update), if anything.
			prepare func(t *testing.T) string
			// write sends details and returns the response and, on success, the patient's id.
			write func(t *testing.T, target string, details map[string]any) (gqlResponse, func() string)
		}{
			{"CreatePatient", "input", nil, func(t *testing.T, _ string, details map[string]any) (gqlResponse, func() string) {
				r := s.gql(t, h.reception, `mutation($p:CreatePatientInput!){ createPatient(input:$p){ id } }`,
					map[string]any{"p": withFacility(details)})
				return r, func() string { return patientID(t, r, "createPatient") }
			}},
			{"UpdatePatient", "input", func(t *testing.T) string {
				var p node
				s.ok(t, h.reception, `mutation($f:ID!){ createPatient(input:{givenName:"Old", familyName:"Name", phone:"+33600000000", facilityID:$f}){ id } }`,
					map[string]any{"f": h.facility}, "createPatient", &p)
				return p.ID
			}, func(t *testing.T, id string, details map[string]any) (gqlResponse, func() string) {
				r := s.gql(t, h.reception, `mutation($id:ID!,$p:UpdatePatientInput!){ updatePatient(id:$id, input:$p){ id } }`,
					map[string]any{"id": id, "p": details})
				return r, func() string { return patientID(t, r, "updatePatient") }
			}},
			{"CheckInInlinePatient", "input.patient", nil, func(t *testing.T, _ string, details map[string]any) (gqlResponse, func() string) {
				r := s.gql(t, h.reception, `mutation($q:ID!,$p:CreatePatientInput!){ checkIn(input:{queueID:$q, patient:$p}){ patient{ id } } }`,
					map[string]any{"q": h.lab, "p": withFacility(details)})
				return r, func() string { return patientID(t, r, "checkIn", "patient") }
			}},
		}
		type stored struct {
			GivenName  string  `json:"givenName"`
			FamilyName string  `json:"familyName"`
			Phone      *string `json:"phone"`
		}
		e164 := "+33612345678"
		cases := []struct {
			name    string
			details map[string]any
			want    stored // when the write succeeds
			field   string // the field a BAD_USER_INPUT names, under the path's input
		}{
			{name: "TrimsNames", details: map[string]any{"givenName": "  Ana ", "familyName": "\tRuiz  ", "phone": e164},
				want: stored{"Ana", "Ruiz", &e164}},
			{name: "PhoneToE164", details: map[string]any{"givenName": "Ana", "familyName": "Ruiz", "phone": " +33 (6) 12-34.56 78 "},
				want: stored{"Ana", "Ruiz", &e164}},
			{name: "ErrBlankGivenName", details: map[string]any{"givenName": "   ", "familyName": "Ruiz"}, field: "givenName"},
			{name: "ErrEmptyFamilyName", details: map[string]any{"givenName": "Ana", "familyName": ""}, field: "familyName"},
			{name: "ErrPhoneWithoutCountryCode", details: map[string]any{"givenName": "Ana", "familyName": "Ruiz", "phone": "06 12 34 56 78"}, field: "phone"},
			{name: "ErrPhoneWithLetters", details: map[string]any{"givenName": "Ana", "familyName": "Ruiz", "phone": "call me"}, field: "phone"},
			{name: "ErrEmptyPhone", details: map[string]any{"givenName": "Ana", "familyName": "Ruiz", "phone": ""}, field: "phone"},
		}
		for _, p := range paths {
			t.Run(p.name, func(t *testing.T) {
				for _, tc := range cases {
					t.Run(tc.name, func(t *testing.T) {
						var target string
						if p.prepare != nil {
							target = p.prepare(t)
						}
						before := s.totals(t, h.admin)
						r, id := p.write(t, target, tc.details)
						if tc.field != "" {
							require.Equal(t, "BAD_USER_INPUT", r.code(), r.Raw)
							require.Equal(t, p.under+"."+tc.field, r.Errors[0].Extensions["field"], r.Raw)
							require.Equal(t, before, s.totals(t, h.admin), "the database is as it was")
							return
						}
						require.Empty(t, r.Errors, r.Raw)
						var got stored
						s.ok(t, h.reception, `query($id:ID!){ node(id:$id){ ... on Patient { givenName familyName phone } } }`,
							map[string]any{"id": id()}, "node", &got)
						require.Equal(t, tc.want, got)
					})
				}
			})
		}
	})
}
