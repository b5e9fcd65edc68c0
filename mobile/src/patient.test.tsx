// The patient's provider: notification taps (local and FCM) lead to their ticket; push registration.
import { act, fireEvent, screen, waitFor } from "@testing-library/react-native";
import { router } from "expo-router";
import { Text } from "react-native";

import { usePatient } from "./patient";
import { STATUS_TOKEN, patientSession } from "./test/fixtures";
import { messaging, notifications } from "./test/nativeMocks";
import { renderScreen, settle } from "./test/render";
import { fakeServer } from "./test/server";

/** An installed build with FCM (push.ts reads this once per test file). */
messaging.getMessaging.mockImplementation(() => ({ app: "[DEFAULT]" }));

function SignOutButton() {
  const { signOut } = usePatient();
  return <Text onPress={() => void signOut()}>sign out</Text>;
}

const tap = (data: Record<string, unknown>) => ({ notification: { request: { content: { data } } } });

describe("notification taps", () => {
  it.each([
    [{ ticket_id: "TK01AAAAAAAAAA" }, "/ticket/TK01AAAAAAAAAA"],
    [{ status_token: STATUS_TOKEN }, `/t/${STATUS_TOKEN}`],
  ])("a tapped local notification %p opens %s", async (data, route) => {
    await renderScreen(<Text>app</Text>);
    const listener = notifications.addNotificationResponseReceivedListener.mock.calls.at(-1) as unknown as [(r: unknown) => void];
    act(() => listener[0](tap(data)));
    expect(router.push).toHaveBeenCalledWith(route);
  });

  it.each([[{}], [{ ticket_id: "javascript:alert(1)" }], [{ ticket_id: 7 }], [{ status_token: "../settings" }]])("a tap with %p goes nowhere", async (data) => {
    await renderScreen(<Text>app</Text>);
    const listener = notifications.addNotificationResponseReceivedListener.mock.calls.at(-1) as unknown as [(r: unknown) => void];
    act(() => listener[0](tap(data)));
    expect(router.push).not.toHaveBeenCalled();
  });

  it("a tapped push notification opens its ticket", async () => {
    await renderScreen(<Text>app</Text>);
    const [, opened] = messaging.onNotificationOpenedApp.mock.calls.at(-1)!;
    act(() => opened({ data: { ticket_id: "TK01AAAAAAAAAA" } }));
    expect(router.push).toHaveBeenCalledWith("/ticket/TK01AAAAAAAAAA");
  });

  it("the push that started the app opens its ticket", async () => {
    messaging.getInitialNotification.mockResolvedValueOnce({ data: { ticket_id: "TK01AAAAAAAAAA" } });
    await renderScreen(<Text>app</Text>);
    await waitFor(() => expect(router.push).toHaveBeenCalledWith("/ticket/TK01AAAAAAAAAA"));
  });

  it("stops listening when unmounted", async () => {
    const off = jest.fn();
    messaging.onNotificationOpenedApp.mockReturnValueOnce(off);
    const { unmount } = await renderScreen(<Text>app</Text>);
    const sub = notifications.addNotificationResponseReceivedListener.mock.results.at(-1)!.value as { remove: jest.Mock };
    unmount();
    expect(off).toHaveBeenCalled();
    expect(sub.remove).toHaveBeenCalled();
  });
});

describe("push registration", () => {
  it("registers this phone's token once signed in, and again when FCM rotates it", async () => {
    const server = fakeServer({ RegisterDevice: { data: { registerDevice: { __typename: "Device", id: "DV1" } } } });
    await renderScreen(<Text>app</Text>, { session: patientSession(), server });
    await waitFor(() => expect(server.calls("RegisterDevice")).toHaveLength(1));
    expect(server.calls("RegisterDevice")[0]!.variables).toEqual({ platform: "IOS", pushToken: "fcm-token" });

    const [, refreshed] = messaging.onTokenRefresh.mock.calls.at(-1) as unknown as [unknown, (t: string) => void];
    act(() => refreshed("fcm-token-2"));
    await waitFor(() => expect(server.calls("RegisterDevice")).toHaveLength(2));
    expect(server.calls("RegisterDevice")[1]!.variables).toEqual({ platform: "IOS", pushToken: "fcm-token-2" });
  });

  it("does not register signed out, or when permission is refused", async () => {
    const server = fakeServer();
    await renderScreen(<Text>app</Text>, { server });
    await settle();
    messaging.requestPermission.mockResolvedValueOnce(messaging.AuthorizationStatus.DENIED);
    await renderScreen(<Text>app</Text>, { session: patientSession(), server });
    await settle();
    expect(server.calls("RegisterDevice")).toEqual([]);
  });

  it("unregisters the token on sign-out", async () => {
    const server = fakeServer({
      RegisterDevice: { data: { registerDevice: { __typename: "Device", id: "DV1" } } },
      UnregisterDevice: { data: { unregisterDevice: true } },
      Logout: { data: { logout: true } },
    });
    await renderScreen(<SignOutButton />, { session: patientSession(), server });
    await waitFor(() => expect(server.calls("RegisterDevice")).toHaveLength(1));
    fireEvent.press(screen.getByText("sign out"));
    await waitFor(() => expect(server.calls("Logout")).toHaveLength(1));
    expect(server.calls("UnregisterDevice")[0]!.variables).toEqual({ pushToken: "fcm-token" });
    expect(messaging.deleteToken).toHaveBeenCalled();
    expect(server.requests.map((r) => r.operationName)).toEqual(["RegisterDevice", "UnregisterDevice", "Logout"]);
  });
});
