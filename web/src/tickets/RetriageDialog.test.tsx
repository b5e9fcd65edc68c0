// Re-triage from a queue row: one dialog, the new level, and the idempotency key kept across a retry
// so a timeout followed by a second press cannot re-triage twice.
import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { Observable } from "rxjs";
import { describe, expect, it, vi } from "vitest";

import { actionTicket } from "../test/tickets";
import { RetriageDialog, type RetriageTarget } from "./RetriageDialog";

const result = actionTicket({ code: "E-014", triageLevel: "VERY_URGENT", estimatedWaitMinutes: 3 });

/** A server that fails the first `failures` requests and answers the rest; it records each request. */
function server(failures = 0) {
  const requests: { operationName: string | undefined; variables: Record<string, unknown> }[] = [];
  const link = new ApolloLink(
    (op) =>
      new Observable((observer) => {
        requests.push({ operationName: op.operationName, variables: op.variables });
        if (requests.length <= failures) observer.error(new TypeError("Failed to fetch"));
        else {
          observer.next({ data: { retriageTicket: result } });
          observer.complete();
        }
      }),
  );
  return { requests, client: new ApolloClient({ link, cache: new InMemoryCache() }) };
}

function open(s: ReturnType<typeof server>, ticket: RetriageTarget, onClose = vi.fn()) {
  render(
    <ApolloProvider client={s.client}>
      <RetriageDialog ticket={ticket} onClose={onClose} />
    </ApolloProvider>,
  );
  return onClose;
}

const standard: RetriageTarget = { id: "TK1", code: "E-014", triageLevel: "STANDARD" };

describe("RetriageDialog", () => {
  it("SendsTheNewLevelAndReasonWithAnIdempotencyKeyAndCloses", async () => {
    const s = server();
    const onClose = open(s, standard);
    fireEvent.click(screen.getByRole("radio", { name: /Very urgent/ }));
    fireEvent.change(screen.getByLabelText("Reason (optional)"), { target: { value: "  chest pain worse " } });
    fireEvent.click(screen.getByRole("button", { name: "Re-triage" }));
    await waitFor(() => expect(onClose).toHaveBeenCalledOnce());
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]!.operationName).toBe("RetriageTicket");
    expect(s.requests[0]!.variables).toMatchObject({ ticketID: "TK1", triageLevel: "VERY_URGENT", reason: "chest pain worse" });
    expect(s.requests[0]!.variables.idempotencyKey).toEqual(expect.any(String));
  });

  it("RetriesWithTheSameIdempotencyKeyAfterAFailure", async () => {
    const s = server(1);
    const onClose = open(s, standard);
    fireEvent.click(screen.getByRole("radio", { name: /Immediate/ }));
    fireEvent.click(screen.getByRole("button", { name: "Re-triage" }));
    await screen.findByRole("alert");
    expect(onClose).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole("button", { name: "Re-triage" }));
    await waitFor(() => expect(onClose).toHaveBeenCalledOnce());
    expect(s.requests).toHaveLength(2);
    expect(s.requests[1]!.variables.idempotencyKey).toBe(s.requests[0]!.variables.idempotencyKey);
  });

  it("UsesANewKeyWhenAnotherLevelIsChosenAfterAFailure", async () => {
    const s = server(1);
    const onClose = open(s, standard);
    fireEvent.click(screen.getByRole("radio", { name: /Immediate/ }));
    fireEvent.click(screen.getByRole("button", { name: "Re-triage" }));
    await screen.findByRole("alert");
    fireEvent.click(screen.getByRole("radio", { name: /Very urgent/ }));
    fireEvent.click(screen.getByRole("button", { name: "Re-triage" }));
    await waitFor(() => expect(onClose).toHaveBeenCalledOnce());
    expect(s.requests[1]!.variables).toMatchObject({ triageLevel: "VERY_URGENT" });
    expect(s.requests[1]!.variables.idempotencyKey).not.toBe(s.requests[0]!.variables.idempotencyKey);
  });

  it("CannotSendTheCurrentLevelAgain", () => {
    open(server(), standard);
    expect((screen.getByRole("radio", { name: /Standard/ }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole("button", { name: "Re-triage" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("ConfirmsTheOrderedLevelOfATicketAwaitingTriage", async () => {
    // A self check-in is ordered as the queue's default level until someone triages it: confirming
    // that same level is the triage.
    const s = server();
    const onClose = open(s, { ...standard, awaitingTriage: true });
    fireEvent.click(screen.getByRole("button", { name: "Confirm this level" }));
    await waitFor(() => expect(onClose).toHaveBeenCalledOnce());
    expect(s.requests[0]!.variables).toMatchObject({ ticketID: "TK1", triageLevel: "STANDARD", reason: null });
  });
});
