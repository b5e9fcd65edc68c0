// The check-in form keeps its idempotency key until a check-in succeeds: pressing the button again
// after a network failure must not create a second ticket.
import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { Observable } from "rxjs";
import { describe, expect, it, vi } from "vitest";

import { actionTicket } from "../../test/tickets";
import { CheckInForm } from "./CheckInForm";

const ticket = actionTicket({ triageLevel: "URGENT", position: 2, estimatedWaitMinutes: 7 });

/** A server that drops the first request on the floor and answers the rest. */
function flakyServer() {
  const inputs: Record<string, unknown>[] = [];
  const link = new ApolloLink(
    (op) =>
      new Observable((observer) => {
        inputs.push(op.variables.input as Record<string, unknown>);
        if (inputs.length === 1) observer.error(new TypeError("Failed to fetch"));
        else {
          observer.next({ data: { checkIn: ticket } });
          observer.complete();
        }
      }),
  );
  return { inputs, client: new ApolloClient({ link, cache: new InMemoryCache() }) };
}

describe("CheckInForm", () => {
  it("RetriesWithTheSameIdempotencyKeyAfterAFailure", async () => {
    const server = flakyServer();
    const done = vi.fn();
    render(
      <ApolloProvider client={server.client}>
        <CheckInForm
          patient={{ id: "PA1", name: "Grace Adeyemi", detail: "MRN-10017" }}
          queues={[{ id: "QU1", name: "General Clinic" }]}
          onCheckedIn={done}
        />
      </ApolloProvider>,
    );

    fireEvent.click(screen.getByRole("radio", { name: "Urgent" }));
    fireEvent.click(screen.getByRole("button", { name: "Check in" }));
    await screen.findByRole("alert");
    expect(screen.getByRole("alert").textContent).toContain("The server cannot be reached");

    fireEvent.click(screen.getByRole("button", { name: "Check in" }));
    await waitFor(() => expect(done).toHaveBeenCalledOnce());

    expect(server.inputs).toHaveLength(2);
    const [first, second] = server.inputs;
    expect(first).toMatchObject({ queueID: "QU1", patientID: "PA1", triageLevel: "URGENT" });
    expect(typeof first!.idempotencyKey).toBe("string");
    expect(second!.idempotencyKey).toBe(first!.idempotencyKey);
    expect(done.mock.calls[0]![0]).toMatchObject({ code: "C-013" });
  });
});
