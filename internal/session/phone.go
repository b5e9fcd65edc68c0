package session

import (
	"context"
	"fmt"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/facility"
	"github.com/carequeue/carequeue/ent/schema/pulid"
	"github.com/carequeue/carequeue/internal/auth"
	"github.com/carequeue/carequeue/internal/cqerr"
	"github.com/carequeue/carequeue/internal/phone"
)

// ValidatePhone checks a phone number at the step where it is typed, with the rule every write applies
// (phone.ForSMS): national numbers are read in the phone region of facilityID, else of the viewer's
// facility, else the one region every active facility shares. It returns the number in E.164.
//
// Errors: BAD_USER_INPUT naming field "phone"; NOT_FOUND for an unknown facilityID.
func (s *Service) ValidatePhone(ctx context.Context, raw string, facilityID *pulid.ID) (string, error) {
	id := pulid.ID("")
	if facilityID != nil {
		id = *facilityID
	} else if v, ok := auth.FromContext(ctx); ok {
		id = v.FacilityID
	}
	region, err := s.phoneRegion(ctx, id)
	if err != nil {
		return "", err
	}
	return phone.ForSMS(raw, region, "phone")
}

// phoneRegion returns facility id's phone region, or with no id the region all active facilities
// share: a patient signing in has no facility yet, and a hospital's national numbers must still work
// there. Facilities in several countries share none (""): then only international numbers are read.
func (s *Service) phoneRegion(ctx context.Context, id pulid.ID) (string, error) {
	// The region is not secret: read it as the system, whoever asks.
	sys := auth.SystemContext(ctx)
	if id != "" {
		f, err := s.db.Ent.Facility.Query().Where(facility.ID(id)).Select(facility.FieldPhoneRegion).Only(sys)
		if ent.IsNotFound(err) {
			return "", cqerr.E(cqerr.NotFound, "facility not found").WithField("facilityID")
		}
		if err != nil {
			return "", fmt.Errorf("reading the facility's phone region: %w", err)
		}
		return f.PhoneRegion, nil
	}
	regions, err := s.db.Ent.Facility.Query().Where(facility.Active(true)).Unique(true).Select(facility.FieldPhoneRegion).Strings(sys)
	if err != nil {
		return "", fmt.Errorf("reading the facilities' phone regions: %w", err)
	}
	if len(regions) != 1 {
		return "", nil
	}
	return regions[0], nil
}
