import { fireEvent, screen, waitFor, within } from "@testing-library/react-native";
import { router } from "expo-router";

import Visits from "../../app/visits";
import en from "../i18n/en";
import es from "../i18n/es";
import { homeCache } from "../storage/ticketCache";
import { deferred } from "../test/deferred";
import { home, patientSession, ticket } from "../test/fixtures";
import { renderScreen } from "../test/render";
import { fakeServer, type Answer } from "../test/server";

const session = patientSession();

describe("visits", () => {
  it("shows loading until the server answers", async () => {
    const answer = deferred<Answer>();
    await renderScreen(<Visits />, { session, server: fakeServer({ PatientHome: () => answer.promise }) });
    expect(screen.getByText(en.common.loading)).toBeTruthy();
    answer.resolve({ data: home([]) });
    expect(await screen.findByTestId("visits-empty")).toHaveTextContent(en.visits.empty);
    expect(screen.queryByText(en.common.loading)).toBeNull();
  });

  it("says when there are no open visits", async () => {
    await renderScreen(<Visits />, { session, server: fakeServer({ PatientHome: { data: home([]) } }) });
    expect(await screen.findByTestId("visits-empty")).toBeTruthy();
    expect(screen.queryByTestId("stale")).toBeNull();
    expect(screen.queryByTestId("visits-error")).toBeNull();
  });

  it("shows each open ticket with its wait in words", async () => {
    const tickets = [
      ticket({ id: "TK01AAAAAAAAAA", code: "A-001", position: 1, estimatedWait: { lowMinutes: 0, highMinutes: 0 } }),
      ticket({ id: "TK01BBBBBBBBBB", code: "B-002", position: 4, estimatedWait: { lowMinutes: 18, highMinutes: 34 } }),
      ticket({ id: "TK01CCCCCCCCCC", code: "C-003", status: "IN_SERVICE", position: null }),
    ];
    await renderScreen(<Visits />, { session, server: fakeServer({ PatientHome: { data: home(tickets) } }) });
    expect(await screen.findByTestId("ticket-A-001-wait")).toHaveTextContent("You're next · About to be called");
    expect(screen.getByTestId("ticket-B-002-wait")).toHaveTextContent("Number 4 in line · About 15–35 minutes");
    expect(screen.getByTestId("ticket-C-003-wait")).toHaveTextContent(en.visits.inService);
    expect(within(screen.getByTestId("ticket-B-002")).getByText("Blood tests · St Mary's")).toBeTruthy();
    expect(screen.getByTestId("link:/ticket/TK01BBBBBBBBBB")).toBeTruthy();
    expect(screen.queryByTestId("visits-empty")).toBeNull();
  });

  it("saves what the server said for next time", async () => {
    const data = home([ticket()]);
    await renderScreen(<Visits />, { session, server: fakeServer({ PatientHome: { data } }) });
    await screen.findByTestId("ticket-A-017");
    await waitFor(async () => expect((await homeCache.load("US01PATIENT"))?.value).toEqual(data));
  });

  it("shows the saved tickets, marked stale, while offline", async () => {
    const savedAt = new Date("2025-03-04T10:42:00Z");
    await homeCache.save(session.user.id, home([ticket({ code: "A-017", position: 2, estimatedWait: null })]), savedAt);
    await renderScreen(<Visits />, { session, server: fakeServer({ PatientHome: { networkError: true } }) });
    const stale = await screen.findByTestId("stale");
    expect(stale).toHaveTextContent(en.common.offline, { exact: false });
    // The tickets' hospital is in London (en-GB): its clock, whatever the phone's zone.
    expect(stale).toHaveTextContent("Last updated 10:42", { exact: false });
    expect(screen.getByTestId("ticket-A-017-wait")).toHaveTextContent("Number 2 in line · Not enough data yet to estimate the wait");
    expect(screen.queryByTestId("visits-error")).toBeNull();
  });

  it("shows the saved tickets at once on start without claiming to be offline", async () => {
    await homeCache.save(session.user.id, home([ticket({ code: "A-017", position: 2, estimatedWait: null })]));
    const answer = deferred<Answer>();
    await renderScreen(<Visits />, { session, server: fakeServer({ PatientHome: () => answer.promise }) });
    expect(await screen.findByTestId("ticket-A-017-wait")).toHaveTextContent("Number 2 in line · Not enough data yet to estimate the wait");
    expect(screen.queryByTestId("stale")).toBeNull();
    expect(screen.queryByText(en.common.loading)).toBeNull();
    answer.resolve({ data: home([ticket({ code: "A-017", position: 1 })]) });
    await waitFor(() => expect(screen.getByTestId("ticket-A-017-wait")).toHaveTextContent("You're next · About 8–20 minutes"));
  });

  it("says what went wrong without a saved copy, and tries again", async () => {
    const { server } = await renderScreen(<Visits />, { session, server: fakeServer({ PatientHome: { networkError: true } }) });
    expect(await screen.findByTestId("visits-error")).toHaveTextContent(en.common.network);
    expect(screen.queryByTestId("visits-empty")).toBeNull();
    server.on("PatientHome", { data: home([ticket({ code: "A-017" })]) });
    fireEvent.press(screen.getByText(en.common.retry));
    expect(await screen.findByTestId("ticket-A-017")).toBeTruthy();
    await waitFor(() => expect(screen.queryByTestId("visits-error")).toBeNull());
  });

  it("speaks the language of the patient's record", async () => {
    await renderScreen(<Visits />, { session, server: fakeServer({ PatientHome: { data: home([], "es") } }) });
    expect(await screen.findByText(es.visits.empty)).toBeTruthy();
  });

  it("leads to settings", async () => {
    await renderScreen(<Visits />, { session, server: fakeServer({ PatientHome: { data: home([]) } }) });
    fireEvent.press(screen.getByTestId("go-settings"));
    expect(router.push).toHaveBeenCalledWith("/settings");
  });
});
