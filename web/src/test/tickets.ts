// A workflow mutation's answer (TicketAction_ticket) for component tests: a waiting ticket, with the
// fields a test cares about overridden.
export function actionTicket(overrides: Record<string, unknown> = {}) {
  return {
    __typename: "Ticket",
    id: "TK1",
    code: "C-013",
    status: "WAITING",
    triageLevel: "STANDARD",
    queueID: "QU1",
    statusToken: "tok",
    position: 1,
    estimatedWaitMinutes: 5,
    targetAt: "2026-11-26T10:00:00Z",
    calledAt: null,
    startedAt: null,
    endedAt: null,
    recallCount: 0,
    servicePointID: null,
    ...overrides,
  };
}

/** One needsAttention item as the server sends it (AttentionItem_ticket), for panel tests. */
export function attentionItem(reason: string, ticket: Record<string, unknown> = {}, since = "2026-11-26T09:00:00Z") {
  return {
    __typename: "AttentionItem",
    reason,
    since,
    ticket: {
      __typename: "Ticket",
      id: "TK1",
      code: "E-014",
      triageLevel: "STANDARD",
      awaitingTriage: false,
      arrivedAt: "2026-11-26T08:00:00Z",
      breachForecast: null,
      queue: { __typename: "Queue", id: "QU1", name: "Emergency" },
      patient: { __typename: "Patient", id: "PA1", givenName: "Ada", familyName: "Lovelace" },
      ...ticket,
    },
  };
}

const minute = 60_000;

/** A waiting ticket as the queue snapshots carry it (the reception and clinician row fragments). */
export function queueTicket(now: number, overrides: Record<string, unknown> = {}) {
  return {
    __typename: "Ticket",
    id: "TK1",
    code: "E-014",
    status: "WAITING",
    triageLevel: "STANDARD",
    awaitingTriage: false,
    position: 1,
    estimatedWaitMinutes: 55,
    estimatedWait: { __typename: "WaitRange", lowMinutes: 40, highMinutes: 70 },
    breachForecast: null,
    arrivedAt: new Date(now - 30 * minute).toISOString(),
    escalatedAt: null,
    targetAt: new Date(now + 90 * minute).toISOString(),
    calledAt: null,
    statusToken: "tok",
    patient: { __typename: "Patient", id: "PA1", givenName: "Ada", familyName: "Lovelace" },
    servicePoint: null,
    ...overrides,
  };
}

/** A breach forecast whose target is `inMinutes` from now (negative: already past), as the server sends it. */
export function forecast(now: number, inMinutes: number) {
  // Half a minute inside the minute (minutes left round up, minutes past round down), so the whole
  // minutes shown do not depend on the test's speed.
  const targetAt = new Date(now + inMinutes * minute - 30_000).toISOString();
  return { __typename: "BreachForecast", targetAt, inMinutes: Math.max(0, inMinutes) };
}
