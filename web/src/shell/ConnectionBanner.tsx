import { useConnectionStatus } from "@carequeue/graphql";
import { useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";

import { OfflineStatus } from "../offline/OfflineStatus";

function subscribeOnline(listener: () => void) {
  window.addEventListener("online", listener);
  window.addEventListener("offline", listener);
  return () => {
    window.removeEventListener("online", listener);
    window.removeEventListener("offline", listener);
  };
}

/** Whether the browser believes it is online. */
export function useOnline(): boolean {
  return useSyncExternalStore(subscribeOnline, () => navigator.onLine);
}

/**
 * Says when live data may be stale (the browser is offline, or the socket is reconnecting), how many
 * actions wait in the offline queue, and which ones the server refused when they were replayed.
 */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const online = useOnline();
  const status = useConnectionStatus();
  const message = !online ? t("shell.connection.offline") : status === "reconnecting" ? t("shell.connection.reconnecting") : null;
  return (
    <>
      <div role="status" aria-live="polite">
        {message && <p className="bg-amber-100 px-4 py-2 text-center text-sm font-medium text-amber-950">{message}</p>}
      </div>
      <OfflineStatus online={online} />
    </>
  );
}
