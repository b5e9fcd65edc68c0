package notify

import (
	"fmt"
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

// staffWords is one language's wording of the messages to the nurse in charge. Every string stays in
// the GSM-7 alphabet (TestStaffTextsAreGSM7): Spanish á, í, ó, ú and French â, ê, ç, À are not in it
// and would make a message UCS-2, at less than half the characters a segment.
type staffWords struct {
	colon string // ": ", French " : "
	// passed is the verb after the count of patients, by plural category ("waited past").
	passed map[Plural]string
	// maxOf says "the 4 h maximum" (%s the queue's maximum wait); ownMax when their queues' differ.
	maxOf, ownMax string
	more          string // " and %d more" (tickets not listed)
	open          string // the closing call to action
	// urgent: department brand, then queue, share and limit in percent.
	urgent string
}

var staffCatalog = map[Lang]staffWords{
	English: {
		colon:  ": ",
		passed: map[Plural]string{One: "waited past", Other: "waited past"},
		maxOf:  "the %s maximum", ownMax: "their queue's maximum wait",
		more:   " and %d more",
		open:   ". Open the Needs attention list.",
		urgent: "%sin %s, urgent patients took %d%% of the last hour's service time (limit %d%%). Others may be waiting long: check the queue.",
	},
	Spanish: {
		colon:  ": ",
		passed: map[Plural]string{One: "ha superado", Many: "han superado", Other: "han superado"},
		maxOf:  "el tope de espera de %s", ownMax: "el tope de espera de su cola",
		more:   " y otros %d",
		open:   ". Revise el panel de avisos.",
		urgent: "%sen %s, los urgentes ocuparon el %d%% del tiempo de la hora pasada (tope %d%%). Otros pueden esperar mucho: revise la cola.",
	},
	French: {
		colon:  " : ",
		passed: map[Plural]string{One: "a dépassé", Many: "ont dépassé", Other: "ont dépassé"},
		maxOf:  "l'attente maximale de %s", ownMax: "l'attente maximale de leur file",
		more:   " et %d autres",
		open:   ". Consultez la liste des patients à surveiller.",
		urgent: "%sdans %s, les urgents ont pris %d %% du temps de la dernière heure (limite %d %%). Les autres patientent : vérifiez la file.",
	},
}

func staffIn(lang Lang) (Lang, staffWords) {
	if w, ok := staffCatalog[lang]; ok {
		return lang, w
	}
	return English, staffCatalog[English]
}

// EscalationText is the SMS, in lang (the facility's), telling the nurse in charge of department which
// patients just passed their queue's maximum wait: "CareQueue Emergency: 2 patients waited past the 4 h
// maximum: E-014 (4 h 12 min), E-019 (4 h 2 min). Open the Needs attention list." It returns "" for no
// patients.
func EscalationText(lang Lang, department string, items []Overdue) string {
	if len(items) == 0 {
		return ""
	}
	lang, w := staffIn(lang)
	var b strings.Builder
	b.WriteString(staffBrand(w, department))
	count, err := Count(lang, len(items), Patient)
	if err != nil { // every catalog has every form (TestPlural); never a message without its count
		count = strconv.Itoa(len(items))
	}
	b.WriteString(count + " " + w.passed[PluralOf(lang, len(items))] + " ")
	if limit, same := sameMaxWait(items); same {
		fmt.Fprintf(&b, w.maxOf, Duration(limit))
	} else {
		b.WriteString(w.ownMax)
	}
	b.WriteString(w.colon)
	for i, it := range items[:min(len(items), MaxListed)] {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(it.Code + " (" + Duration(it.Waited) + ")")
	}
	if more := len(items) - MaxListed; more > 0 {
		fmt.Fprintf(&b, w.more, more)
	}
	b.WriteString(w.open)
	return b.String()
}

// UrgentShareText is the SMS, in lang, telling the nurse in charge that a queue's URGENT_SHARE_HIGH
// warning has started: "CareQueue Emergency: in Majors, urgent patients took 72% of the last hour's
// service time (limit 60%). Others may be waiting long: check the queue."
func UrgentShareText(lang Lang, department, queue string, sharePercent, limitPercent int) string {
	_, w := staffIn(lang)
	return fmt.Sprintf(w.urgent, staffBrand(w, department), queue, sharePercent, limitPercent)
}

// staffBrand says who sends the message and for which department: a ward phone may cover several.
func staffBrand(w staffWords, department string) string {
	if department = strings.TrimSpace(department); department == "" {
		return "CareQueue" + w.colon
	}
	return "CareQueue " + department + w.colon
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
