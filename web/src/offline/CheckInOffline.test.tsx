// The reception check-in through the offline queue: offline it is saved (no request, the form is
// told "queued", with the saved action's id); when the connection returns it is sent once, with the form's idempotency key,
// and reception gets the ticket to give the patient (number, position, status link) until dismissed.
import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import {
  OfflineQueue,
  OfflineQueueProvider,
  classifyWorkflowError,
  describeWorkflowError,
  executeWorkflowAction,
  memoryOfflineStorage,
} from "@carequeue/graphql";
import { act, fireEvent, render, screen } from "@testing-library/react";
import { Observable } from "rxjs";
import { describe, expect, it, vi } from "vitest";

import { CheckInForm } from "../routes/reception/CheckInForm";
import { ReplayedCheckIns } from "../routes/reception/CheckInReceipt";
import { actionTicket } from "../test/tickets";

const ticket = actionTicket({ code: "S-003", position: 3, statusToken: "st-ada" });

describe("check-in through the offline queue", () => {
  it("SavesOfflineAndSendsOnceWithTheFormsKeyWhenOnline", async () => {
    const inputs: Record<string, unknown>[] = [];
    const link = new ApolloLink(
      (op) =>
        new Observable((observer) => {
          inputs.push(op.variables.input as Record<string, unknown>);
          observer.next({ data: { checkIn: ticket } });
          observer.complete();
        }),
    );
    const apollo = new ApolloClient({ link, cache: new InMemoryCache() });
    let online = false;
    const queue = new OfflineQueue({
      storage: memoryOfflineStorage(),
      execute: (a) => executeWorkflowAction(apollo, a),
      classify: classifyWorkflowError,
      describe: describeWorkflowError,
      online: () => online,
    });
    const done = vi.fn();
    const queued = vi.fn();
    render(
      <ApolloProvider client={apollo}>
        <OfflineQueueProvider queue={queue}>
          <CheckInForm
            patient={{ id: "PA1", name: "Grace Adeyemi", detail: "MRN-10017" }}
            queues={[{ id: "QU1", name: "General Clinic" }]}
            onCheckedIn={done}
            onQueued={queued}
          />
          <ReplayedCheckIns />
        </OfflineQueueProvider>
      </ApolloProvider>,
    );

    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Check in" }));
    });
    await vi.waitFor(() => expect(queued).toHaveBeenCalledOnce());
    expect(done).not.toHaveBeenCalled();
    expect(inputs).toEqual([]);
    expect(screen.queryByRole("alert")).toBeNull(); // saved, not an error
    const [saved] = queue.get().pending;
    expect(saved).toMatchObject({ kind: "checkIn", meta: { patient: "Grace Adeyemi", queue: "General Clinic" } });
    expect(queued).toHaveBeenCalledWith(saved!.id); // the screen follows this action in the queue

    online = true;
    await act(() => queue.flush());
    expect(inputs).toHaveLength(1);
    expect(inputs[0]).toMatchObject({ queueID: "QU1", patientID: "PA1", idempotencyKey: saved!.idempotencyKey });
    expect(queue.get().pending).toEqual([]);

    // Nobody waited for that answer: reception is shown the ticket, as after an online check-in.
    const receipt = screen.getByRole("status");
    expect(receipt.textContent).toContain("Grace Adeyemi checked in: S-003. Position 3.");
    expect(receipt.textContent).toContain("Sent when the connection returned.");
    expect(screen.getByRole("link", { name: "/t/st-ada" }).getAttribute("href")).toBe("/t/st-ada");
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Dismiss: Grace Adeyemi checked in: S-003." }));
    });
    expect(screen.queryByRole("status")).toBeNull();
    expect(queue.get().replayed).toEqual([]);
  });
});
