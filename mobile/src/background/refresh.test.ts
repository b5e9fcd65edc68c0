import { memoryTokenStorage, type PatientHomeQuery } from "@carequeue/graphql";

import { authPayload, home, hoursFromNow, patientSession, ticket } from "../test/fixtures";
import { fakeServer, gqlError } from "../test/server";
import type { Notified } from "./nearFront";
import { refreshInBackground, type RefreshDeps } from "./refresh";

function deps(server: ReturnType<typeof fakeServer>, over: Partial<RefreshDeps> = {}) {
  let notified: Notified = {};
  const saved: { accountID: string; home: PatientHomeQuery }[] = [];
  const d = {
    httpUrl: "https://care.example.org/graphql",
    storage: memoryTokenStorage(patientSession()),
    fetch: server.fetch,
    loadNotified: jest.fn(async () => notified),
    saveNotified: jest.fn(async (n: Notified) => {
      notified = n;
    }),
    saveHome: jest.fn(async (accountID: string, h: PatientHomeQuery) => void saved.push({ accountID, home: h })),
    notify: jest.fn(async () => undefined),
    ...over,
  };
  return { d, saved, notified: () => notified };
}

describe("refreshInBackground", () => {
  it("saves the home and alerts a ticket near the front", async () => {
    const answer = { data: home([ticket({ id: "TK1", code: "A-017", position: 3 }), ticket({ id: "TK2", code: "A-030", position: 9 })]) };
    const server = fakeServer({ PatientHome: answer });
    const { d, saved, notified } = deps(server);

    expect(await refreshInBackground(d)).toBe("alerted");

    expect(server.calls("PatientHome")).toEqual([{ operationName: "PatientHome", variables: {}, authorization: "Bearer access-1" }]);
    expect(saved).toEqual([{ accountID: "US01PATIENT", home: answer.data }]);
    expect(d.notify).toHaveBeenCalledTimes(1);
    expect(d.notify).toHaveBeenCalledWith({ ticketID: "TK1", code: "A-017", position: 3, wait: { kind: "range", low: 8, high: 20 } });
    expect(notified()).toEqual({ TK1: 3 });
  });

  it("does not alert the same step twice", async () => {
    const server = fakeServer({ PatientHome: { data: home([ticket({ id: "TK1", position: 2 })]) } });
    const { d } = deps(server);
    expect(await refreshInBackground(d)).toBe("alerted");
    expect(await refreshInBackground(d)).toBe("no-change");
    expect(d.notify).toHaveBeenCalledTimes(1);
  });

  it("alerts a called ticket", async () => {
    const server = fakeServer({ PatientHome: { data: home([ticket({ id: "TK1", code: "A-017", status: "CALLED", position: null })]) } });
    const { d } = deps(server);
    expect(await refreshInBackground(d)).toBe("alerted");
    expect(d.notify).toHaveBeenCalledWith({ ticketID: "TK1", code: "A-017", position: 0 });
  });

  it("says no-change when nobody is near the front", async () => {
    const server = fakeServer({ PatientHome: { data: home([ticket({ position: 8 })]) } });
    const { d } = deps(server);
    expect(await refreshInBackground(d)).toBe("no-change");
    expect(d.saveHome).toHaveBeenCalled();
    expect(d.notify).not.toHaveBeenCalled();
  });

  it("does nothing signed out", async () => {
    const server = fakeServer();
    const { d } = deps(server, { storage: memoryTokenStorage(null) });
    expect(await refreshInBackground(d)).toBe("signed-out");
    expect(server.requests).toEqual([]);
  });

  it("fails on GraphQL errors without saving", async () => {
    const server = fakeServer({ PatientHome: gqlError("INTERNAL") });
    const { d } = deps(server);
    expect(await refreshInBackground(d)).toBe("failed");
    expect(d.saveHome).not.toHaveBeenCalled();
    expect(d.notify).not.toHaveBeenCalled();
  });

  it("fails on partial data with errors", async () => {
    const server = fakeServer({ PatientHome: { data: home([ticket({ position: 1 })]), errors: [{ message: "x", extensions: { code: "INTERNAL" } }] } });
    const { d } = deps(server);
    expect(await refreshInBackground(d)).toBe("failed");
    expect(d.notify).not.toHaveBeenCalled();
  });

  it("fails when the network is down", async () => {
    const server = fakeServer({ PatientHome: { networkError: true } });
    const { d } = deps(server);
    expect(await refreshInBackground(d)).toBe("failed");
  });

  it("fails on an answer that is not JSON", async () => {
    const { d } = deps(fakeServer(), { fetch: (async () => new Response("<html>502</html>", { status: 502 })) as typeof fetch });
    expect(await refreshInBackground(d)).toBe("failed");
  });

  it("refreshes an expired access token first", async () => {
    const server = fakeServer({
      RefreshSession: { data: { refreshSession: authPayload("access-2", "refresh-2") } },
      PatientHome: { data: home([ticket({ position: 5 })]) },
    });
    const storage = memoryTokenStorage(patientSession({ expiresAt: hoursFromNow(-1) }));
    const { d } = deps(server, { storage });

    expect(await refreshInBackground(d)).toBe("no-change");

    expect(server.requests.map((r) => r.operationName)).toEqual(["RefreshSession", "PatientHome"]);
    expect(server.calls("RefreshSession")[0]!.variables).toEqual({ refreshToken: "refresh-1" });
    expect(server.calls("PatientHome")[0]!.authorization).toBe("Bearer access-2");
    expect((await storage.load())?.refreshToken).toBe("refresh-2"); // the rotated token is kept
  });

  it("is signed out when the refresh token is refused", async () => {
    const server = fakeServer({ RefreshSession: gqlError("UNAUTHENTICATED") });
    const storage = memoryTokenStorage(patientSession({ expiresAt: hoursFromNow(-1) }));
    const { d } = deps(server, { storage });
    expect(await refreshInBackground(d)).toBe("signed-out");
    expect(server.calls("PatientHome")).toEqual([]);
    expect(await storage.load()).toBeNull();
  });
});
