// /reception: find or register a patient and check them in (left), every queue of the chosen
// department live (right). Owns the ReceptionPage query; each queue column subscribes on its own.
import { nodes, useOfflineQueueState, type TicketAction_TicketFragment } from "@carequeue/graphql";
import { useQuery } from "@apollo/client/react";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";

import { NeedsAttentionPanel } from "../../attention/NeedsAttentionPanel";
import { ReceptionPageDocument } from "../../generated/graphql";
import type { QueueOption } from "../../tickets/TransferDialog";
import { Button } from "../../ui/Button";
import { ErrorNotice } from "../../ui/ErrorNotice";
import { SelectField } from "../../ui/Field";
import { Loading } from "../../ui/Spinner";
import { usePageTitle } from "../../ui/usePageTitle";
import { CheckInForm } from "./CheckInForm";
import { CheckInReceipt, ReplayedCheckIns } from "./CheckInReceipt";
import { PatientSearch, type SelectedPatient } from "./PatientSearch";
import { QueueColumn } from "./QueueColumn";
import { RegisterPatientForm } from "./RegisterPatientForm";

const DEPARTMENT_KEY = "carequeue.reception.department";

export function Component() {
  const { t } = useTranslation();
  usePageTitle(t("reception.title"));
  const { data, loading, error, refetch } = useQuery(ReceptionPageDocument);
  const [params, setParams] = useSearchParams();
  const [patient, setPatient] = useState<SelectedPatient | null>(null);
  const [registering, setRegistering] = useState(false);
  const [lastTicket, setLastTicket] = useState<TicketAction_TicketFragment | null>(null);
  // Offline: whose check-in was saved, and its action in the offline queue. The notice lasts while the
  // action waits: once sent, ReplayedCheckIns shows its ticket; if refused, the banner says why.
  const [queued, setQueued] = useState<{ patient: string; actionID: string } | null>(null);
  const { pending } = useOfflineQueueState();
  const queuedFor = queued && pending.some((a) => a.id === queued.actionID) ? queued.patient : null;

  const facility = data?.me?.facility;
  const departments = useMemo(() => {
    const queues = nodes(data?.queues);
    return nodes(facility?.departments).map((d) => ({ ...d, queues: queues.filter((q) => q.departmentID === d.id) }));
  }, [data, facility]);
  const transferTargets: QueueOption[] = useMemo(
    () => departments.flatMap((d) => d.queues.map((q) => ({ id: q.id, name: q.name, departmentName: d.name }))),
    [departments],
  );
  const wanted = params.get("department") ?? localStorage.getItem(DEPARTMENT_KEY);
  const department = departments.find((d) => d.id === wanted) ?? departments[0];
  const queues = department?.queues ?? [];

  if (loading && !data) return <Loading />;
  if (error && !data) return <ErrorNotice error={error} onRetry={() => void refetch()} className="m-4" />;
  if (!facility || !department) return <p className="p-6 text-slate-700">{t("reception.noDepartments")}</p>;

  function chooseDepartment(id: string) {
    localStorage.setItem(DEPARTMENT_KEY, id);
    setParams({ department: id }, { replace: true });
  }

  return (
    <div className="flex flex-col gap-4 p-4 lg:flex-row">
      <aside className="w-full shrink-0 space-y-6 lg:w-80 xl:w-96" aria-label={t("reception.patientPanel")}>
        <h1 className="sr-only">{t("reception.title")}</h1>
        {queuedFor && !lastTicket && (
          <p role="status" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
            {t("offline.checkInQueued", { patient: queuedFor })}
          </p>
        )}
        <ReplayedCheckIns />
        {lastTicket && <CheckInReceipt ticket={lastTicket} />}
        {registering ? (
          <RegisterPatientForm
            facilityID={facility.id}
            onCancel={() => setRegistering(false)}
            onRegistered={(p) => {
              setPatient(p);
              setRegistering(false);
            }}
          />
        ) : (
          <>
            <PatientSearch onSelect={setPatient} selectedID={patient?.id} />
            <Button variant="secondary" onClick={() => setRegistering(true)}>
              {t("reception.register.open")}
            </Button>
          </>
        )}
        {patient && !registering && (
          <CheckInForm
            key={patient.id}
            patient={patient}
            queues={queues}
            onCheckedIn={(ticket) => {
              setLastTicket(ticket);
              setQueued(null);
              setPatient(null);
            }}
            onQueued={(actionID) => {
              setLastTicket(null);
              setQueued({ patient: patient.name, actionID });
              setPatient(null);
            }}
          />
        )}
      </aside>
      <section className="min-w-0 flex-1 space-y-3" aria-label={t("reception.queues")}>
        <div className="flex flex-wrap items-end gap-4">
          <SelectField label={t("reception.department")} value={department.id} onChange={(e) => chooseDepartment(e.target.value)} className="w-64">
            {departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </SelectField>
          <a className="pb-2 text-sm font-medium text-teal-800 underline" href={`/board/${department.id}`} target="_blank" rel="noreferrer">
            {t("reception.openBoard")}
          </a>
        </div>
        <NeedsAttentionPanel key={department.id} departmentID={department.id} />
        <div className="flex flex-wrap gap-3">
          {queues.map((q) => (
            <QueueColumn key={q.id} queue={q} transferTargets={transferTargets} />
          ))}
        </div>
      </section>
    </div>
  );
}
