// The ticket dialogs (reception's and the clinician's) show the server's message about a field next to
// that field and move the focus there; only what no field shows goes to the error notice.
import { ApolloProvider } from "@apollo/client/react";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it, vi } from "vitest";

import { describedTexts, refusingServer } from "../test/refusing";
import { CancelDialog } from "./CancelDialog";
import { RetriageDialog } from "./RetriageDialog";
import { TransferDialog } from "./TransferDialog";

const QUEUES = [
  { id: "QU1", name: "Triage", departmentName: "Emergency" },
  { id: "QU2", name: "Majors", departmentName: "Emergency" },
];

/** Each dialog, filled in and sent: [name, field the server names, the control's label, render, fill]. */
const dialogs: [string, string, string | RegExp, () => ReactNode, () => void][] = [
  ["cancel", "reason", "Reason", () => <CancelDialog ticket={{ id: "TK1", code: "C-001" }} onClose={vi.fn()} />, () => {
    fireEvent.change(screen.getByLabelText("Reason"), { target: { value: "left" } });
    fireEvent.click(screen.getByRole("button", { name: "Cancel ticket" }));
  }],
  ["retriage", "reason", "Reason (optional)", () => <RetriageDialog ticket={{ id: "TK1", code: "C-001", triageLevel: "STANDARD" }} onClose={vi.fn()} />, () => {
    fireEvent.click(screen.getByRole("radio", { name: /Very urgent/ }));
    fireEvent.change(screen.getByLabelText("Reason (optional)"), { target: { value: "worse" } });
    fireEvent.click(screen.getByRole("button", { name: "Re-triage" }));
  }],
  ["transfer", "queueID", "To queue", () => <TransferDialog ticket={{ id: "TK1", code: "C-001", queueID: "QU1" }} queues={QUEUES} onClose={vi.fn()} />, () => {
    fireEvent.change(screen.getByLabelText("To queue"), { target: { value: "QU2" } });
    fireEvent.click(screen.getByRole("button", { name: "Transfer" }));
  }],
];

describe("ticket dialogs: the server's message on the field", () => {
  it.each(dialogs)("%s", async (_, field, label, dialog, send) => {
    const message = `${field} was refused for a reason the server explains`;
    const s = refusingServer(field, message);
    render(<ApolloProvider client={s.client}>{dialog()}</ApolloProvider>);
    send();
    const control = screen.getByLabelText(label);
    await waitFor(() => expect(control.getAttribute("aria-invalid")).toBe("true"));
    expect(describedTexts(control)).toContain(message);
    await waitFor(() => expect(document.activeElement).toBe(control)); // the focus follows the render that marks the field
    expect(screen.queryByRole("alert")).toBeNull();
    expect(s.requests).toHaveLength(1);
  });

  it.each(dialogs)("%s: a message about no field goes to the notice", async (_, __, label, dialog, send) => {
    const s = refusingServer("ticketID", "the ticket is not in a queue");
    render(<ApolloProvider client={s.client}>{dialog()}</ApolloProvider>);
    send();
    expect((await screen.findByRole("alert")).textContent).toContain("the ticket is not in a queue");
    expect(screen.getByLabelText(label).getAttribute("aria-invalid")).not.toBe("true");
  });
});
