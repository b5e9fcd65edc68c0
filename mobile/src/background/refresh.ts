// One background refresh: read the patient's open tickets over HTTP (no socket: the OS gives a
// background task seconds, not minutes), keep them for the next start, and say which alerts to raise.
// Platform-neutral and testable: the task (task.ts) supplies storage, fetch and the notifier.
import {
  PatientHomeDocument,
  PatientTicketLive_TicketFragmentDoc,
  PatientTicket_TicketFragmentDoc,
  SessionManager,
  getFragmentData,
  httpRefresh,
  nodes,
  patientWait,
  type PatientHomeQuery,
  type TokenStorage,
} from "@carequeue/graphql";
import { print } from "graphql";

import { nearFrontAlerts, type Alert, type Notified } from "./nearFront";

export interface RefreshDeps {
  httpUrl: string;
  storage: TokenStorage;
  fetch: typeof fetch;
  loadNotified(): Promise<Notified>;
  saveNotified(n: Notified): Promise<void>;
  saveHome(accountID: string, home: PatientHomeQuery): Promise<unknown>;
  notify(alert: Alert): Promise<void>;
}

export type RefreshResult = "signed-out" | "failed" | "no-change" | "alerted";

export async function refreshInBackground(deps: RefreshDeps): Promise<RefreshResult> {
  const session = new SessionManager({ storage: deps.storage, refresh: httpRefresh(deps.httpUrl, deps.fetch) });
  try {
    const token = await session.accessToken();
    const accountID = session.current()?.user.id;
    if (!token || !accountID) return "signed-out";
    const res = await deps.fetch(deps.httpUrl, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ operationName: "PatientHome", query: print(PatientHomeDocument) }),
    });
    const body = (await res.json()) as { data?: PatientHomeQuery | null; errors?: unknown[] };
    if (!body.data || body.errors?.length) return "failed";
    await deps.saveHome(accountID, body.data);
    const tickets = nodes(body.data.tickets).map((masked) => {
      const t = getFragmentData(PatientTicket_TicketFragmentDoc, masked);
      const live = getFragmentData(PatientTicketLive_TicketFragmentDoc, t);
      return { id: live.id, code: t.code, status: live.status, position: live.position ?? null, wait: patientWait(live.estimatedWait) };
    });
    const { alerts, notified } = nearFrontAlerts(tickets, await deps.loadNotified());
    await deps.saveNotified(notified);
    for (const a of alerts) await deps.notify(a);
    return alerts.length ? "alerted" : "no-change";
  } catch {
    return "failed";
  } finally {
    session.dispose();
  }
}
