package notify

import (
	"strconv"
	"strings"
	"time"
)

// The kinds of message to a department's nurse in charge (Notification.kind). They are not patient
// messages (Kinds): they have no language, no status link and no patient, and name tickets by code only,
// because SMS is not a secure channel.
const (
	Escalated       = "escalated"         // patients waited past their queue's maximum
	UrgentShareHigh = "urgent_share_high" // the urgent group started taking too much of a queue's time
)

// Overdue is one escalated ticket as the nurse in charge is told of it.
type Overdue struct {
	Code string
	// Waited is from the visit's arrival to the escalation; MaxWait the queue's maximum wait.
	Waited, MaxWait time.Duration
}

// MaxListed caps the tickets an escalation SMS names; the others are counted ("and 3 more"), so a bad
// night does not become a ten-segment message.
const MaxListed = 8

// EscalationText is the SMS telling the nurse in charge of department which patients just passed their
// queue's maximum wait: "CareQueue Emergency: 2 patients waited past the 4 h maximum: E-014 (4 h 12 min),
// E-019 (4 h 2 min). Open the Needs attention list." It returns "" for no patients.
func EscalationText(department string, items []Overdue) string {
	if len(items) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(staffBrand(department))
	b.WriteString(strconv.Itoa(len(items)))
	if len(items) == 1 {
		b.WriteString(" patient waited past ")
	} else {
		b.WriteString(" patients waited past ")
	}
	if limit, same := sameMaxWait(items); same {
		b.WriteString("the " + Duration(limit) + " maximum: ")
	} else {
		b.WriteString("their queue's maximum wait: ")
	}
	for i, it := range items[:min(len(items), MaxListed)] {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(it.Code + " (" + Duration(it.Waited) + ")")
	}
	if more := len(items) - MaxListed; more > 0 {
		b.WriteString(" and " + strconv.Itoa(more) + " more")
	}
	b.WriteString(". Open the Needs attention list.")
	return b.String()
}

// UrgentShareText is the SMS telling the nurse in charge that a queue's URGENT_SHARE_HIGH warning has
// started: "CareQueue Emergency: in Majors, urgent patients took 72% of the last hour's service time
// (limit 60%). Others may be waiting long: check the queue."
func UrgentShareText(department, queue string, sharePercent, limitPercent int) string {
	return staffBrand(department) + "in " + queue + ", urgent patients took " + strconv.Itoa(sharePercent) +
		"% of the last hour's service time (limit " + strconv.Itoa(limitPercent) + "%). Others may be waiting long: check the queue."
}

// staffBrand says who sends the message and for which department: a ward phone may cover several.
func staffBrand(department string) string {
	if department = strings.TrimSpace(department); department == "" {
		return "CareQueue: "
	}
	return "CareQueue " + department + ": "
}

func sameMaxWait(items []Overdue) (time.Duration, bool) {
	for _, it := range items[1:] {
		if it.MaxWait != items[0].MaxWait {
			return 0, false
		}
	}
	return items[0].MaxWait, true
}

// Duration writes d as staff say it, in whole minutes rounded down (a patient has not waited 4 h 12
// min until the 12th minute is over): "45 min", "4 h", "4 h 12 min". Hyphen-free ASCII: GSM-7.
func Duration(d time.Duration) string {
	m := max(0, int(d/time.Minute))
	h, m := m/60, m%60
	switch {
	case h == 0:
		return strconv.Itoa(m) + " min"
	case m == 0:
		return strconv.Itoa(h) + " h"
	default:
		return strconv.Itoa(h) + " h " + strconv.Itoa(m) + " min"
	}
}
