package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/carequeue/carequeue/ent"
	"github.com/carequeue/carequeue/ent/schema/enum"
	"github.com/carequeue/carequeue/internal/queue"
)

// patient is one fictional patient and the queue they are checked into. The list is in arrival order,
// which is also the FIFO queues' call order.
type patient struct {
	given, family, language string
	queue                   string
	level                   enum.TriageLevel // "" is STANDARD
	note                    string
	appointment             bool
}

const (
	veryUrgent = enum.TriageLevelVeryUrgent
	urgent     = enum.TriageLevelUrgent
	standard   = enum.TriageLevelStandard
	nonUrgent  = enum.TriageLevelNonUrgent
)

var patients = []patient{
	{"Olivia", "Bennett", "en", triage, standard, "Fall, painful left wrist", false},
	{"Mohammed", "Rahman", "en", bloods, "", "", false},
	{"Lucía", "Fernández", "es", clinic, standard, "", false},
	{"Chidi", "Okonkwo", "en", triage, veryUrgent, "Chest pain spreading to left arm", false},
	{"Aoife", "Murphy", "en", imaging, "", "Chest X-ray", false},
	{"Jean-Luc", "Moreau", "fr", cardiology, "", "", true},
	{"Priya", "Patel", "en", clinic, standard, "", false},
	{"Wei", "Zhang", "en", triage, urgent, "Asthma, wheezing", false},
	{"Fatima", "Al-Sayed", "en", bloods, "", "", false},
	{"Tomasz", "Kowalski", "en", triage, nonUrgent, "Cut finger", false},
	{"Amina", "Diallo", "fr", clinic, nonUrgent, "", false},
	{"George", "Thompson", "en", cardiology, "", "", false},
	{"Carmen", "Rodríguez", "es", triage, standard, "Abdominal pain", false},
	{"Kwame", "Mensah", "en", bloods, "", "", false},
	{"Sophie", "Laurent", "fr", imaging, "", "Knee X-ray", false},
	{"Hiroshi", "Tanaka", "en", triage, urgent, "Head injury, alert", false},
	{"Grace", "Adeyemi", "en", clinic, standard, "", false},
	{"Mateo", "García", "es", bloods, "", "", false},
	{"Isla", "MacDonald", "en", triage, nonUrgent, "Sore throat", false},
	{"Arjun", "Singh", "en", clinic, urgent, "High fever", false},
	{"Camille", "Dubois", "fr", cardiology, "", "", true},
	{"Daniel", "Cohen", "en", triage, standard, "Ankle sprain", false},
	{"Nadia", "Haddad", "fr", bloods, "", "", false},
	{"Oluwaseun", "Bakare", "en", imaging, "", "Wrist X-ray", false},
	{"Elena", "Petrova", "en", triage, urgent, "Shortness of breath", false},
	{"Javier", "Morales", "es", clinic, standard, "", false},
	{"Hannah", "Schmidt", "en", bloods, "", "", false},
	{"Siobhan", "O'Brien", "en", triage, nonUrgent, "Rash", false},
	{"Ahmed", "Hassan", "en", cardiology, "", "", false},
	{"Mei Lin", "Wong", "en", clinic, standard, "", false},
	{"Samuel", "Osei", "en", triage, standard, "Lower back pain", false},
	{"Valentina", "Rossi", "en", bloods, "", "", false},
	{"Kofi", "Asante", "en", triage, veryUrgent, "Allergic reaction, swollen lips", false},
	{"Zainab", "Mahmood", "en", imaging, "", "Chest X-ray", false},
	{"Pierre", "Lefèvre", "fr", clinic, nonUrgent, "", false},
	{"Rosa", "Jiménez", "es", triage, standard, "Vomiting since last night", false},
	{"Liam", "O'Connor", "en", bloods, "", "", false},
	{"Yusuf", "Ali", "en", clinic, standard, "", false},
	{"Ana", "Torres", "es", cardiology, "", "", false},
	{"Emeka", "Eze", "en", triage, nonUrgent, "Minor burn, right hand", false},
	{"Chloé", "Martin", "fr", bloods, "", "", false},
	{"Rajesh", "Kumar", "en", imaging, "", "Foot X-ray", false},
	{"Marta", "Nowak", "en", triage, urgent, "Diabetic, high blood sugar", false},
	{"Deborah", "Campbell", "en", clinic, standard, "", false},
	{"Diego", "Herrera", "es", bloods, "", "", false},
	{"Aisha", "Bello", "en", triage, standard, "Migraine", false},
	{"Ethan", "Clarke", "en", cardiology, "", "", false},
	{"Leila", "Karimi", "en", clinic, standard, "", false},
	{"Thomas", "Girard", "fr", imaging, "", "Shoulder X-ray", false},
	{"Niamh", "Kelly", "en", triage, nonUrgent, "Earache", false},
	{"Sipho", "Ndlovu", "en", bloods, "", "", false},
	{"Fiona", "Wilson", "en", clinic, nonUrgent, "", false},
	{"Andrés", "Castillo", "es", triage, standard, "Fever and cough", false},
	{"Yasmin", "Begum", "en", cardiology, "", "", false},
	{"Marie-Claire", "Nkemelu", "fr", bloods, "", "", false},
	{"Ruth", "Abebe", "en", imaging, "", "Hip X-ray", false},
}

