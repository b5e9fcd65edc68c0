import { screen, waitFor } from "@testing-library/react-native";
import { router } from "expo-router";

import TicketScreen from "../../app/ticket/[id]";
import en from "../i18n/en";
import { setParams } from "../test/expoRouter";
import { patientSession, ticket, ticketNode } from "../test/fixtures";
import { renderScreen, settle } from "../test/render";
import { fakeServer, gqlError } from "../test/server";

const session = patientSession();
const ID = "TK01AAAAAAAAAA";

beforeEach(() => setParams({ id: ID }));

describe("ticket", () => {
  it("shows the patient's ticket", async () => {
    const server = fakeServer({ PatientTicket: { data: ticketNode(ticket({ id: ID, code: "A-017", position: 4, estimatedWait: { lowMinutes: 5, highMinutes: 9 } })) } });
    await renderScreen(<TicketScreen />, { session, server });
    expect(await screen.findByTestId("ticket-A-017-wait")).toHaveTextContent("Number 4 in line · About 5–9 minutes");
    expect(screen.getByText("Blood tests · Outpatients")).toBeTruthy();
    expect(server.calls("PatientTicket")[0]).toMatchObject({ variables: { id: ID }, authorization: "Bearer access-1" });
  });

  it("says so when the ticket is someone else's", async () => {
    await renderScreen(<TicketScreen />, { session, server: fakeServer({ PatientTicket: gqlError("FORBIDDEN") }) });
    expect(await screen.findByTestId("ticket-error")).toHaveTextContent(en.ticket.notYours);
  });

  it("says so when the ticket does not exist", async () => {
    await renderScreen(<TicketScreen />, { session, server: fakeServer({ PatientTicket: gqlError("NOT_FOUND") }) });
    expect(await screen.findByTestId("ticket-error")).toHaveTextContent(en.ticket.notFound);
  });

  it("treats a null node as not found", async () => {
    await renderScreen(<TicketScreen />, { session, server: fakeServer({ PatientTicket: { data: ticketNode(null) } }) });
    expect(await screen.findByTestId("ticket-error")).toHaveTextContent(en.ticket.notFound);
  });

  it("says when the server cannot be reached", async () => {
    await renderScreen(<TicketScreen />, { session, server: fakeServer({ PatientTicket: { networkError: true } }) });
    expect(await screen.findByTestId("ticket-error")).toHaveTextContent(en.common.network);
  });

  it("leads on to the ticket a transferred one became", async () => {
    const moved = ticket({ id: ID, status: "TRANSFERRED", position: null, next: { id: "TK01BBBBBBBBBB", code: "X-001" } });
    await renderScreen(<TicketScreen />, { session, server: fakeServer({ PatientTicket: { data: ticketNode(moved) } }) });
    await waitFor(() => expect(router.replace).toHaveBeenCalledWith("/ticket/TK01BBBBBBBBBB"));
    await settle();
    expect(router.replace).toHaveBeenCalledTimes(1);
  });

  it("stays on a transferred ticket without a successor", async () => {
    const moved = ticket({ id: ID, code: "A-017", status: "TRANSFERRED", position: null });
    await renderScreen(<TicketScreen />, { session, server: fakeServer({ PatientTicket: { data: ticketNode(moved) } }) });
    expect(await screen.findByTestId("ticket-A-017-wait")).toHaveTextContent(en.status.TRANSFERRED);
    expect(router.replace).not.toHaveBeenCalled();
  });
});
