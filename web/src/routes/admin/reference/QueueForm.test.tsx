// The queue form puts the server's validation error next to the field it names, and shows an error
// about the whole input (targets out of order) above the buttons.
import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { Observable } from "rxjs";
import { beforeAll, describe, expect, it, vi } from "vitest";

import { loadAdminStrings } from "../testing";
import { QueueForm } from "./QueueForm";

beforeAll(loadAdminStrings);

/** A server that answers every mutation with one GraphQL error. */
function refusingServer(message: string, field: string) {
  const inputs: Record<string, unknown>[] = [];
  const link = new ApolloLink(
    (op) =>
      new Observable((observer) => {
        inputs.push(op.variables.input as Record<string, unknown>);
        observer.next({ data: null, errors: [{ message, path: ["createQueue"], extensions: { code: "BAD_USER_INPUT", field } }] });
        observer.complete();
      }),
  );
  return { inputs, client: new ApolloClient({ link, cache: new InMemoryCache() }) };
}

function renderForm(client: ApolloClient) {
  const done = vi.fn();
  render(
    <ApolloProvider client={client}>
      <QueueForm departmentID="DP1" onDone={done} />
    </ApolloProvider>,
  );
  fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Minor injuries" } });
  fireEvent.change(screen.getByLabelText("Ticket prefix"), { target: { value: "m-1" } });
  return done;
}

describe("QueueForm", () => {
  it("ShowsTheServersFieldErrorNextToTheField", async () => {
    const server = refusingServer('ticket prefix "M-1" must be 1 to 3 capital letters A–Z, such as "C" or "LAB"', "input.prefix");
    const done = renderForm(server.client);
    fireEvent.click(screen.getByRole("button", { name: "Create queue" }));

    const prefix = screen.getByLabelText("Ticket prefix");
    await waitFor(() => expect(prefix.getAttribute("aria-invalid")).toBe("true"));
    const described = (prefix.getAttribute("aria-describedby") ?? "").split(" ").map((id) => document.getElementById(id)?.textContent);
    expect(described).toContain('ticket prefix "M-1" must be 1 to 3 capital letters A–Z, such as "C" or "LAB"');
    expect(screen.getByLabelText("Name").getAttribute("aria-invalid")).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull(); // shown at the field, not twice
    expect(done).not.toHaveBeenCalled();

    expect(server.inputs[0]).toMatchObject({
      name: "Minor injuries",
      prefix: "M-1",
      ordering: "TRIAGE",
      departmentID: "DP1",
      notifyAhead: 3,
      targetImmediateMinutes: 0,
      targetNonUrgentMinutes: 240,
      escalationPercent: 150,
      maxWaitMinutes: 360,
      urgentShareLimitPercent: 50,
      selfCheckInLevel: "STANDARD",
      transferKeepsArrival: true,
    });
  });

  it("ShowsAnErrorAboutTheWholeInputAboveTheButtons", async () => {
    const server = refusingServer("target wait for URGENT (5 min) must not be shorter than for the more urgent VERY_URGENT (10 min)", "input");
    renderForm(server.client);
    fireEvent.change(screen.getByLabelText("Urgent"), { target: { value: "5" } });
    fireEvent.click(screen.getByRole("button", { name: "Create queue" }));

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Please check what you entered.");
    expect(alert.textContent).toContain("must not be shorter than for the more urgent VERY_URGENT");
    expect(server.inputs[0]).toMatchObject({ targetUrgentMinutes: 5 });
  });

  it("RefusesANonNumberBeforeAskingTheServer", async () => {
    const server = refusingServer("unused", "input");
    renderForm(server.client);
    fireEvent.change(screen.getByLabelText("Usual service time (minutes)"), { target: { value: "" } });
    fireEvent.click(screen.getByRole("button", { name: "Create queue" }));

    const field = screen.getByLabelText("Usual service time (minutes)");
    await waitFor(() => expect(field.getAttribute("aria-invalid")).toBe("true"));
    await waitFor(() => expect(document.activeElement).toBe(field)); // the focus follows the render that marks the field
    expect(server.inputs).toHaveLength(0);
  });

  it("AsksForTheEscalationMultipleOnlyForTheDeadlineAwareOrder", () => {
    renderForm(refusingServer("unused", "input").client);
    expect(screen.queryByLabelText("Escalate after (% of target)")).toBeNull();
    fireEvent.change(screen.getByLabelText("Order"), { target: { value: "TRIAGE_DEADLINE_AWARE" } });
    expect((screen.getByLabelText("Escalate after (% of target)") as HTMLInputElement).value).toBe("150");
    fireEvent.change(screen.getByLabelText("Order"), { target: { value: "FIFO" } });
    expect(screen.queryByLabelText("Self check-ins are ordered as")).toBeNull(); // no triage in a FIFO queue
  });

  it("SendsThePatientSafetySettings", async () => {
    const server = refusingServer("unused", "input");
    renderForm(server.client);
    fireEvent.change(screen.getByLabelText("Order"), { target: { value: "TRIAGE_DEADLINE_AWARE" } });
    fireEvent.change(screen.getByLabelText("Escalate after (% of target)"), { target: { value: "200" } });
    fireEvent.change(screen.getByLabelText("Maximum wait (minutes)"), { target: { value: "240" } });
    fireEvent.change(screen.getByLabelText("Warn when the very urgent take more than (% of service time)"), { target: { value: "60" } });
    fireEvent.change(screen.getByLabelText("Self check-ins are ordered as"), { target: { value: "URGENT" } });
    fireEvent.click(screen.getByLabelText("Transfers keep their arrival time"));
    fireEvent.click(screen.getByRole("button", { name: "Create queue" }));
    await waitFor(() => expect(server.inputs).toHaveLength(1));
    expect(server.inputs[0]).toMatchObject({
      ordering: "TRIAGE_DEADLINE_AWARE",
      escalationPercent: 200,
      maxWaitMinutes: 240,
      urgentShareLimitPercent: 60,
      selfCheckInLevel: "URGENT",
      transferKeepsArrival: false,
    });
  });

  it("RefusesAMaximumWaitOutsideItsRangeAndFocusesIt", async () => {
    const server = refusingServer("unused", "input");
    renderForm(server.client);
    fireEvent.change(screen.getByLabelText("Maximum wait (minutes)"), { target: { value: "10" } });
    fireEvent.click(screen.getByRole("button", { name: "Create queue" }));

    const field = screen.getByLabelText("Maximum wait (minutes)");
    await waitFor(() => expect(field.getAttribute("aria-invalid")).toBe("true"));
    await waitFor(() => expect(document.activeElement).toBe(field)); // the focus follows the render that marks the field
    const described = (field.getAttribute("aria-describedby") ?? "").split(" ").map((id) => document.getElementById(id)?.textContent);
    expect(described).toContain("Enter a whole number from 30 to 1440.");
    expect(server.inputs).toHaveLength(0);
  });

  it("ShowsTheServersErrorAboutASafetyFieldNextToIt", async () => {
    const server = refusingServer("urgent share limit must be 10 to 100 %", "input.urgentShareLimitPercent");
    renderForm(server.client);
    fireEvent.click(screen.getByRole("button", { name: "Create queue" }));
    const field = screen.getByLabelText("Warn when the very urgent take more than (% of service time)");
    await waitFor(() => expect(field.getAttribute("aria-invalid")).toBe("true"));
    await waitFor(() => expect(document.activeElement).toBe(field)); // the focus follows the render that marks the field
  });
});