// details are the registration fields of patients[i]: MRN-10001 onwards, a phone in Ofcom's drama range
// (+44 7700 900100 onwards) for all but every eleventh patient, a few who opted out of SMS, and a date of
// birth spread over eight decades.
func (l *loader) details(i int) ent.CreatePatientInput {
	p := patients[i]
	mrn := fmt.Sprintf("MRN-%d", 10001+i)
	lang := p.language
	optIn := i%13 != 12
	dob := time.Date(1938+(i*17)%80, time.Month(1+(i*5)%12), 1+(i*11)%28, 0, 0, 0, 0, time.UTC)
	in := ent.CreatePatientInput{
		Mrn: &mrn, GivenName: p.given, FamilyName: p.family, DateOfBirth: &dob,
		Language: &lang, SmsOptIn: &optIn, FacilityID: l.facility.ID,
	}
	if i%11 != 10 {
		tel := fmt.Sprintf("+447700900%03d", 100+i)
		in.Phone = &tel
	}
	return in
}

// bookAppointments has the EHR register the Cardiology patients and book their slots: one due a quarter
// of an hour ago, the next this quarter, as a clinic running on time.
func (l *loader) bookAppointments(ctx context.Context) (string, error) {
	ctx = l.as(ctx, IntegrationEmail)
	l.patients = map[int]*ent.Patient{}
	l.bookings = map[int]*ent.Appointment{}
	slot := time.Now().UTC().Truncate(15 * time.Minute).Add(-15 * time.Minute)
	for i, p := range patients {
		if !p.appointment {
			continue
		}
		rec, err := l.adm.CreatePatient(ctx, l.details(i))
		if err != nil {
			return "", fmt.Errorf("registering %s %s: %w", p.given, p.family, err)
		}
		ref := fmt.Sprintf("EHR-APPT-%d", 70001+len(l.bookings))
		a, err := l.adm.CreateAppointment(ctx, ent.CreateAppointmentInput{
			ScheduledAt: slot, ExternalRef: &ref, PatientID: rec.ID, QueueID: l.queues[p.queue].ID,
		})
		if err != nil {
			return "", fmt.Errorf("booking %s %s: %w", p.given, p.family, err)
		}
		l.patients[i], l.bookings[i] = rec, a
		slot = slot.Add(15 * time.Minute)
	}
	if err := l.bookKioskPatient(ctx, laterToday(slot.Add(30*time.Minute))); err != nil {
		return "", err
	}
	return count(len(l.bookings)+1, Appointments), nil
}

// laterToday is at, or the last quarter-hour of the facility's day when at falls after it: the kiosk
// and the app check in only an appointment of today, so a demo loaded late in the evening still has one.
func laterToday(at time.Time) time.Time {
	loc, err := queue.LoadLocation(FacilityTimezone)
	if err != nil {
		return at // the facility could not be created either
	}
	now := time.Now().In(loc)
	end := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, loc).Add(-15 * time.Minute)
	if at.After(end) {
		return end.UTC()
	}
	return at
}

// bookKioskPatient books the patient who will check in at the kiosk (KioskAppointmentRef).
func (l *loader) bookKioskPatient(ctx context.Context, at time.Time) error {
	mrn, tel, lang := "MRN-19999", KioskPhone, "en"
	dob, _ := time.Parse(time.DateOnly, KioskDateOfBirth)
	rec, err := l.adm.CreatePatient(ctx, ent.CreatePatientInput{Mrn: &mrn, GivenName: "Jordan", FamilyName: "Avery",
		DateOfBirth: &dob, Phone: &tel, Language: &lang, FacilityID: l.facility.ID})
	if err != nil {
		return fmt.Errorf("registering the kiosk patient: %w", err)
	}
	ref := KioskAppointmentRef
	_, err = l.adm.CreateAppointment(ctx, ent.CreateAppointmentInput{
		ScheduledAt: at, ExternalRef: &ref, PatientID: rec.ID, QueueID: l.queues[clinic].ID,
	})
	if err != nil {
		return fmt.Errorf("booking the kiosk patient: %w", err)
	}
	return nil
}

// checkIn has the receptionist check every patient in, each at their moment of this morning
// (morningPlan): walk-ins are registered at the desk, booked patients come with their appointment.
func (l *loader) checkIn(ctx context.Context) (string, error) {
	ctx = l.as(ctx, ReceptionistEmail)
	done := 0
	for i, p := range patients {
		l.at = l.arrivals[i]
		in := queue.CheckInInput{QueueID: l.queues[p.queue].ID}
		if rec, ok := l.patients[i]; ok {
			in.PatientID = &rec.ID
			if a, ok := l.bookings[i]; ok {
				in.AppointmentID = &a.ID
			}
		} else {
			reg := l.details(i)
			in.Patient = &reg
		}
		if p.level != "" {
			level := p.level
			in.TriageLevel = &level
		}
		if p.note != "" {
			note := p.note
			in.Note = &note
		}
		if _, err := l.morning.CheckIn(ctx, queue.NoKey, in); err != nil {
			return "", fmt.Errorf("%s %s into %s: %w", p.given, p.family, p.queue, err)
		}
		done++
	}
	return count(done, CheckIns), nil
}
