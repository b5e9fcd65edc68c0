import { PatientHomeDocument, PatientTicketLive_TicketFragmentDoc } from "@carequeue/graphql";
import { act, fireEvent, screen, waitFor } from "@testing-library/react-native";
import { router } from "expo-router";

import Called from "../../app/called/[id]";
import en from "../i18n/en";
import { setParams } from "../test/expoRouter";
import { home, patientSession, ticket, ticketNode } from "../test/fixtures";
import { renderScreen, settle } from "../test/render";
import { fakeServer } from "../test/server";

const session = patientSession();
const ID = "TK01AAAAAAAAAA";
const called = ticket({ id: ID, code: "A-017", status: "CALLED", position: null, servicePoint: { id: "SP3", name: "Room 3" } });

beforeEach(() => setParams({ id: ID }));

describe("called", () => {
  it("says where to go, from what the app already knows", async () => {
    // The home query (LiveTickets) has the called ticket; the network is gone since.
    const server = fakeServer({ PatientHome: { data: home([called]) }, PatientTicket: { networkError: true } });
    const r = await renderScreen(<Called />, { session, server });
    await act(() => r.client.apollo.query({ query: PatientHomeDocument }));
    expect(await screen.findByTestId("called-room")).toHaveTextContent("Room 3");
    expect(screen.getByText(en.called.goTo)).toBeTruthy();
    expect(screen.getByText("Ticket A-017")).toBeTruthy();
  });

  it("asks the server when the app knows nothing yet", async () => {
    const server = fakeServer({ PatientTicket: { data: ticketNode(called) } });
    await renderScreen(<Called />, { session, server });
    expect(await screen.findByTestId("called-room")).toHaveTextContent("Room 3");
    expect(server.calls("PatientTicket")[0]!.variables).toEqual({ id: ID });
  });

  it("does not send the patient to the desk while it is still finding out", async () => {
    const server = fakeServer({ PatientTicket: () => new Promise(() => undefined) });
    await renderScreen(<Called />, { session, server });
    expect(screen.getByText(en.called.title)).toBeTruthy();
    expect(screen.queryByText(en.called.noRoom)).toBeNull();
  });

  it("sends the patient to the desk when there is no room", async () => {
    const server = fakeServer({ PatientTicket: { data: ticketNode({ ...called, servicePoint: null }) } });
    await renderScreen(<Called />, { session, server });
    expect(await screen.findByText(en.called.noRoom)).toBeTruthy();
    expect(screen.queryByTestId("called-room")).toBeNull();
  });

  it("closes itself when the ticket is no longer called", async () => {
    const server = fakeServer({ PatientTicket: { data: ticketNode({ ...called, status: "IN_SERVICE" }) } });
    (router.canGoBack as jest.Mock).mockReturnValueOnce(true);
    await renderScreen(<Called />, { session, server });
    await waitFor(() => expect(router.back).toHaveBeenCalled());
  });

  it("goes to my visits when there is nothing to go back to", async () => {
    const server = fakeServer({ PatientTicket: { data: ticketNode({ ...called, status: "COMPLETED" }) } });
    await renderScreen(<Called />, { session, server });
    await waitFor(() => expect(router.replace).toHaveBeenCalledWith("/visits"));
    expect(router.back).not.toHaveBeenCalled();
  });

  it("closes once when the live update says the patient is being seen", async () => {
    const server = fakeServer({ PatientTicket: { data: ticketNode(called) } });
    const r = await renderScreen(<Called />, { session, server });
    await screen.findByTestId("called-room");
    const beingSeen = { ...called, status: "IN_SERVICE" as const, startedAt: "2025-03-04T10:50:00Z" };
    act(() => {
      r.client.apollo.cache.writeFragment({ fragment: PatientTicketLive_TicketFragmentDoc, id: `Ticket:${ID}`, data: beingSeen });
    });
    await waitFor(() => expect(router.replace).toHaveBeenCalledWith("/visits"));
    r.rerender(<Called />); // any later render (a language change, a new session) must not close it again
    await settle();
    expect(router.replace).toHaveBeenCalledTimes(1);
  });

  it("closes when the patient says they are on their way", async () => {
    const server = fakeServer({ PatientTicket: { data: ticketNode(called) } });
    await renderScreen(<Called />, { session, server });
    await screen.findByTestId("called-room");
    fireEvent.press(screen.getByTestId("called-ok"));
    expect(router.replace).toHaveBeenCalledWith("/visits");
    expect(router.replace).toHaveBeenCalledTimes(1);
  });
});
