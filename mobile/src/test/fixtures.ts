// Server answers built with the generated types (plus the __typename every answer carries, which
// Apollo's cache needs to match fragments).
import {
  PatientTicket_TicketFragmentDoc,
  TicketStatus_StatusFragmentDoc,
  makeFragmentData,
  type PatientHomeQuery,
  type PatientTicketLive_TicketFragment,
  type PatientTicket_TicketFragment,
  type StoredSession,
  type TicketStatus_StatusFragment,
} from "@carequeue/graphql";

export const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

export const patientUser = { id: "US01PATIENT", name: "Ana García", role: "PATIENT" as const, facilityID: null };

export function patientSession(over: Partial<StoredSession> = {}): StoredSession {
  return { accessToken: "access-1", refreshToken: "refresh-1", expiresAt: hoursFromNow(1), user: patientUser, ...over };
}

/** The AuthPayload verifyPatientCode and refreshSession answer with. */
export function authPayload(accessToken = "access-2", refreshToken = "refresh-2") {
  return {
    __typename: "AuthPayload",
    accessToken,
    refreshToken,
    expiresAt: hoursFromNow(1),
    idleTimeoutSeconds: 14 * 24 * 3600, // PATIENT_IDLE_TIMEOUT's default
    user: { __typename: "User", ...patientUser },
  };
}

/**
 * T without its __typename fields: the generated types name them everywhere (the documents select
 * them for Apollo's cache and the persisted-documents manifest); fixtures are written without them
 * and withTypenames puts them back.
 */
type Untyped<T> = T extends readonly (infer U)[]
  ? Untyped<U>[]
  : T extends object
    ? { [K in keyof T as K extends "__typename" ? never : K]: Untyped<T[K]> }
    : T;

type Ticket = Untyped<
  Omit<PatientTicket_TicketFragment, " $fragmentRefs" | " $fragmentName"> & Omit<PatientTicketLive_TicketFragment, " $fragmentName">
>;

/** A patient's ticket (PatientTicket_ticket with its live part), waiting third in line by default. */
export function ticket(over: Partial<Ticket> = {}) {
  const t: Ticket = {
    id: "TK01AAAAAAAAAA",
    code: "A-017",
    status: "WAITING",
    position: 3,
    estimatedWait: { lowMinutes: 8, highMinutes: 20 },
    calledAt: null,
    startedAt: null,
    endedAt: null,
    recallCount: 0,
    servicePoint: null,
    checkedInAt: "2025-03-04T09:30:00Z",
    statusToken: "AbCdEfGhIjKlMnOpQrStUv_-",
    queue: {
      id: "QU1",
      name: "Blood tests",
      department: { id: "DP1", name: "Outpatients", facility: { id: "FC1", name: "St Mary's", timezone: "Europe/London", locale: "en-GB" } },
    },
    next: null,
    ...over,
  };
  return withTypenames(t);
}

function withTypenames(t: Ticket) {
  return {
    __typename: "Ticket" as const,
    ...t,
    servicePoint: t.servicePoint && { __typename: "ServicePoint" as const, ...t.servicePoint },
    estimatedWait: t.estimatedWait && { __typename: "WaitRange" as const, ...t.estimatedWait },
    queue: {
      __typename: "Queue" as const,
      ...t.queue,
      department: {
        __typename: "Department" as const,
        ...t.queue.department,
        facility: { __typename: "Facility" as const, ...t.queue.department.facility },
      },
    },
    next: t.next && { __typename: "Ticket" as const, ...t.next },
  };
}

/** The PatientHome answer for these tickets. */
export function home(tickets: ReturnType<typeof ticket>[], language = "en") {
  return {
    me: {
      __typename: "User",
      id: patientUser.id,
      name: patientUser.name,
      patients: [{ __typename: "Patient", id: "PT1", givenName: "Ana", language, facilityID: "FC1" }],
    },
    tickets: {
      __typename: "TicketConnection",
      edges: tickets.map((t) => ({ __typename: "TicketEdge", node: { __typename: "Ticket", ...makeFragmentData(t, PatientTicket_TicketFragmentDoc) } })),
    },
  } satisfies PatientHomeQuery; // the generated type checks the shape
}

/** The PatientTicket answer (node by id). */
export function ticketNode(t: ReturnType<typeof ticket> | null) {
  return { node: t };
}

/** A public status (TicketStatus_status) as the status page sees it. */
export function publicStatus(over: Partial<Untyped<Omit<TicketStatus_StatusFragment, " $fragmentName">>> = {}, nextToken: string | null = null) {
  const s: Untyped<Omit<TicketStatus_StatusFragment, " $fragmentName">> = {
    code: "B-042",
    status: "WAITING",
    position: 2,
    estimatedWait: { lowMinutes: 5, highMinutes: 15 },
    servicePointName: null,
    language: "en",
    ...over,
  };
  const typed = {
    __typename: "PublicTicketStatus" as const,
    ...s,
    estimatedWait: s.estimatedWait && { __typename: "WaitRange" as const, ...s.estimatedWait },
  };
  return { __typename: "PublicTicketStatus", ...makeFragmentData(typed, TicketStatus_StatusFragmentDoc), nextToken };
}

export const STATUS_TOKEN = "AbCdEfGhIjKlMnOpQrStUv_-";
