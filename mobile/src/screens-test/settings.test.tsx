import AsyncStorage from "@react-native-async-storage/async-storage";
import { fireEvent, screen, waitFor } from "@testing-library/react-native";
import { router } from "expo-router";

import Settings from "../../app/settings";
import { i18n } from "../i18n";
import en from "../i18n/en";
import es from "../i18n/es";
import { followedCache, homeCache } from "../storage/ticketCache";
import { home, patientSession } from "../test/fixtures";
import { backgroundTask, taskManager } from "../test/nativeMocks";
import { renderScreen } from "../test/render";
import { fakeServer } from "../test/server";

const session = patientSession();
const savedPreferences = async () => JSON.parse((await AsyncStorage.getItem("carequeue.preferences")) ?? "null");

describe("settings", () => {
  it("says who is signed in, in English by default", async () => {
    await renderScreen(<Settings />, { session });
    expect(screen.getByText("Signed in as Ana García")).toBeTruthy();
    expect(screen.getByTestId("language-en")).toBeChecked();
    expect(screen.getByText(en.settings.notificationsUnavailable)).toBeTruthy(); // no FCM in this build
  });

  it("switches the app to Spanish and remembers it", async () => {
    await renderScreen(<Settings />, { session });
    fireEvent.press(screen.getByTestId("language-es"));
    expect(await screen.findByText(es.settings.title)).toBeTruthy();
    expect(i18n.language).toBe("es");
    expect(screen.getByTestId("language-es")).toBeChecked();
    await waitFor(async () => expect(await savedPreferences()).toEqual({ language: "es", notifications: true }));
  });

  it("starts in the language chosen before", async () => {
    await AsyncStorage.setItem("carequeue.preferences", JSON.stringify({ language: "fr", notifications: true }));
    await renderScreen(<Settings />, { session });
    expect(await screen.findByTestId("language-fr")).toBeChecked();
    expect(i18n.language).toBe("fr");
  });

  it("turns notifications and the background refresh off", async () => {
    await renderScreen(<Settings />, { session });
    await waitFor(() => expect(backgroundTask.registerTaskAsync).toHaveBeenCalledWith("carequeue.refresh-tickets", { minimumInterval: 15 }));
    taskManager.isTaskRegisteredAsync.mockResolvedValue(true);
    fireEvent(screen.getByTestId("notifications"), "valueChange", false);
    await waitFor(() => expect(backgroundTask.unregisterTaskAsync).toHaveBeenCalledWith("carequeue.refresh-tickets"));
    expect(await savedPreferences()).toEqual({ language: null, notifications: false });
    expect(screen.getByTestId("notifications").props.value).toBe(false);
    taskManager.isTaskRegisteredAsync.mockResolvedValue(false);
  });

  it("signs out: tells the server, forgets the session and everything stored", async () => {
    await homeCache.save(session.user.id, home([]));
    await followedCache.save("AbCdEfGhIjKlMnOpQrStUv_-", {});
    await AsyncStorage.setItem("carequeue.preferences", JSON.stringify({ language: null, notifications: false }));
    const server = fakeServer({ Logout: { data: { logout: true } } });
    const { client } = await renderScreen(<Settings />, { session, server });

    fireEvent.press(screen.getByTestId("sign-out"));

    await waitFor(() => expect(router.replace).toHaveBeenCalledWith("/sign-in"));
    expect(server.calls("Logout")).toEqual([{ operationName: "Logout", variables: { refreshToken: "refresh-1" }, authorization: "Bearer access-1" }]);
    expect(client.session.current()).toBeNull();
    expect(await homeCache.load(session.user.id)).toBeNull();
    expect(await followedCache.load("AbCdEfGhIjKlMnOpQrStUv_-")).toBeNull();
    expect(await AsyncStorage.getItem("carequeue.preferences")).not.toBeNull(); // the device's choices stay
  });

  it("signs out offline too", async () => {
    const server = fakeServer({ Logout: { networkError: true } });
    const { client } = await renderScreen(<Settings />, { session, server });
    fireEvent.press(screen.getByTestId("sign-out"));
    await waitFor(() => expect(router.replace).toHaveBeenCalledWith("/sign-in"));
    expect(client.session.current()).toBeNull();
  });
});
