// /clinician: choose a service point, call the next patient of one of its queues, serve them, and
// watch the waiting lists live. Owns the ClinicianPage query; useLiveQueues subscribes per queue.
import { nodes, useCallNext, useNow } from "@carequeue/graphql";
import { useQuery } from "@apollo/client/react";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";

import { NeedsAttentionPanel } from "../../attention/NeedsAttentionPanel";
import { ClinicianPageDocument } from "../../generated/graphql";
import { QueueWarnings } from "../../tickets/QueueWarnings";
import type { QueueOption } from "../../tickets/TransferDialog";
import { Button } from "../../ui/Button";
import { ErrorNotice } from "../../ui/ErrorNotice";
import { SelectField } from "../../ui/Field";
import { Loading } from "../../ui/Spinner";
import { usePageTitle } from "../../ui/usePageTitle";
import { CurrentTicket } from "./CurrentTicket";
import { useLiveQueues } from "./useLiveQueues";
import { WaitingList } from "./WaitingList";

const SERVICE_POINT_KEY = "carequeue.clinician.servicePoint";

export function Component() {
  const { t } = useTranslation();
  usePageTitle(t("clinician.title"));
  const { data, loading, error, refetch } = useQuery(ClinicianPageDocument);
  const [params, setParams] = useSearchParams();
  const departments = useMemo(() => {
    const queues = nodes(data?.queues);
    const servicePoints = nodes(data?.servicePoints);
    return nodes(data?.me?.facility?.departments).map((d) => ({
      ...d,
      queues: queues.filter((q) => q.departmentID === d.id),
      servicePoints: servicePoints.filter((sp) => sp.departmentID === d.id),
    }));
  }, [data]);
  const servicePoints = useMemo(
    () => departments.flatMap((d) => d.servicePoints),
    [departments],
  );
  const transferTargets: QueueOption[] = useMemo(
    () => departments.flatMap((d) => d.queues.map((q) => ({ id: q.id, name: q.name, departmentName: d.name }))),
    [departments],
  );
  const wanted = params.get("servicePoint") ?? localStorage.getItem(SERVICE_POINT_KEY);
  const servicePoint = servicePoints.find((s) => s.id === wanted);

  function choose(id: string) {
    if (id) localStorage.setItem(SERVICE_POINT_KEY, id);
    setParams(id ? { servicePoint: id } : {}, { replace: true });
  }

  if (loading && !data) return <Loading />;
  if (error && !data) return <ErrorNotice error={error} onRetry={() => void refetch()} className="m-4" />;

  return (
    <div className="space-y-4 p-4">
      <div className="flex flex-wrap items-end gap-4">
        <h1 className="text-xl font-semibold">{t("clinician.title")}</h1>
        <SelectField label={t("clinician.servicePoint")} value={servicePoint?.id ?? ""} onChange={(e) => choose(e.target.value)} className="w-72">
          <option value="">{t("clinician.chooseServicePoint")}</option>
          {departments.map((d) => (
            <optgroup key={d.id} label={d.name}>
              {d.servicePoints.map((sp) => (
                <option key={sp.id} value={sp.id}>
                  {sp.name}
                </option>
              ))}
            </optgroup>
          ))}
        </SelectField>
      </div>
      {servicePoint ? (
        <Workspace key={servicePoint.id} servicePoint={servicePoint} transferTargets={transferTargets} />
      ) : (
        <p className="text-slate-700">{servicePoints.length ? t("clinician.pickFirst") : t("clinician.noServicePoints")}</p>
      )}
    </div>
  );
}

function Workspace({
  servicePoint,
  transferTargets,
}: {
  servicePoint: {
    id: string;
    name: string;
    departmentID: string;
    queues?: readonly { id: string; name: string }[] | null;
  };
  transferTargets: readonly QueueOption[];
}) {
  const { t } = useTranslation();
  const now = useNow(30_000);
  const queues = servicePoint.queues ?? [];
  const live = useLiveQueues(queues.map((q) => q.id));
  const [callNext, callState] = useCallNext();
  const [nobodyWaiting, setNobodyWaiting] = useState<string | null>(null);

  const current = queues.flatMap((q) => live[q.id]?.snapshot?.called.filter((c) => c.servicePoint?.id === servicePoint.id) ?? []);
  const busy = current.length > 0;

  async function call(queueID: string) {
    setNobodyWaiting(null);
    try {
      const queue = queues.find((q) => q.id === queueID);
      const ticket = await callNext(queueID, servicePoint.id, queue ? { queue: queue.name } : undefined);
      if (!ticket) setNobodyWaiting(queueID);
    } catch {
      // shown from callState.error
    }
  }

  return (
    <div className="space-y-4">
      <NeedsAttentionPanel departmentID={servicePoint.departmentID} />
      <div className="grid gap-4 xl:grid-cols-[minmax(0,28rem)_1fr]">
        <div className="space-y-3">
          <h2 className="text-base font-semibold">{t("clinician.current.title", { servicePoint: servicePoint.name })}</h2>
          {current.length === 0 ? (
            <p className="rounded-lg border border-dashed border-slate-300 bg-white p-4 text-slate-700">{t("clinician.current.none")}</p>
          ) : (
            current.map((c) => <CurrentTicket key={c.id} ticket={c} transferTargets={transferTargets} />)
          )}
          <ErrorNotice error={callState.error} />
          {callState.queued && (
            <p role="status" className="rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-950">
              {t("offline.savedInline")}
            </p>
          )}
        </div>
        <div className="space-y-4">
          {queues.map((q) => {
            const lq = live[q.id];
            const waiting = lq?.snapshot?.waiting ?? [];
            return (
              <section key={q.id} aria-labelledby={`queue-${q.id}`} className="rounded-lg border border-slate-200 bg-white">
                <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-3 py-2">
                  <h2 id={`queue-${q.id}`} className="font-semibold">
                    {q.name}
                    {lq?.snapshot && <span className="ml-2 text-sm font-normal text-slate-600">{t("clinician.waiting.count", { count: waiting.length })}</span>}
                  </h2>
                  <div className="flex items-center gap-2">
                    {busy && <span className="text-xs text-slate-600">{t("clinician.finishFirst")}</span>}
                    <Button onClick={() => void call(q.id)} busy={callState.loading} disabled={busy}>
                      {t("clinician.actions.callNext")}
                    </Button>
                  </div>
                </header>
                {nobodyWaiting === q.id && (
                  <p role="status" className="px-3 pt-2 text-sm text-slate-700">
                    {t("clinician.nobodyWaiting")}
                  </p>
                )}
                <QueueWarnings warnings={lq?.snapshot?.warnings} className="m-2" />
                {lq?.error !== undefined && <ErrorNotice error={lq.error} className="m-2" />}
                {!lq?.snapshot && lq?.error === undefined && <Loading />}
                {lq?.snapshot && <WaitingList queueName={q.name} tickets={waiting} now={now} />}
              </section>
            );
          })}
        </div>
      </div>
    </div>
  );
}
