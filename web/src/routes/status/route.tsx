// /t/:token (the link in the SMS): one patient's ticket, live, without signing in.
// Codes and places only; the token is the secret. The query loads it over HTTP, subscribeToMore
// keeps it current (PublicTicketStatus has no id to normalise on).
import {
  TicketStatusChangedDocument,
  TicketStatusPageDocument,
  TicketStatus_StatusFragmentDoc,
  getFragmentData,
  useConnectionStatus,
  type TicketStatus_StatusFragment,
} from "@carequeue/graphql";
import { useQuery } from "@apollo/client/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";

import { useFollowLanguage } from "../../i18n";
import { LanguageSwitch } from "../../shell/LanguageSwitch";
import { ErrorNotice } from "../../ui/ErrorNotice";
import { PatientWait } from "../../ui/PatientWait";
import { Loading } from "../../ui/Spinner";
import { usePageTitle } from "../../ui/usePageTitle";

export function Component() {
  const { t } = useTranslation();
  usePageTitle(t("status.title"));
  const { token = "" } = useParams();
  const connection = useConnectionStatus();
  const { data, loading, error, refetch, subscribeToMore } = useQuery(TicketStatusPageDocument, { variables: { token } });

  // Live once the ticket is known (an unknown token has nothing to watch). The socket reconnects and
  // resubscribes by itself; the page keeps the last status meanwhile and says it is reconnecting.
  const found = !!data?.publicTicketStatus;
  useEffect(() => {
    if (!found) return;
    return subscribeToMore({
      document: TicketStatusChangedDocument,
      variables: { token },
      // The subscription carries no nextToken; keep the query's until it is asked again.
      updateQuery: (prev, { subscriptionData }) =>
        subscriptionData.data
          ? {
              publicTicketStatus: {
                ...subscriptionData.data.publicTicketStatus,
                nextToken: prev?.publicTicketStatus?.nextToken ?? null,
              },
            }
          : undefined,
      onError: () => undefined,
    });
  }, [found, subscribeToMore, token]);

  const status = data?.publicTicketStatus ? getFragmentData(TicketStatus_StatusFragmentDoc, data.publicTicketStatus) : null;
  // A transferred ticket: ask once more for the token of the ticket it became, then follow it there.
  const transferred = status?.status === "TRANSFERRED";
  const nextToken = data?.publicTicketStatus?.nextToken;
  const navigate = useNavigate();
  useEffect(() => {
    if (transferred && !nextToken) void refetch().catch(() => undefined);
  }, [transferred, nextToken, refetch]);
  useEffect(() => {
    if (nextToken) navigate(`/t/${nextToken}`, { replace: true });
  }, [nextToken, navigate]);
  // The patient's language, unless they picked another one on this phone.
  useFollowLanguage(status?.language, true);

  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col p-4">
      <header className="mb-6 flex items-center justify-between">
        <span className="text-lg font-bold text-teal-800">{t("app.name")}</span>
        <LanguageSwitch />
      </header>
      {loading && !data && <Loading />}
      {error && !data && <ErrorNotice error={error} onRetry={() => void refetch()} />}
      {data && !status && (
        <p role="alert" className="text-lg">
          {t("status.notFound")}
        </p>
      )}
      {status && <StatusCard status={status} />}
      {connection === "reconnecting" && (
        <p role="status" className="mt-4 text-center text-sm text-amber-900">
          {t("status.reconnecting")}
        </p>
      )}
    </main>
  );
}

function StatusCard({ status: s }: { status: TicketStatus_StatusFragment }) {
  const { t } = useTranslation();
  const called = s.status === "CALLED";
  return (
    <section
      aria-live="polite"
      aria-atomic="true"
      className={`rounded-2xl p-6 text-center shadow ${called ? "bg-teal-700 text-white" : "bg-white ring-1 ring-slate-200"}`}
    >
      <p className={`text-sm ${called ? "text-teal-100" : "text-slate-600"}`}>{t("status.yourTicket")}</p>
      <p className="font-mono text-7xl font-bold tabular" data-testid="status-code">
        {s.code}
      </p>
      <div className="mt-4 text-xl" data-testid="status-message">
        {s.status === "WAITING" && (
          <>
            {s.position != null && (
              <p className="font-semibold">{s.position === 1 ? t("status.next") : t("status.position", { position: s.position })}</p>
            )}
            <PatientWait range={s.estimatedWait} className="mt-1 text-slate-700" />
            <p className="mt-4 text-base text-slate-600">{t("status.keepOpen")}</p>
          </>
        )}
        {called && <p className="text-3xl font-bold">{s.servicePointName ? t("status.goTo", { place: s.servicePointName }) : t("status.calledNoPlace")}</p>}
        {s.status === "IN_SERVICE" && <p>{t("status.inService")}</p>}
        {s.status === "COMPLETED" && <p>{t("status.completed")}</p>}
        {s.status === "NO_SHOW" && <p>{t("status.noShow")}</p>}
        {s.status === "CANCELLED" && <p>{t("status.cancelled")}</p>}
        {s.status === "TRANSFERRED" && <p>{t("status.transferred")}</p>}
      </div>
    </section>
  );
}
