// The offline queue's batches and the change feed against a fake /graphql that answers as the server
// does (schema/sync.graphql): what is sent, and how each answer is read.
import { ApolloClient, ApolloLink, InMemoryCache, type FetchResult } from "@apollo/client";
import { Observable } from "rxjs";
import { describe, expect, it } from "vitest";

import { errorCode, errorDetail } from "../errors";
import { ChangeFeed } from "./feed";
import type { QueuedAction } from "./queue";
import { actionTicket } from "./testkit";
import { classifyWorkflowError, executeWorkflowBatch, syncOperation } from "./workflow";

const ticket = (id: string, status: string) => actionTicket(id, status);

/** An Apollo Client whose server is answer; every operation it receives is kept. */
function fakeApollo(answer: (name: string, vars: Record<string, unknown>) => FetchResult) {
  const sent: { name: string; vars: Record<string, unknown> }[] = [];
  const link = new ApolloLink(
    (op) =>
      new Observable((observer) => {
        sent.push({ name: op.operationName ?? "", vars: op.variables });
        observer.next(answer(op.operationName ?? "", op.variables));
        observer.complete();
      }),
  );
  return { apollo: new ApolloClient({ link, cache: new InMemoryCache() }), sent };
}

const action = (kind: string, payload: unknown, key: string): QueuedAction => ({
  id: key,
  kind,
  payload,
  idempotencyKey: key,
  createdAt: "2026-12-04T10:00:00Z",
});

describe("syncOperation", () => {
  it.each([
    ["checkIn", { input: { queueID: "QU1", patientID: "PA1" } }, { kind: "CHECK_IN", checkIn: { queueID: "QU1", patientID: "PA1", idempotencyKey: "k" } }],
    ["callNext", { queueID: "QU1", servicePointID: "SP1" }, { kind: "CALL", queueID: "QU1", servicePointID: "SP1" }],
    ["recallTicket", { ticketID: "TK1" }, { kind: "RECALL", ticketID: "TK1" }],
    ["startService", { ticketID: "TK1" }, { kind: "START", ticketID: "TK1" }],
    ["completeTicket", { ticketID: "TK1", note: null }, { kind: "COMPLETE", ticketID: "TK1" }],
    ["completeTicket", { ticketID: "TK1", note: "ok" }, { kind: "COMPLETE", ticketID: "TK1", note: "ok" }],
    ["markNoShow", { ticketID: "TK1" }, { kind: "NO_SHOW", ticketID: "TK1" }],
    ["cancelTicket", { ticketID: "TK1", reason: "left" }, { kind: "CANCEL", ticketID: "TK1", reason: "left" }],
    ["transferTicket", { ticketID: "TK1", queueID: "QU2", triageLevel: null }, { kind: "TRANSFER", ticketID: "TK1", queueID: "QU2" }],
    ["retriageTicket", { ticketID: "TK1", triageLevel: "URGENT", reason: null }, { kind: "RETRIAGE", ticketID: "TK1", triageLevel: "URGENT" }],
  ])("%s takes exactly its mutation's arguments (%#)", (kind, payload, want) => {
    expect(syncOperation(action(kind, payload, "k"), 7)).toEqual({ sequence: 7, idempotencyKey: "k", ...want });
  });
});

