// Renders a screen the way the root layout does: a real CareQueue client (Apollo, session, socket)
// talking to a fake server, translations, the patient's state and safe areas.
import { CareQueueProvider, createCareQueueClient, memoryTokenStorage, type CareQueueClient, type StoredSession } from "@carequeue/graphql";
import { act, render, type RenderResult } from "@testing-library/react-native";
import type { ReactElement, ReactNode } from "react";
import { I18nextProvider } from "react-i18next";
import { SafeAreaProvider } from "react-native-safe-area-context";

import { initI18n } from "../i18n";
import { PatientProvider } from "../patient";
import { track } from "./clients";
import { fakeServer, fakeSockets, type FakeServer, type FakeSockets } from "./server";

const metrics = { frame: { x: 0, y: 0, width: 390, height: 844 }, insets: { top: 47, left: 0, right: 0, bottom: 34 } };

export interface Rendered extends RenderResult {
  client: CareQueueClient;
  server: FakeServer;
  sockets: FakeSockets;
}

/** A client on the fake server, signed in with `session` (null: signed out). */
export function testClient(server: FakeServer, sockets: FakeSockets, session: StoredSession | null) {
  const client = createCareQueueClient({
    httpUrl: "https://care.example.org/graphql",
    wsUrl: "wss://care.example.org/graphql",
    storage: memoryTokenStorage(session),
    fetch: server.fetch,
    webSocketImpl: sockets.WebSocket,
    keepAliveMs: 0,
  });
  return track(client);
}

/** Lets pending promises and zero-delay timers run, inside act (state updates land before asserting). */
export async function settle(times = 3): Promise<void> {
  for (let i = 0; i < times; i++) await act(() => new Promise<void>((r) => setTimeout(r, 0)));
}

/** Renders, then waits until the stored session and the preferences have been read. */
export async function renderScreen(
  ui: ReactElement,
  {
    server = fakeServer(),
    session = null,
    sockets = fakeSockets(),
    client = testClient(server, sockets, session),
  }: { server?: FakeServer; session?: StoredSession | null; sockets?: FakeSockets; client?: CareQueueClient } = {},
): Promise<Rendered> {
  const i18n = initI18n("en");
  const Wrapper = ({ children }: { children: ReactNode }) => (
    <SafeAreaProvider initialMetrics={metrics}>
      <CareQueueProvider client={client}>
        <I18nextProvider i18n={i18n}>
          <PatientProvider>{children}</PatientProvider>
        </I18nextProvider>
      </CareQueueProvider>
    </SafeAreaProvider>
  );
  const result = render(ui, { wrapper: Wrapper });
  await act(() => client.session.ready);
  await settle();
  return Object.assign(result, { client, server, sockets });
}
