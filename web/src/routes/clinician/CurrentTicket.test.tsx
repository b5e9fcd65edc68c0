// The clinician's completion note: a note the server refuses is shown (and focused) on the note field,
// not only in the error notice.
import { ApolloProvider } from "@apollo/client/react";
import { makeFragmentData } from "@carequeue/graphql";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { CurrentTicket_TicketFragmentDoc } from "../../generated/graphql";
import { describedTexts, refusingServer } from "../../test/refusing";
import { CurrentTicket } from "./CurrentTicket";

const inService = makeFragmentData(
  {
    __typename: "Ticket",
    id: "TK1",
    code: "C-001",
    status: "IN_SERVICE",
    triageLevel: "STANDARD",
    queueID: "QU1",
    calledAt: new Date().toISOString(),
    startedAt: new Date().toISOString(),
    recallCount: 0,
    note: null,
    patient: { __typename: "Patient", id: "PA1", givenName: "Grace", familyName: "Adeyemi", dateOfBirth: null },
    servicePoint: { __typename: "ServicePoint", id: "SP1", name: "Room 1" },
  },
  CurrentTicket_TicketFragmentDoc,
);

describe("CurrentTicket", () => {
  it("ShowsARefusedCompletionNoteOnTheNoteField", async () => {
    const message = "note must be at most 2000 characters";
    const s = refusingServer("note", message);
    render(
      <ApolloProvider client={s.client}>
        <CurrentTicket ticket={inService} transferTargets={[]} />
      </ApolloProvider>,
    );
    const note = screen.getByLabelText(/note/i);
    fireEvent.change(note, { target: { value: "x".repeat(300) } });
    fireEvent.click(screen.getByRole("button", { name: "Complete" }));
    await waitFor(() => expect(note.getAttribute("aria-invalid")).toBe("true"));
    expect(describedTexts(note)).toContain(message);
    await waitFor(() => expect(document.activeElement).toBe(note)); // the focus follows the render that marks the field
    expect(screen.queryByRole("alert")).toBeNull();
    expect(s.requests).toHaveLength(1);
  });
});
