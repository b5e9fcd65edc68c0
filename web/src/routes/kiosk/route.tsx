// /kiosk: the self check-in touch screen in the hospital entrance. Full screen, no staff shell. It is
// signed in once with a KIOSK account and stays signed in (the session renews itself with its refresh
// token; the queue list is re-read every few minutes, which also keeps the session in use). Owns the
// KioskPage query; the flow itself is KioskFlow.
import { nodes, useSession } from "@carequeue/graphql";
import { useQuery } from "@apollo/client/react";
import { useTranslation } from "react-i18next";
import { Navigate } from "react-router";

import { KioskPageDocument } from "../../generated/graphql";
import { FormatProvider } from "../../i18n/useFormat";
import { Button } from "../../ui/Button";
import { Loading } from "../../ui/Spinner";
import { usePageTitle } from "../../ui/usePageTitle";
import { KioskFlow } from "./KioskFlow";

/** How often the kiosk re-reads its queues (an admin may open or close one). */
const QUEUES_REFRESH_MS = 5 * 60_000;

export function Component() {
  const { t } = useTranslation();
  usePageTitle(t("kiosk.title"));
  const { session, ready, signOut } = useSession();
  if (!ready) return <Loading />;
  if (!session) return <Navigate to={`/login?next=${encodeURIComponent("/kiosk")}`} replace />;
  if (session.user.role !== "KIOSK") {
    return (
      <main className="mx-auto max-w-lg p-8">
        <h1 className="mb-2 text-xl font-semibold">{t("kiosk.notKiosk.title")}</h1>
        <p className="mb-4 text-slate-700">{t("kiosk.notKiosk.body")}</p>
        <Button onClick={() => void signOut()}>{t("shell.signOut")}</Button>
      </main>
    );
  }
  return <Kiosk />;
}

function Kiosk() {
  const { data, loading, error, refetch } = useQuery(KioskPageDocument, { pollInterval: QUEUES_REFRESH_MS, notifyOnNetworkStatusChange: false });
  const facility = nodes(data?.facilities)[0];
  return (
    <FormatProvider locale={facility?.locale} timeZone={facility?.timezone}>
      <KioskFlow
        queues={nodes(data?.queues)}
        queuesLoading={loading && !data}
        queuesError={error && !data ? error : undefined}
        onRetryQueues={() => void refetch()}
      />
    </FormatProvider>
  );
}
