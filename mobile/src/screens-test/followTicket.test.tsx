import AsyncStorage from "@react-native-async-storage/async-storage";
import { act, fireEvent, screen, waitFor } from "@testing-library/react-native";
import { router } from "expo-router";

import FollowTicket from "../../app/t/[token]";
import { i18n } from "../i18n";
import { formatter } from "../i18n/format";
import en from "../i18n/en";
import es from "../i18n/es";
import { followedCache } from "../storage/ticketCache";
import { setParams } from "../test/expoRouter";
import { STATUS_TOKEN, publicStatus } from "../test/fixtures";
import { haptics } from "../test/nativeMocks";
import { renderScreen, settle } from "../test/render";
import { deferred } from "../test/deferred";
import { fakeServer, type Answer } from "../test/server";

const page = (status: ReturnType<typeof publicStatus> | null) => ({ data: { publicTicketStatus: status } });

beforeEach(() => setParams({ token: STATUS_TOKEN }));

describe("followed ticket (/t/<token>)", () => {
  it.each(["short", "has.dots.in.it.that.are.long", `${STATUS_TOKEN}/../x`, ""])("refuses the token %p", async (token) => {
    setParams({ token });
    const { server } = await renderScreen(<FollowTicket />);
    expect(screen.getByTestId("follow-invalid")).toHaveTextContent(en.follow.invalid, { exact: false });
    expect(server.requests).toEqual([]);
    fireEvent.press(screen.getByText(en.follow.title));
    expect(router.replace).toHaveBeenCalledWith("/follow");
  });

  it("shows the ticket's place in line", async () => {
    const server = fakeServer({ TicketStatusPage: page(publicStatus({ code: "B-042", position: 2, estimatedWait: { lowMinutes: 5, highMinutes: 8 } })) });
    await renderScreen(<FollowTicket />, { server });
    expect(await screen.findByTestId("ticket-B-042-wait")).toHaveTextContent("Number 2 in line · About 5–8 minutes");
    expect(server.calls("TicketStatusPage")[0]).toMatchObject({ variables: { token: STATUS_TOKEN }, authorization: null });
    expect(screen.queryByTestId("stale")).toBeNull();
  });

  it("says when the ticket cannot be found", async () => {
    await renderScreen(<FollowTicket />, { server: fakeServer({ TicketStatusPage: page(null) }) });
    expect(await screen.findByTestId("follow-error")).toHaveTextContent(en.follow.notFound);
    expect(screen.queryByText(en.common.retry)).toBeNull();
  });

  it("shows where to go when the ticket is called, with the alert", async () => {
    const server = fakeServer({ TicketStatusPage: page(publicStatus({ status: "CALLED", position: null, servicePointName: "Room 3" })) });
    await renderScreen(<FollowTicket />, { server });
    expect(await screen.findByTestId("called-room")).toHaveTextContent("Room 3");
    expect(screen.getByTestId("called")).toHaveTextContent(en.called.goTo, { exact: false });
    await waitFor(() => expect(haptics.notificationAsync).toHaveBeenCalledTimes(1));
  });

  it("says a visit has ended", async () => {
    await renderScreen(<FollowTicket />, { server: fakeServer({ TicketStatusPage: page(publicStatus({ status: "COMPLETED", position: null })) }) });
    expect(await screen.findByText(en.follow.ended)).toBeTruthy();
  });

  it("keeps the last state and shows it, marked stale, when offline", async () => {
    const savedAt = new Date("2025-03-04T10:42:00Z");
    await followedCache.save(STATUS_TOKEN, { code: "B-042", status: "WAITING", position: 5, estimatedWait: null, servicePointName: null, language: "en" }, savedAt);
    await renderScreen(<FollowTicket />, { server: fakeServer({ TicketStatusPage: { networkError: true } }) });
    const stale = await screen.findByTestId("stale");
    // The public page does not know the hospital: the phone's zone and the language's clock.
    expect(stale).toHaveTextContent(`Last updated ${formatter({ language: "en" }).time(savedAt)}`, { exact: false });
    expect(screen.getByTestId("ticket-B-042-wait")).toHaveTextContent("Number 5 in line · Not enough data yet to estimate the wait");
  });

  it("says what went wrong offline without a saved state, and tries again", async () => {
    const { server } = await renderScreen(<FollowTicket />, { server: fakeServer({ TicketStatusPage: { networkError: true } }) });
    expect(await screen.findByTestId("follow-error")).toHaveTextContent(en.common.network);
    server.on("TicketStatusPage", page(publicStatus({ code: "B-042" })));
    fireEvent.press(screen.getByText(en.common.retry));
    expect(await screen.findByTestId("ticket-B-042")).toBeTruthy();
  });

  it("saves what the server said for next time", async () => {
    await renderScreen(<FollowTicket />, { server: fakeServer({ TicketStatusPage: page(publicStatus({ code: "B-042", position: 2 })) }) });
    await screen.findByTestId("ticket-B-042");
    await waitFor(async () => expect((await followedCache.load(STATUS_TOKEN))?.value).toMatchObject({ code: "B-042", position: 2 }));
  });

  it("follows the live status and alerts when called", async () => {
    const { sockets } = await renderScreen(<FollowTicket />, { server: fakeServer({ TicketStatusPage: page(publicStatus({ code: "B-042", position: 1 })) }) });
    expect(await screen.findByTestId("ticket-B-042-wait")).toHaveTextContent(`${en.visits.next} · About 5–15 minutes`);
    await waitFor(() => expect(sockets.subscriptions()).toEqual([{ operationName: "TicketStatusChanged", variables: { token: STATUS_TOKEN } }]));
    const update = publicStatus({ code: "B-042", status: "CALLED", position: null, servicePointName: "Room 7" });
    const { nextToken: _, ...pushed } = update;
    act(() => void sockets.push("TicketStatusChanged", { token: STATUS_TOKEN }, { publicTicketStatus: pushed }));
    expect(await screen.findByTestId("called-room")).toHaveTextContent("Room 7");
    expect(haptics.notificationAsync).toHaveBeenCalledTimes(1);
  });

  it("moves on to the new token of a transferred ticket", async () => {
    const next = "ZyXwVuTsRqPoNmLkJiHgFeDc";
    await renderScreen(<FollowTicket />, { server: fakeServer({ TicketStatusPage: page(publicStatus({ status: "TRANSFERRED", position: null }, next)) }) });
    await waitFor(() => expect(router.replace).toHaveBeenCalledWith(`/t/${next}`));
  });

  it("asks again for the new token when a live update says the ticket was transferred", async () => {
    const next = "ZyXwVuTsRqPoNmLkJiHgFeDc";
    const { sockets, server } = await renderScreen(<FollowTicket />, { server: fakeServer({ TicketStatusPage: page(publicStatus({ code: "B-042" })) }) });
    await screen.findByTestId("ticket-B-042");
    await waitFor(() => expect(sockets.subscriptions()).toHaveLength(1));
    server.on("TicketStatusPage", page(publicStatus({ code: "B-042", status: "TRANSFERRED", position: null }, next)));
    const { nextToken: _, ...pushed } = publicStatus({ code: "B-042", status: "TRANSFERRED", position: null });
    act(() => void sockets.push("TicketStatusChanged", { token: STATUS_TOKEN }, { publicTicketStatus: pushed }));
    await waitFor(() => expect(router.replace).toHaveBeenCalledWith(`/t/${next}`));
    expect(server.calls("TicketStatusPage")).toHaveLength(2);
  });

  it("speaks the ticket's language", async () => {
    await renderScreen(<FollowTicket />, { server: fakeServer({ TicketStatusPage: page(null) }) });
    await screen.findByTestId("follow-error");
    const server = fakeServer({ TicketStatusPage: page(publicStatus({ code: "B-042", status: "COMPLETED", position: null, language: "es-ES" })) });
    screen.unmount();
    await renderScreen(<FollowTicket />, { server });
    expect(await screen.findByText(es.follow.ended)).toBeTruthy();
  });

  it("keeps the language the patient chose in Settings", async () => {
    await AsyncStorage.setItem("carequeue.preferences", JSON.stringify({ language: "en", notifications: true }));
    const answer = deferred<Answer>();
    await renderScreen(<FollowTicket />, { server: fakeServer({ TicketStatusPage: () => answer.promise }) });
    await settle(); // the preferences are read; then the server answers
    answer.resolve(page(publicStatus({ status: "COMPLETED", position: null, language: "es" })));
    await screen.findByTestId("follow");
    await settle();
    expect(i18n.language).toBe("en");
    expect(screen.getByText(en.follow.ended)).toBeTruthy();
  });

  it("takes a live update that arrives before the page's own answer", async () => {
    const answer = deferred<Answer>();
    const { sockets } = await renderScreen(<FollowTicket />, { server: fakeServer({ TicketStatusPage: () => answer.promise }) });
    await waitFor(() => expect(sockets.subscriptions()).toHaveLength(1));
    const { nextToken: _, ...pushed } = publicStatus({ code: "B-042", status: "CALLED", position: null, servicePointName: "Room 7" });
    act(() => void sockets.push("TicketStatusChanged", { token: STATUS_TOKEN }, { publicTicketStatus: pushed }));
    await settle();
    answer.resolve(page(publicStatus({ code: "B-042", status: "CALLED", position: null, servicePointName: "Room 7" })));
    expect(await screen.findByTestId("called-room")).toHaveTextContent("Room 7");
  });
});
