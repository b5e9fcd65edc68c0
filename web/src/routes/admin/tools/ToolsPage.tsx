// /admin/tools: the server's own admin tools, outside this app: GraphiQL (the API explorer) and the
// job monitor (River UI). Both open in a new tab: they are server pages, not routes. GraphiQL opens
// signed in: the tab it opens asks this page for the admin's access token (postMessage, same origin,
// only windows this page opened are answered), so no token is pasted or put in a URL.
import { useCareQueue } from "@carequeue/graphql";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { Button } from "../../../ui/Button";
import { PageHeader } from "../layout";

export default function ToolsPage() {
  const { t } = useTranslation("admin");
  const { session } = useCareQueue();
  const [status, setStatus] = useState("");
  const opened = useRef(new Set<Window>());

  useEffect(() => {
    function answer(e: MessageEvent) {
      const from = e.source as Window | null;
      if (e.origin !== window.location.origin || !from || !opened.current.has(from)) return;
      if ((e.data as { type?: unknown } | null)?.type !== "carequeue:graphiql-token-request") return;
      void session.accessToken().then((token) => {
        if (token) from.postMessage({ type: "carequeue:graphiql-token", token }, window.location.origin);
      });
    }
    window.addEventListener("message", answer);
    return () => window.removeEventListener("message", answer);
  }, [session]);

  function openGraphiql() {
    // Not noopener: the new tab needs window.opener to ask for the token; it is our own origin.
    const w = window.open("/graphiql", "_blank");
    if (w) opened.current.add(w);
    else setStatus(t("tools.popupBlocked"));
  }

  async function copyHeaders() {
    try {
      const token = await session.accessToken();
      if (!token || !navigator.clipboard) throw new Error("cannot copy");
      await navigator.clipboard.writeText(JSON.stringify({ Authorization: `Bearer ${token}` }));
      setStatus(t("tools.headersCopied"));
    } catch {
      setStatus(t("tools.headersNotCopied"));
    }
  }

  return (
    <>
      <PageHeader title={t("tools.title")} description={t("tools.description")} />
      <div className="grid gap-4 lg:grid-cols-2">
        <section aria-labelledby="graphiql" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="graphiql" className="text-lg font-semibold">
            {t("tools.graphiql")}
          </h2>
          <p className="text-sm text-slate-700">{t("tools.graphiqlHelp")}</p>
          <div className="flex flex-wrap items-center gap-2">
            <Button onClick={openGraphiql}>{t("tools.openGraphiql")}</Button>
            <Button variant="secondary" onClick={() => void copyHeaders()}>
              {t("tools.copyHeaders")}
            </Button>
          </div>
          <p role="status" className="min-h-5 text-sm text-slate-800">
            {status}
          </p>
        </section>
        <section aria-labelledby="jobs" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="jobs" className="text-lg font-semibold">
            {t("tools.jobs")}
          </h2>
          <p className="text-sm text-slate-700">{t("tools.jobsHelp")}</p>
          <p className="text-sm text-slate-700">{t("tools.jobsPostgres")}</p>
          <a href="/admin/jobs" target="_blank" rel="noreferrer" className="inline-block rounded-md bg-teal-700 px-3.5 py-2 text-sm font-medium text-white hover:bg-teal-800">
            {t("tools.openJobs")}
          </a>
        </section>
      </div>
    </>
  );
}
