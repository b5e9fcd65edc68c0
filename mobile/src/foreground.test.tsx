import { PatientHomeDocument } from "@carequeue/graphql";
import { useQuery } from "@apollo/client/react";
import { act, waitFor } from "@testing-library/react-native";
import { AppState } from "react-native";

import { useForegroundResync } from "./foreground";
import { home, patientSession } from "./test/fixtures";
import { network } from "./test/nativeMocks";
import { renderScreen, testClient } from "./test/render";
import { fakeServer, fakeSockets } from "./test/server";

function Probe() {
  useForegroundResync();
  useQuery(PatientHomeDocument);
  return null;
}

async function setUp() {
  Object.defineProperty(AppState, "currentState", { value: "active", configurable: true });
  const server = fakeServer({ PatientHome: { data: home([]) } });
  const client = testClient(server, fakeSockets(), patientSession());
  client.reconnect = jest.fn();
  await renderScreen(<Probe />, { server, client });
  await waitFor(() => expect(server.calls("PatientHome")).toHaveLength(1));
  const onAppState = (AppState.addEventListener as jest.Mock).mock.calls.at(-1)![1] as (s: string) => void;
  const onNetwork = network.addNetworkStateListener.mock.calls.at(-1) as unknown as [(s: { isConnected: boolean | null; isInternetReachable: boolean | null }) => void];
  return { server, client, onAppState, onNetwork: onNetwork[0] };
}

describe("useForegroundResync", () => {
  it("reconnects and asks again when the app comes back to the foreground", async () => {
    const { server, client, onAppState } = await setUp();
    act(() => onAppState("background"));
    act(() => onAppState("active"));
    expect(client.reconnect).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(server.calls("PatientHome")).toHaveLength(2));
  });

  it("does nothing for a change that is not a return", async () => {
    const { client, onAppState } = await setUp();
    act(() => onAppState("active"));
    act(() => onAppState("inactive"));
    expect(client.reconnect).not.toHaveBeenCalled();
  });

  it("reconnects when the network comes back, not when it first reports", async () => {
    const { server, client, onNetwork } = await setUp();
    act(() => onNetwork({ isConnected: true, isInternetReachable: true }));
    expect(client.reconnect).not.toHaveBeenCalled();
    act(() => onNetwork({ isConnected: false, isInternetReachable: false }));
    act(() => onNetwork({ isConnected: true, isInternetReachable: null }));
    expect(client.reconnect).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(server.calls("PatientHome")).toHaveLength(2));
  });
});
