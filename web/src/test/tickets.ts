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
