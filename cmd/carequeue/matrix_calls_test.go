package main

import (
	"fmt"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// matrixCall is the smallest valid use of one root field. Its variables are named after fixtures: a
// facility's standing data (queue, ticket, patient...), made fresh per call where a call uses something
// up (waiting, called, freshQueue...), or global (uniq, refresh...). A call with any facility variable
// runs twice: on the actor's facility and on the other one.
type matrixCall struct{ doc string }

// matrixCalls has one call per Query, Mutation and Subscription field, and per namespace field.
var matrixCalls = map[string]matrixCall{
	"Query.me":                 {`{ me { id } }`},
	"Query.publicTicketStatus": {`query($statusToken:String!){ publicTicketStatus(token:$statusToken){ code } }`},
	"Query.queueSnapshot":      {`query($queue:ID!){ queueSnapshot(queueID:$queue){ version } }`},
	"Query.board":              {`query($dept:ID!){ board(departmentID:$dept){ departmentID } }`},
	"Query.validatePhone":      {`query($facility:ID!){ validatePhone(phone:"06 12 34 56 78", facilityID:$facility) }`},
	"Query.dailyFigures":       {`query($dept:ID!,$yesterday:String!,$today:String!){ dailyFigures(departmentID:$dept, from:$yesterday, to:$today){ departmentID } }`},
	"Query.todayFigures":       {`query($dept:ID!){ todayFigures(departmentID:$dept){ departmentID } }`},
	"Query.needsAttention":     {`query($dept:ID!){ needsAttention(departmentID:$dept){ reason } }`},
	"Query.simulateQueue":      {`query($queue:ID!){ simulateQueue(input:{queueID:$queue, servicePoints:3, days:1, seeds:1, orderings:[FIFO]}){ queueName } }`},
	"Query.messagingStatus":    {`{ messagingStatus { smsConfigured } }`},
	"Query.node":               {`query($ticket:ID!){ node(id:$ticket){ id } }`},
	"Query.syncPull":           {`{ syncPull { cursor } }`},
	"Query.fhir":               {`{ fhir{ __typename } }`},
	"Query.nodes":              {`query($ticket:ID!){ nodes(ids:[$ticket]){ id } }`},
	"Query.apiClients":         {`{ apiClients(first:50){ edges{ node{ id } } } }`},
	"Query.appointments":       {`{ appointments(first:50){ edges{ node{ id } } } }`},
	"Query.auditEntries":       {`{ auditEntries(first:50){ edges{ node{ id } } } }`},
	"Query.dailyReports":       {`{ dailyReports(first:50){ edges{ node{ id } } } }`},
	"Query.departments":        {`{ departments(first:50){ edges{ node{ id } } } }`},
	"Query.devices":            {`{ devices(first:50){ edges{ node{ id } } } }`},
	"Query.facilities":         {`{ facilities(first:50){ edges{ node{ id } } } }`},
	"Query.notifications":      {`{ notifications(first:50){ edges{ node{ id } } } }`},
	"Query.patients":           {`{ patients(first:50){ edges{ node{ id } } } }`},
	"Query.queues":             {`{ queues(first:50, where:{nameHasPrefix:"Main"}){ edges{ node{ id } } } }`},
	"Query.servicePoints":      {`{ servicePoints(first:50, where:{nameHasPrefix:"Main"}){ edges{ node{ id } } } }`},
	"Query.tickets":            {`{ tickets(first:50, where:{hasQueueWith:{nameHasPrefix:"Main"}}){ edges{ node{ id } } } }`},
	"Query.users":              {`{ users(first:50){ edges{ node{ id } } } }`},
	"Query.webhookEndpoints":   {`{ webhookEndpoints(first:50){ edges{ node{ id } } } }`},
	"Query.webhookDeliveries":  {`query($hook:ID!){ webhookDeliveries(endpointID:$hook, first:5){ edges{ node{ id } } } }`},

	// The FHIR view (namespace fields: the answer is read under fhir). The searches name no facility: what
	// they list of the other one is their second half, as for the connections.
	"FhirQuery.Patient":         {`query($patient:ID!){ fhir{ Patient(id:$patient){ id name{ given } } } }`},
	"FhirQuery.PatientList":     {`{ fhir{ PatientList(_count:100){ id name{ given } } } }`},
	"FhirQuery.Appointment":     {`query($appointment:ID!){ fhir{ Appointment(id:$appointment){ id status } } }`},
	"FhirQuery.AppointmentList": {`{ fhir{ AppointmentList(_count:100){ id participant{ actor{ reference } } } } }`},
	"FhirQuery.Encounter":       {`query($ticket:ID!){ fhir{ Encounter(id:$ticket){ id status } } }`},
	"FhirQuery.EncounterList":   {`{ fhir{ EncounterList(_count:100){ id subject{ reference } } } }`},

	"Mutation.login":              {`mutation{ login(email:"root@test.org", password:"root-password-123"){ expiresAt } }`},
	"Mutation.refreshSession":     {`mutation($refresh:String!){ refreshSession(refreshToken:$refresh){ expiresAt } }`},
	"Mutation.logout":             {`mutation($refresh:String!){ logout(refreshToken:$refresh) }`},
	"Mutation.requestPatientCode": {`mutation{ requestPatientCode(phone:"+33612349999") }`},
	"Mutation.verifyPatientCode":  {`mutation($codePhone:String!,$code:String!){ verifyPatientCode(phone:$codePhone, code:$code){ expiresAt } }`},
	"Mutation.checkIn":            {`mutation($freshQueue:ID!,$patient:ID!){ checkIn(input:{queueID:$freshQueue, patientID:$patient}){ id } }`},
	"Mutation.kioskCheckIn":       {`mutation($freshQueue:ID!,$patientPhone:String!){ kioskCheckIn(input:{queueID:$freshQueue, phone:$patientPhone, dateOfBirth:"1980-04-30"}){ code } }`},
	"Mutation.callNext":           {`mutation($readyQueue:ID!,$readyPoint:ID!){ callNext(queueID:$readyQueue, servicePointID:$readyPoint){ id } }`},
	"Mutation.recallTicket":       {`mutation($called:ID!){ recallTicket(ticketID:$called){ id } }`},
	"Mutation.startService":       {`mutation($called:ID!){ startService(ticketID:$called){ id } }`},
	"Mutation.completeTicket":     {`mutation($inService:ID!){ completeTicket(ticketID:$inService){ id } }`},
	"Mutation.markNoShow":         {`mutation($called:ID!){ markNoShow(ticketID:$called){ id } }`},
	"Mutation.cancelTicket":       {`mutation($waiting:ID!){ cancelTicket(ticketID:$waiting, reason:"matrix"){ id } }`},
	"Mutation.transferTicket":     {`mutation($waiting:ID!,$freshQueue:ID!){ transferTicket(ticketID:$waiting, queueID:$freshQueue){ id } }`},
	"Mutation.retriageTicket":     {`mutation($waiting:ID!){ retriageTicket(ticketID:$waiting, triageLevel:URGENT){ id } }`},
	// Each operation of a batch is its workflow's, with that mutation's row: this row is who may send one.
	"Mutation.syncPush":              {`mutation{ syncPush(operations:[]){ status } }`},
	"Mutation.createFacility":        {`mutation($uniq:String!){ createFacility(input:{name:$uniq}){ id } }`},
	"Mutation.updateFacility":        {`mutation($facility:ID!){ updateFacility(id:$facility, input:{timezone:"Europe/Paris"}){ id } }`},
	"Mutation.createDepartment":      {`mutation($facility:ID!,$uniq:String!){ createDepartment(input:{name:$uniq, facilityID:$facility}){ id } }`},
	"Mutation.updateDepartment":      {`mutation($dept:ID!){ updateDepartment(id:$dept, input:{active:true}){ id } }`},
	"Mutation.createQueue":           {`mutation($dept:ID!,$uniq:String!){ createQueue(input:{name:$uniq, prefix:"M", ordering:FIFO, active:true, departmentID:$dept}){ id } }`},
	"Mutation.updateQueue":           {`mutation($queue:ID!){ updateQueue(id:$queue, input:{active:true}){ id } }`},
	"Mutation.createServicePoint":    {`mutation($dept:ID!,$queue:ID!,$uniq:String!){ createServicePoint(input:{name:$uniq, departmentID:$dept, queueIDs:[$queue]}){ id } }`},
	"Mutation.updateServicePoint":    {`mutation($room:ID!){ updateServicePoint(id:$room, input:{active:true}){ id } }`},
	"Mutation.createUser":            {`mutation($facility:ID!,$email:String!){ createUser(input:{email:$email, name:"New", role:RECEPTIONIST, facilityID:$facility}, password:"a-long-password-1"){ id } }`},
	"Mutation.updateUser":            {`mutation($user:ID!){ updateUser(id:$user, input:{name:"Target"}){ id } }`},
	"Mutation.setUserPassword":       {`mutation($user:ID!){ setUserPassword(id:$user, password:"another-long-password-2") }`},
	"Mutation.createPatient":         {`mutation($facility:ID!){ createPatient(input:{givenName:"New", familyName:"Patient", facilityID:$facility}){ id } }`},
	"Mutation.updatePatient":         {`mutation($patient:ID!){ updatePatient(id:$patient, input:{smsOptIn:true}){ id } }`},
	"Mutation.createAppointment":     {`mutation($patient:ID!,$queue:ID!){ createAppointment(input:{patientID:$patient, queueID:$queue, scheduledAt:"2030-01-01T09:00:00Z"}){ id } }`},
	"Mutation.updateAppointment":     {`mutation($appointment:ID!){ updateAppointment(id:$appointment, input:{note:"matrix"}){ id } }`},
	"Mutation.registerDevice":        {`mutation($uniq:String!){ registerDevice(platform:ANDROID, pushToken:$uniq){ id } }`},
	"Mutation.unregisterDevice":      {`mutation($pushToken:String!){ unregisterDevice(pushToken:$pushToken) }`},
	"Mutation.createAPIClient":       {`mutation($facility:ID!,$uniq:String!){ createAPIClient(input:{name:$uniq, facilityID:$facility, scopes:["queues:read"]}){ client{ id } } }`},
	"Mutation.rotateAPIClientSecret": {`mutation($freshClient:ID!){ rotateAPIClientSecret(id:$freshClient){ client{ id } } }`},
	"Mutation.revokeAPIClient":       {`mutation($freshClient:ID!){ revokeAPIClient(id:$freshClient){ id } }`},
	"Mutation.recomputeDailyReports": {`mutation($facility:ID!,$dayBefore:String!){ recomputeDailyReports(facilityID:$facility, from:$dayBefore, to:$dayBefore) }`},
	"Mutation.createWebhookEndpoint": {`mutation($facility:ID!,$hookURL:String!){ createWebhookEndpoint(input:{facilityID:$facility, url:$hookURL, events:[TICKET_CALLED]}){ endpoint{ id } } }`},
	"Mutation.updateWebhookEndpoint": {`mutation($hook:ID!){ updateWebhookEndpoint(id:$hook, input:{enabled:true}){ id } }`},
	"Mutation.rotateWebhookSecret":   {`mutation($freshHook:ID!){ rotateWebhookSecret(id:$freshHook){ endpoint{ id } } }`},
	"Mutation.deleteWebhookEndpoint": {`mutation($freshHook:ID!){ deleteWebhookEndpoint(id:$freshHook) }`},
	"Mutation.replayWebhookDelivery": {`mutation($delivery:ID!){ replayWebhookDelivery(id:$delivery) }`},

	"Subscription.queueChanged":           {`subscription($queue:ID!){ queueChanged(queueID:$queue){ version } }`},
	"Subscription.ticketChanged":          {`subscription($ticket:ID!){ ticketChanged(ticketID:$ticket){ version } }`},
	"Subscription.publicTicketStatus":     {`subscription($statusToken:String!){ publicTicketStatus(token:$statusToken){ code } }`},
	"Subscription.boardChanged":           {`subscription($dept:ID!){ boardChanged(departmentID:$dept){ departmentID } }`},
	"Subscription.fhirEncounterChanged":   {`subscription($queue:ID!){ fhirEncounterChanged(queueIDs:[$queue]){ id } }`},
	"Subscription.fhirAppointmentChanged": {`subscription($queue:ID!){ fhirAppointmentChanged(queueIDs:[$queue]){ id } }`},
}

// nodeFixture names, for every Node type, the facility fixture holding one object of that type: the
// node.<Type> rows fetch it by its global ID with node and nodes.
var nodeFixture = map[string]string{
	"APIClient": "apiClient", "Appointment": "appointment", "AuditEntry": "auditEntry", "DailyReport": "dailyReport",
	"Department": "dept", "Device": "device", "Facility": "facility", "Notification": "notification",
	"Patient": "patient", "Queue": "queue", "ServicePoint": "room", "Ticket": "ticket", "TicketEvent": "ticketEvent",
	"User": "user", "WebhookDelivery": "delivery", "WebhookEndpoint": "hook",
}

var matrixVar = regexp.MustCompile(`\$(\w+)`)

// matrixFacility is one facility's standing fixtures, the secrets only its data carries (ids, the
// patient's name), and a PATIENT session owning its patient.
type matrixFacility struct {
	name         string
	vars         map[string]any
	secrets      []string
	patientToken string
}

// matrixWorld is one server with two facilities: the actors all belong to own.
type matrixWorld struct {
	s          *testServer
	root       string // a global admin's token: makes fixtures
	own, other *matrixFacility
	global     map[string]any
	seq        atomic.Int64
	fresh      map[string]map[string]any // fresh fixtures not used up yet, by facility/name
	// fingerprint digests the records a refused mutation must leave alone; lastPrint is the last one
	// taken, dirty says something may have changed since.
	fingerprint func(t *testing.T) string
	lastPrint   string
	dirty       bool
}

// freshFacility makes, per call, what a call uses up; freshGlobal likewise without a facility.
var (
	freshFacility = map[string]func(t *testing.T, w *matrixWorld, f *matrixFacility) map[string]any{
		"freshQueue": func(t *testing.T, w *matrixWorld, f *matrixFacility) map[string]any {
			q, _ := w.queue(t, f)
			return map[string]any{"freshQueue": q}
		},
		"readyQueue": func(t *testing.T, w *matrixWorld, f *matrixFacility) map[string]any {
			q, sp := w.queue(t, f)
			w.checkIn(t, f, q)
			return map[string]any{"readyQueue": q, "readyPoint": sp}
		},
		"waiting": func(t *testing.T, w *matrixWorld, f *matrixFacility) map[string]any {
			q, _ := w.queue(t, f)
			return map[string]any{"waiting": w.checkIn(t, f, q)}
		},
		"called": func(t *testing.T, w *matrixWorld, f *matrixFacility) map[string]any {
			return map[string]any{"called": w.called(t, f)}
		},
		"inService": func(t *testing.T, w *matrixWorld, f *matrixFacility) map[string]any {
			id := w.called(t, f)
			w.s.ok(t, w.root, `mutation($t:ID!){ startService(ticketID:$t){ id } }`, map[string]any{"t": id}, "", nil)
			return map[string]any{"inService": id}
		},
		"freshClient": func(t *testing.T, w *matrixWorld, f *matrixFacility) map[string]any {
			var c apiClientSecret
			w.s.ok(t, w.root, `mutation($f:ID!,$n:String!){ createAPIClient(input:{name:$n, facilityID:$f, scopes:["queues:read"]}){ client{ id } clientSecret } }`,
				map[string]any{"f": f.vars["facility"], "n": w.uniq()}, "createAPIClient", &c)
			return map[string]any{"freshClient": c.Client.ID}
		},
		"freshHook": func(t *testing.T, w *matrixWorld, f *matrixFacility) map[string]any {
			ep := w.s.createHook(t, w.root, map[string]any{"facilityID": f.vars["facility"], "url": w.global["hookURL"], "events": []string{"TICKET_NO_SHOW"}})
			return map[string]any{"freshHook": ep.Endpoint.ID}
		},
		"pushToken": func(t *testing.T, w *matrixWorld, f *matrixFacility) map[string]any {
			tok := "push-" + w.uniq()
			w.s.ok(t, f.patientToken, `mutation($t:String!){ registerDevice(platform:ANDROID, pushToken:$t){ id } }`, map[string]any{"t": tok}, "", nil)
			return map[string]any{"pushToken": tok}
		},
	}
	freshGlobal = map[string]func(t *testing.T, w *matrixWorld) map[string]any{
		"uniq": func(t *testing.T, w *matrixWorld) map[string]any { return map[string]any{"uniq": w.uniq()} },
		"email": func(t *testing.T, w *matrixWorld) map[string]any {
			return map[string]any{"email": w.uniq() + "@test.org"}
		},
		// A patient's session: no password to hash (argon2 is the slowest thing here under -race).
		"refresh": func(t *testing.T, w *matrixWorld) map[string]any {
			phone := w.own.vars["patientPhone"].(string)
			var sess struct{ RefreshToken string }
			w.s.ok(t, "", `mutation($p:String!,$c:String!){ verifyPatientCode(phone:$p, code:$c){ refreshToken } }`,
				map[string]any{"p": phone, "c": w.patientCode(t, phone)}, "verifyPatientCode", &sess)
			return map[string]any{"refresh": sess.RefreshToken}
		},
		"code": func(t *testing.T, w *matrixWorld) map[string]any {
			phone := w.own.vars["patientPhone"].(string)
			return map[string]any{"codePhone": phone, "code": w.patientCode(t, phone)}
		},
	}
)

// prepare returns the variables of doc for facility f, making what must be fresh, whether the call
// depends on the facility, and the fresh fixtures it used: a call refused changes nothing (which the
// test checks), so what it was given stays fresh for the next actor until a call succeeds with it.
func (w *matrixWorld) prepare(t *testing.T, doc string, f *matrixFacility) (vars map[string]any, perFacility bool, used []string) {
	t.Helper()
	vars = map[string]any{}
	for _, m := range matrixVar.FindAllStringSubmatch(doc, -1) {
		name := m[1]
		if _, done := vars[name]; done {
			continue
		}
		switch {
		case f.vars[name] != nil:
			vars[name] = f.vars[name]
			perFacility = true
		case freshFacility[name] != nil:
			key := f.name + "/" + name
			if w.fresh[key] == nil {
				w.fresh[key], w.dirty = freshFacility[name](t, w, f), true
			}
			for k, v := range w.fresh[key] {
				vars[k] = v
			}
			used = append(used, key)
			perFacility = true
		case freshGlobal[name] != nil:
			w.dirty = true
			for k, v := range freshGlobal[name](t, w) {
				vars[k] = v
			}
		case w.global[name] != nil:
			vars[name] = w.global[name]
		case name == "readyPoint" || name == "codePhone":
			// made with readyQueue and code
		default:
			t.Fatalf("no fixture for $%s", name)
		}
	}
	return vars, perFacility, used
}

func (w *matrixWorld) uniq() string { return fmt.Sprintf("M%06d", w.seq.Add(1)) }

// queue makes a self check-in queue of f with a service point serving it.
func (w *matrixWorld) queue(t *testing.T, f *matrixFacility) (queue, point string) {
	t.Helper()
	var n node
	w.s.ok(t, w.root, `mutation($d:ID!,$n:String!){ createQueue(input:{name:$n, prefix:"W", ordering:FIFO, active:true, selfCheckIn:true, departmentID:$d}){ id } }`,
		map[string]any{"d": f.vars["dept"], "n": "Work " + w.uniq()}, "createQueue", &n)
	queue = n.ID
	w.s.ok(t, w.root, `mutation($d:ID!,$q:ID!,$n:String!){ createServicePoint(input:{name:$n, departmentID:$d, queueIDs:[$q]}){ id } }`,
		map[string]any{"d": f.vars["dept"], "q": queue, "n": "Work " + w.uniq()}, "createServicePoint", &n)
	return queue, n.ID
}

// checkIn checks f's patient in to queue and returns the ticket's id.
func (w *matrixWorld) checkIn(t *testing.T, f *matrixFacility, queue string) string {
	t.Helper()
	var n node
	w.s.ok(t, w.root, `mutation($q:ID!,$p:ID!){ checkIn(input:{queueID:$q, patientID:$p}){ id } }`,
		map[string]any{"q": queue, "p": f.vars["patient"]}, "checkIn", &n)
	return n.ID
}

// called returns a CALLED ticket of f's patient.
func (w *matrixWorld) called(t *testing.T, f *matrixFacility) string {
	t.Helper()
	q, sp := w.queue(t, f)
	w.checkIn(t, f, q)
	var n node
	w.s.ok(t, w.root, `mutation($q:ID!,$sp:ID!){ callNext(queueID:$q, servicePointID:$sp){ id } }`, map[string]any{"q": q, "sp": sp}, "callNext", &n)
	return n.ID
}

// patientCode asks for a sign-in code for phone and reads it from the log sender's record.
func (w *matrixWorld) patientCode(t *testing.T, phone string) string {
	t.Helper()
	w.s.ok(t, "", `mutation($p:String!){ requestPatientCode(phone:$p) }`, map[string]any{"p": phone}, "", nil)
	var notes struct {
		Edges []struct{ Node struct{ Body string } }
	}
	w.s.ok(t, w.root, `{ notifications(where:{kind:"code"}, orderBy:{field:CREATED_AT, direction:DESC}, first:1){ edges{ node{ body } } } }`, nil, "notifications", &notes)
	require.Len(t, notes.Edges, 1)
	code := regexp.MustCompile(`\d{6}`).FindString(notes.Edges[0].Node.Body)
	require.NotEmpty(t, code)
	return code
}

// newMatrixWorld starts nothing: it builds two facilities on s, each with a department, a queue and a
// service point named Main, a staff member, a patient with an account, an appointment, a ticket, a
// webhook endpoint with a delivery, an API client, a device, and whatever audit entries, notifications
// and ticket events that made; then a daily report for yesterday.
func newMatrixWorld(t *testing.T, s *testServer) *matrixWorld {
	t.Helper()
	s.cli(t, "user", "create", "--email", "root@test.org", "--password", "root-password-123", "--role", "ADMIN")
	w := &matrixWorld{s: s, fresh: map[string]map[string]any{}}
	w.root, _ = s.login(t, "root@test.org", "root-password-123")
	hooks := newHookReceiver(t)
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	now := time.Now().In(paris)
	w.global = map[string]any{"hookURL": hooks.srv.URL + "/hooks", "today": now.Format(time.DateOnly), "yesterday": now.AddDate(0, 0, -1).Format(time.DateOnly),
		"dayBefore": now.AddDate(0, 0, -2).Format(time.DateOnly)}
	w.own = w.facility(t, "Own", "+33612340001")
	w.other = w.facility(t, "Other", "+33612340002")
	for _, f := range []*matrixFacility{w.own, w.other} {
		var n int
		w.s.ok(t, w.root, `mutation($f:ID!,$d:String!){ recomputeDailyReports(facilityID:$f, from:$d, to:$d) }`,
			map[string]any{"f": f.vars["facility"], "d": w.global["yesterday"]}, "recomputeDailyReports", &n)
		w.s.waitForJobs(t)
		for key, q := range map[string]string{
			"auditEntry":   "SELECT id FROM audit_entries WHERE facility_id = '%s' ORDER BY id",
			"notification": "SELECT n.id FROM notifications n JOIN patients p ON p.id = n.patient_id WHERE p.facility_id = '%s' ORDER BY n.id",
			"ticketEvent":  "SELECT e.id FROM ticket_events e JOIN tickets k ON k.id = e.ticket_id JOIN patients p ON p.id = k.patient_id WHERE p.facility_id = '%s' ORDER BY e.id",
			"dailyReport":  "SELECT r.id FROM daily_reports r JOIN departments d ON d.id = r.department_id WHERE d.facility_id = '%s' ORDER BY r.id",
			"delivery":     "SELECT w.id FROM webhook_deliveries w JOIN webhook_endpoints e ON e.id = w.endpoint_id WHERE e.facility_id = '%s' ORDER BY w.id",
			"device":       "SELECT d.id FROM devices d JOIN patients p ON p.id = d.patient_id WHERE p.facility_id = '%s' ORDER BY d.id",
		} {
			rows := s.auditSQL(t, fmt.Sprintf(q, f.vars["facility"]))
			require.NotEmpty(t, rows, "%s has a %s", f.name, key)
			f.vars[key] = rows[0][0]
			f.secrets = append(f.secrets, rows[0][0])
		}
	}
	return w
}

func (w *matrixWorld) facility(t *testing.T, name, phone string) *matrixFacility {
	t.Helper()
	s, root := w.s, w.root
	f := &matrixFacility{name: name, vars: map[string]any{"patientPhone": phone}}
	id := func(key, query, field string, vars map[string]any) string {
		var n node
		s.ok(t, root, query, vars, field, &n)
		f.vars[key] = n.ID
		f.secrets = append(f.secrets, n.ID)
		return n.ID
	}
	fac := id("facility", `mutation($n:String!){ createFacility(input:{name:$n, timezone:"Europe/Paris", phoneRegion:"fr"}){ id } }`, "createFacility", map[string]any{"n": name})
	dept := id("dept", `mutation($f:ID!){ createDepartment(input:{name:"Main", facilityID:$f}){ id } }`, "createDepartment", map[string]any{"f": fac})
	queue := id("queue", `mutation($d:ID!){ createQueue(input:{name:"Main", prefix:"A", ordering:TRIAGE, active:true, selfCheckIn:true, departmentID:$d}){ id } }`, "createQueue", map[string]any{"d": dept})
	id("room", `mutation($d:ID!,$q:ID!){ createServicePoint(input:{name:"Main room", departmentID:$d, queueIDs:[$q]}){ id } }`, "createServicePoint", map[string]any{"d": dept, "q": queue})
	id("user", `mutation($f:ID!,$e:String!){ createUser(input:{email:$e, name:"Target", role:RECEPTIONIST, facilityID:$f}, password:"a-long-password-1"){ id } }`, "createUser",
		map[string]any{"f": fac, "e": "target-" + name + "@test.org"})
	patient := id("patient", `mutation($f:ID!,$p:String!,$g:String!){ createPatient(input:{givenName:$g, familyName:"Matrix", facilityID:$f, phone:$p, dateOfBirth:"1980-04-30T00:00:00Z"}){ id } }`, "createPatient",
		map[string]any{"f": fac, "p": phone, "g": "Given" + name})
	f.secrets = append(f.secrets, "Given"+name)
	var c apiClientSecret
	s.ok(t, root, `mutation($f:ID!){ createAPIClient(input:{name:"Target", facilityID:$f, scopes:["queues:read"]}){ client{ id } clientSecret } }`,
		map[string]any{"f": fac}, "createAPIClient", &c)
	f.vars["apiClient"] = c.Client.ID
	f.secrets = append(f.secrets, c.Client.ID)
	hook := s.createHook(t, root, map[string]any{"facilityID": fac, "url": w.global["hookURL"], "events": []string{"TICKET_CHECKED_IN"}})
	f.vars["hook"] = hook.Endpoint.ID
	f.secrets = append(f.secrets, hook.Endpoint.ID)
	id("appointment", `mutation($p:ID!,$q:ID!){ createAppointment(input:{patientID:$p, queueID:$q, scheduledAt:"2030-01-01T09:00:00Z"}){ id } }`, "createAppointment",
		map[string]any{"p": patient, "q": queue})
	var tk struct{ ID, StatusToken string }
	s.ok(t, root, `mutation($q:ID!,$p:ID!){ checkIn(input:{queueID:$q, patientID:$p}){ id statusToken } }`, map[string]any{"q": queue, "p": patient}, "checkIn", &tk)
	f.vars["ticket"], f.vars["statusToken"] = tk.ID, tk.StatusToken
	f.secrets = append(f.secrets, tk.ID)
	f.patientToken = verifyCode(t, s, phone, w.patientCode(t, phone))
	s.ok(t, f.patientToken, `mutation($t:String!){ registerDevice(platform:ANDROID, pushToken:$t){ id } }`, map[string]any{"t": "device-" + name}, "", nil)
	return f
}
