// Test fixtures for the offline tests (no test here): a workflow mutation's answer as the server sends it.

/** A TicketAction_ticket as the server answers it, with the fields a test cares about given. */
export function actionTicket(id: string, status: string, fields: { code?: string; statusToken?: string; position?: number | null } = {}) {
  return {
    __typename: "Ticket",
    id,
    code: fields.code ?? "C-001",
    status,
    triageLevel: "STANDARD",
    queueID: "QU1",
    statusToken: fields.statusToken ?? "tok",
    position: fields.position ?? null,
    estimatedWaitMinutes: null,
    targetAt: null,
    calledAt: null,
    startedAt: null,
    endedAt: null,
    recallCount: 0,
    servicePointID: null,
  };
}