describe("executeWorkflowBatch", () => {
  it("SendsInOrderAndReadsEachResultAsItsMutationWouldBe", async () => {
    const { apollo, sent } = fakeApollo(() => ({
      data: {
        syncPush: [
          { __typename: "SyncOperationResult", sequence: 1, status: "APPLIED", ticket: ticket("TK1", "CALLED"), error: null },
          {
            __typename: "SyncOperationResult",
            sequence: 2,
            status: "FAILED",
            ticket: null,
            error: { __typename: "SyncError", code: "CONFLICT", message: "already called", field: "ticketID", reason: null, dependsOn: null },
          },
          {
            __typename: "SyncOperationResult",
            sequence: 3,
            status: "SKIPPED",
            ticket: null,
            error: { __typename: "SyncError", code: "CONFLICT", message: "not tried", field: null, reason: "DEPENDS_ON_FAILED", dependsOn: 2 },
          },
          {
            __typename: "SyncOperationResult",
            sequence: 4,
            status: "SKIPPED",
            ticket: null,
            error: { __typename: "SyncError", code: "UNAVAILABLE", message: "not tried", field: null, reason: "NOT_REACHED", dependsOn: null },
          },
        ],
      },
    }));
    const outcomes = await executeWorkflowBatch(apollo, [
      action("callNext", { queueID: "QU1", servicePointID: "SP1" }, "a"),
      action("startService", { ticketID: "TK2" }, "b"),
      action("completeTicket", { ticketID: "TK2" }, "c"),
      action("markNoShow", { ticketID: "TK3" }, "d"),
    ]);
    expect(sent).toHaveLength(1);
    const ops = sent[0]!.vars["operations"] as { sequence: number; idempotencyKey: string }[];
    expect(ops.map((o) => [o.sequence, o.idempotencyKey])).toEqual([
      [1, "a"],
      [2, "b"],
      [3, "c"],
      [4, "d"],
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["done", "failed", "skipped", "skipped"]);
    const [, failed, depends, notReached] = outcomes;
    if (failed?.status !== "failed" || depends?.status !== "skipped" || notReached?.status !== "skipped") throw new Error("shape");
    expect(errorCode(failed.error)).toBe("CONFLICT");
    expect(errorDetail(failed.error)).toBe("already called");
    expect(classifyWorkflowError(failed.error)).toBe("reject");
    expect(depends.retry).toBe(false);
    expect(notReached.retry).toBe(true);
    expect(classifyWorkflowError(notReached.error)).toBe("retry");
  });

  it("RejectsWhenTheBatchIsRefusedWhole", async () => {
    const { apollo } = fakeApollo(() => ({
      data: null,
      errors: [{ message: "sequences must be consecutive", extensions: { code: "BAD_USER_INPUT", reason: "SEQUENCE_GAP" } }],
    }));
    await expect(executeWorkflowBatch(apollo, [action("startService", { ticketID: "TK1" }, "a")])).rejects.toSatisfy(
      (e) => errorCode(e) === "BAD_USER_INPUT" && classifyWorkflowError(e) === "reject",
    );
  });
});

describe("ChangeFeed", () => {
  it("TakesACursorFirstThenPagesToTheEndIntoTheCache", async () => {
    const pages: Record<string, { cursor: string; hasMore: boolean; tickets: ReturnType<typeof ticket>[] }> = {
      start: { cursor: "c1_A", hasMore: false, tickets: [] },
      c1_A: { cursor: "c1_B", hasMore: true, tickets: [ticket("TK1", "CALLED")] },
      c1_B: { cursor: "c1_C", hasMore: false, tickets: [ticket("TK1", "IN_SERVICE"), ticket("TK2", "WAITING")] },
    };
    const { apollo, sent } = fakeApollo((_name, vars) => {
      const p = pages[(vars["since"] as string | null) ?? "start"]!;
      return { data: { syncPull: { __typename: "SyncPullResult", ...p } } };
    });
    const feed = new ChangeFeed({ apollo, pageSize: 2 });
    expect(await feed.catchUp()).toBe(0);
    expect(feed.position).toBe("c1_A");
    expect(await feed.catchUp()).toBe(3);
    expect(sent.map((s) => [s.vars["since"], s.vars["first"]])).toEqual([
      [null, 2],
      ["c1_A", 2],
      ["c1_B", 2],
    ]);
    expect(feed.position).toBe("c1_C");
    const cached = apollo.cache.extract() as Record<string, unknown>;
    expect(cached["Ticket:TK1"]).toMatchObject({ status: "IN_SERVICE" });
    expect(cached["Ticket:TK2"]).toMatchObject({ status: "WAITING" });
  });

  it("RefetchesOnceWhenTheCursorIsTooOld", async () => {
    let refetched = 0;
    const { apollo } = fakeApollo((_name, vars) =>
      vars["since"] === "c1_OLD"
        ? { data: null, errors: [{ message: "too old", extensions: { code: "BAD_USER_INPUT", field: "since", reason: "RESYNC_REQUIRED" } }] }
        : { data: { syncPull: { __typename: "SyncPullResult", cursor: vars["since"] === null ? "c1_OLD" : "c1_X", hasMore: false, tickets: [] } } },
    );
    const feed = new ChangeFeed({
      apollo,
      resync: async () => {
        refetched++;
      },
    });
    await feed.catchUp();
    expect(await feed.catchUp()).toBe(0);
    expect(refetched).toBe(1);
    expect(feed.position).toBe("c1_OLD"); // the new cursor the fake hands out for since: null
  });

  it("KeepsItsCursorWhenTheNetworkFails", async () => {
    let down = false;
    const { apollo } = fakeApollo(() => {
      if (down) throw new Error("offline");
      return { data: { syncPull: { __typename: "SyncPullResult", cursor: "c1_A", hasMore: false, tickets: [] } } };
    });
    const feed = new ChangeFeed({ apollo });
    await feed.catchUp();
    down = true;
    await expect(feed.catchUp()).rejects.toThrow();
    expect(feed.position).toBe("c1_A");
  });
});
