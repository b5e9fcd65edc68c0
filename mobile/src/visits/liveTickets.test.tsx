import { act, waitFor } from "@testing-library/react-native";
import { router } from "expo-router";

import { home, patientSession, ticket } from "../test/fixtures";
import { haptics } from "../test/nativeMocks";
import { renderScreen, settle } from "../test/render";
import { fakeServer, type FakeSockets } from "../test/server";
import { LiveTickets } from "./home";

const session = patientSession();
const ID = "TK01AAAAAAAAAA";

/** What the server pushes on PatientTicketChanged (the live fragment). */
function change(over: Parameters<typeof ticket>[0], version = 2) {
  const { id, status, position, estimatedWait, calledAt, startedAt, endedAt, recallCount, servicePoint } = ticket({ id: ID, ...over });
  return {
    ticketChanged: {
      __typename: "TicketUpdate",
      version,
      ticket: { __typename: "Ticket", id, status, position, estimatedWait, calledAt, startedAt, endedAt, recallCount, servicePoint },
    },
  };
}

async function watching(tickets = [ticket({ id: ID })]) {
  const server = fakeServer({ PatientHome: { data: home(tickets) } });
  const r = await renderScreen(<LiveTickets />, { session, server });
  await waitFor(() => expect(r.sockets.subscriptions()).toContainEqual({ operationName: "PatientTicketChanged", variables: { ticketID: ID } }));
  return r;
}

async function push(sockets: FakeSockets, data: ReturnType<typeof change>) {
  act(() => void sockets.push("PatientTicketChanged", { ticketID: ID }, data));
  await settle();
}

describe("LiveTickets", () => {
  it("subscribes to each open ticket only", async () => {
    const { sockets } = await watching([ticket({ id: ID }), ticket({ id: "TK01BBBBBBBBBB", code: "B-1", status: "IN_SERVICE" })]);
    await waitFor(() => expect(sockets.subscriptions()).toHaveLength(2));
    expect(sockets.subscriptions().map((s) => s.variables.ticketID).sort()).toEqual([ID, "TK01BBBBBBBBBB"]);
  });

  it("opens the called screen once, with the alert, when the ticket is called", async () => {
    const { sockets } = await watching();
    const calledNow = change({ status: "CALLED", position: null, calledAt: "2025-03-04T10:45:00Z", servicePoint: { id: "SP3", name: "Room 3" } });
    await push(sockets, calledNow);
    expect(router.push).toHaveBeenCalledWith(`/called/${ID}`);
    expect(haptics.notificationAsync).toHaveBeenCalledTimes(1);

    await push(sockets, { ...calledNow, ticketChanged: { ...calledNow.ticketChanged, version: 3 } }); // the same call again
    expect(router.push).toHaveBeenCalledTimes(1);
  });

  it("alerts again when the patient is recalled", async () => {
    const { sockets } = await watching();
    await push(sockets, change({ status: "CALLED", position: null, servicePoint: { id: "SP3", name: "Room 3" } }));
    await push(sockets, change({ status: "CALLED", position: null, recallCount: 1, servicePoint: { id: "SP3", name: "Room 3" } }, 3));
    expect(router.push).toHaveBeenCalledTimes(2);
  });

  it("does not open it for a move in line", async () => {
    const { sockets } = await watching();
    await push(sockets, change({ position: 2, estimatedWait: { lowMinutes: 2, highMinutes: 5 } }));
    expect(router.push).not.toHaveBeenCalled();
  });

  it("reads the list again when a ticket ends", async () => {
    const { sockets, server } = await watching();
    expect(server.calls("PatientHome")).toHaveLength(1);
    server.on("PatientHome", { data: home([]) });
    await push(sockets, change({ status: "COMPLETED", position: null }));
    await waitFor(() => expect(server.calls("PatientHome")).toHaveLength(2));
    await waitFor(() => expect(sockets.subscriptions()).toEqual([]));
  });

  it("reads the list again once when a ticket's subscription is refused", async () => {
    const { sockets, server } = await watching();
    act(() => void sockets.fail("PatientTicketChanged", { ticketID: ID }, "FORBIDDEN"));
    await waitFor(() => expect(server.calls("PatientHome")).toHaveLength(2));
    await settle(10);
    expect(server.calls("PatientHome")).toHaveLength(2);
  });

  it("opens the called screen once for a ticket already called when the app opens", async () => {
    const server = fakeServer({ PatientHome: { data: home([ticket({ id: ID, status: "CALLED", position: null })]) } });
    await renderScreen(<LiveTickets />, { session, server });
    await waitFor(() => expect(router.push).toHaveBeenCalledWith(`/called/${ID}`));
    await settle();
    expect(router.push).toHaveBeenCalledTimes(1);
  });

  it("watches nothing signed out", async () => {
    const { server, sockets } = await renderScreen(<LiveTickets />, { session: null });
    await settle();
    expect(server.requests).toEqual([]);
    expect(sockets.subscriptions()).toEqual([]);
  });
});
