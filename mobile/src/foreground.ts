// Phones suspend apps and kill their sockets in the background: when the app comes back to the
// foreground, or the network returns, the socket reconnects (with a fresh token) and every screen's
// query is asked again, so nothing shown is older than the moment the patient looks.
import { useCareQueue } from "@carequeue/graphql";
import { addNetworkStateListener } from "expo-network";
import { useEffect, useRef } from "react";
import { AppState, type AppStateStatus } from "react-native";

export function useForegroundResync(): void {
  const { apollo, reconnect } = useCareQueue();
  const last = useRef<AppStateStatus>(AppState.currentState);
  const online = useRef<boolean | null>(null);

  useEffect(() => {
    const resync = () => {
      reconnect();
      void apollo.refetchQueries({ include: "active" }).catch(() => undefined);
    };
    const app = AppState.addEventListener("change", (next) => {
      const wasAway = last.current !== "active";
      last.current = next;
      if (next === "active" && wasAway) resync();
    });
    let net: { remove(): void } | undefined;
    try {
      net = addNetworkStateListener((s) => {
        const now = s.isConnected !== false && s.isInternetReachable !== false;
        if (online.current === false && now) resync();
        online.current = now;
      });
    } catch {
      net = undefined; // no network module (tests, some browsers): the socket's own retry still works
    }
    return () => {
      app.remove();
      net?.remove();
    };
  }, [apollo, reconnect]);
}
