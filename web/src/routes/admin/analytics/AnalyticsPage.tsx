// /admin/analytics: choose a department and a range of days; see its figures, download them as CSV,
// recompute the stored reports of closed days, and run a what-if on the department's queues. The
// choice lives in the address (?department=&from=&to=), so a view can be bookmarked or shared.
import { nodes, useCareQueue } from "@carequeue/graphql";
import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";

import {
  AdminAnalyticsPageDocument,
  AdminDepartmentFiguresDocument,
  AdminRecomputeDailyReportsDocument,
} from "../../../generated/graphql";
import { Button } from "../../../ui/Button";
import { DateField } from "../../../ui/DateField";
import { Dialog } from "../../../ui/Dialog";
import { ErrorNotice } from "../../../ui/ErrorNotice";
import { Loading } from "../../../ui/Spinner";
import { useFormat } from "../../../i18n/useFormat";
import { SelectInput } from "../forms/Fields";
import { NextStep, PageHeader } from "../layout";
import { downloadReportsCsv } from "./csv";
import { addDays, dayCount, MAX_RANGE_DAYS, MAX_SCREEN_DAYS, rangeProblem, todayIn } from "./days";
import { DepartmentFigures } from "./DepartmentFigures";
import { WhatIf } from "./WhatIf";

const DEFAULT_DAYS = 7;

export default function AnalyticsPage() {
  const { t } = useTranslation("admin");
  const { data, loading, error, refetch } = useQuery(AdminAnalyticsPageDocument);
  const [params, setParams] = useSearchParams();
  const departments = nodes(data?.departments);
  const department = departments.find((d) => d.id === params.get("department")) ?? departments[0];
  const today = todayIn(department?.facility.timezone ?? "UTC");
  const to = params.get("to") ?? today;
  const from = params.get("from") ?? addDays(to, -(DEFAULT_DAYS - 1));
  const problem = rangeProblem(from, to);

  function choose(next: { department?: string; from?: string; to?: string }) {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) if (v !== undefined) p.set(k, v);
    setParams(p, { replace: true });
  }

  return (
    <>
      <PageHeader title={t("analytics.title")} description={t("analytics.description")} />
      {loading && !data ? (
        <Loading />
      ) : error && !data ? (
        <ErrorNotice error={error} onRetry={() => void refetch()} />
      ) : !department ? (
        <NextStep to="/admin/facilities" linkLabel={t("start.goFacilities")}>
          {t("start.analytics")}
        </NextStep>
      ) : (
        <div className="space-y-6">
          <form className="flex flex-wrap items-start gap-3" aria-label={t("analytics.controls")} onSubmit={(e) => e.preventDefault()}>
            <SelectInput className="w-64" label={t("analytics.department")} value={department.id} onChange={(e) => choose({ department: e.target.value })}>
              {departments.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                  {new Set(departments.map((x) => x.facility.id)).size > 1 ? ` · ${d.facility.name}` : ""}
                </option>
              ))}
            </SelectInput>
            <DateField className="w-44" label={t("analytics.from")} value={from} max={today} onChange={(day) => day && choose({ from: day })} />
            <DateField
              className="w-44"
              label={t("analytics.to")}
              value={to}
              max={today}
              onChange={(day) => day && choose({ to: day })}
              error={problem ? t(`analytics.rangeProblem.${problem}`, { max: MAX_RANGE_DAYS }) : undefined}
            />
            <div className="flex flex-wrap gap-2 pt-6">
              <CsvButton departmentID={department.id} from={from} to={to} disabled={problem !== null} />
              <RecomputeButton facilityID={department.facility.id} from={from} to={to} today={today} disabled={problem !== null} />
            </div>
          </form>
          <p className="text-xs text-slate-600">{t("analytics.timezoneNote", { timezone: department.facility.timezone })}</p>
          {problem === null &&
            (dayCount(from, to) > MAX_SCREEN_DAYS ? (
              <p className="text-sm text-slate-700">{t("analytics.rangeTooLongToShow", { max: MAX_SCREEN_DAYS })}</p>
            ) : (
              <DepartmentFigures departmentID={department.id} from={from} to={to} />
            ))}
          <WhatIf key={department.id} queues={nodes(data?.queues).filter((q) => q.departmentID === department.id)} />
        </div>
      )}
    </>
  );
}

function CsvButton({ departmentID, from, to, disabled }: { departmentID: string; from: string; to: string; disabled: boolean }) {
  const { t } = useTranslation("admin");
  const { session } = useCareQueue();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function download() {
    setBusy(true);
    setError(null);
    try {
      await downloadReportsCsv({ departmentID, from, to }, session);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div>
      <Button variant="secondary" busy={busy} disabled={disabled} onClick={() => void download()}>
        {t("analytics.downloadCsv")}
      </Button>
      {error != null && <ErrorNotice error={error} className="mt-2 max-w-sm" />}
    </div>
  );
}

/** Recomputes the stored reports of the closed days in the range (today is computed live anyway). */
function RecomputeButton({ facilityID, from, to, today, disabled }: { facilityID: string; from: string; to: string; today: string; disabled: boolean }) {
  const { t } = useTranslation("admin");
  const fmt = useFormat();
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<number | null>(null);
  const [recompute, { loading, error, reset }] = useMutation(AdminRecomputeDailyReportsDocument, {
    refetchQueries: [AdminDepartmentFiguresDocument],
  });
  const yesterday = addDays(today, -1);
  const last = to < today ? to : yesterday;
  const closed = from <= last;

  async function confirm() {
    try {
      const { data } = await recompute({ variables: { facilityID, from, to: last } });
      setDone(data?.recomputeDailyReports ?? 0);
      setOpen(false);
    } catch {
      // shown in the dialog
    }
  }

  return (
    <div>
      <Button
        variant="secondary"
        disabled={disabled || !closed}
        title={closed ? undefined : t("analytics.recomputeNothing")}
        onClick={() => {
          reset();
          setDone(null);
          setOpen(true);
        }}
      >
        {t("analytics.recompute")}
      </Button>
      <p role="status" className="mt-1 text-sm text-green-900">
        {done != null && t("analytics.recomputed", { count: done })}
      </p>
      {open && (
        <Dialog title={t("analytics.recompute")} onClose={() => setOpen(false)}>
          <p className="mb-4 text-sm text-slate-800">
            {t("analytics.recomputeConfirm", { from: fmt.day(from), to: fmt.day(last) })}
          </p>
          {error && <ErrorNotice error={error} className="mb-3" />}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              {t("common.cancel")}
            </Button>
            <Button busy={loading} onClick={() => void confirm()}>
              {t("analytics.recomputeSubmit")}
            </Button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
