import { fireEvent, screen, waitFor } from "@testing-library/react-native";

import History from "../../app/history";
import en from "../i18n/en";
import { patientSession, ticket } from "../test/fixtures";
import { renderScreen } from "../test/render";
import { fakeServer } from "../test/server";
import { PatientTicket_TicketFragmentDoc, makeFragmentData } from "@carequeue/graphql";

const session = patientSession();

function page(tickets: ReturnType<typeof ticket>[], endCursor: string | null = null) {
  return {
    data: {
      tickets: {
        __typename: "TicketConnection",
        edges: tickets.map((t) => ({ __typename: "TicketEdge", node: makeFragmentData(t, PatientTicket_TicketFragmentDoc) })),
        pageInfo: { __typename: "PageInfo", hasNextPage: endCursor !== null, endCursor },
      },
    },
  };
}

describe("history", () => {

  it("writes each visit's date and time as its hospital does, not as the phone does", async () => {
    // A phone in Los Angeles (jest.config.js) visiting a London hospital.
    expect(new Date("2025-07-04T16:30:00Z").getTimezoneOffset()).toBe(7 * 60);
    // 17:30 in London, 09:30 in Los Angeles.
    const past = ticket({ id: "TK01AAAAAAAAAA", code: "A-001", status: "COMPLETED", position: null, checkedInAt: "2025-07-04T16:30:00Z" });
    await renderScreen(<History />, { session, server: fakeServer({ PatientHistory: page([past]) }) });
    expect(await screen.findByTestId("history-A-001")).toHaveTextContent("St Mary's · 4 July 2025 17:30", { exact: false });
  });

  it("says when there are no past visits", async () => {
    await renderScreen(<History />, { session, server: fakeServer({ PatientHistory: page([]) }) });
    expect(await screen.findByText(en.history.empty)).toBeTruthy();
  });

  it("lists past visits and shows more", async () => {
    const server = fakeServer({
      PatientHistory: (v) =>
        v.after === "c1"
          ? page([ticket({ id: "TK01BBBBBBBBBB", code: "B-002", status: "NO_SHOW", position: null })])
          : page([ticket({ id: "TK01AAAAAAAAAA", code: "A-001", status: "COMPLETED", position: null })], "c1"),
    });
    await renderScreen(<History />, { session, server });
    expect(await screen.findByTestId("history-A-001-wait")).toHaveTextContent(en.status.COMPLETED);
    fireEvent.press(screen.getByText(en.history.more));
    expect(await screen.findByTestId("history-B-002-wait")).toHaveTextContent(en.status.NO_SHOW);
    expect(screen.getByTestId("history-A-001")).toBeTruthy();
    await waitFor(() => expect(screen.queryByText(en.history.more)).toBeNull());
    expect(server.calls("PatientHistory").map((r) => r.variables)).toEqual([{}, { after: "c1" }]);
  });

  it("says what went wrong", async () => {
    await renderScreen(<History />, { session, server: fakeServer({ PatientHistory: { networkError: true } }) });
    expect(await screen.findByText(en.common.network)).toBeTruthy();
    expect(screen.queryByText(en.history.empty)).toBeNull();
  });
});
