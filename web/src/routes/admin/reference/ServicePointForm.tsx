// Create or edit a service point (a room, bay or counter) and choose the queues it calls from.
import { getFragmentData, type FragmentType } from "@carequeue/graphql";
import { useId } from "react";
import { useTranslation } from "react-i18next";

import {
  AdminCreateServicePointDocument,
  AdminServicePointsPageDocument,
  AdminUpdateServicePointDocument,
  ServicePointForm_ServicePointFragmentDoc,
} from "../../../generated/graphql";
import { CheckField, InputField } from "../forms/Fields";
import { EditForm } from "./EditForm";
import { useReferenceEditor } from "./useReferenceEditor";

export function ServicePointForm({
  departmentID,
  queues,
  servicePoint: ref,
  onDone,
}: {
  departmentID: string;
  /** The department's queues, the ones it may serve. */
  queues: readonly { id: string; name: string; active: boolean }[];
  servicePoint?: FragmentType<typeof ServicePointForm_ServicePointFragmentDoc>;
  onDone: () => void;
}) {
  const { t } = useTranslation("admin");
  const queueErrorId = useId();
  const sp = getFragmentData(ServicePointForm_ServicePointFragmentDoc, ref);
  const initial = (sp?.queues ?? []).map((q) => q.id);
  const base = (v: { name: string; open: boolean; active: boolean }) => ({ name: v.name.trim(), open: v.open, active: v.active });
  const editor = useReferenceEditor({
    record: sp,
    initial: { name: sp?.name ?? "", open: sp?.open ?? true, active: sp?.active ?? true, served: initial },
    fields: ["name", "open", "active", "queueIDs", "addQueueIDs"],
    create: AdminCreateServicePointDocument,
    update: AdminUpdateServicePointDocument,
    // The mutations answer without the queues served: the list is fetched again after either.
    list: AdminServicePointsPageDocument,
    refetchOnUpdate: true,
    createVariables: (v) => ({ input: { ...base(v), departmentID, queueIDs: v.served } }),
    updateVariables: (id, v) => ({
      id,
      input: {
        ...base(v),
        addQueueIDs: v.served.filter((q) => !initial.includes(q)),
        removeQueueIDs: initial.filter((q) => !v.served.includes(q)),
      },
    }),
    onDone,
  });
  const { values, errors } = editor;
  const queueError = errors.queueIDs ?? errors.addQueueIDs;

  function toggle(id: string, on: boolean) {
    editor.set("served", on ? [...values.served, id] : values.served.filter((x) => x !== id));
  }

  return (
    <EditForm section="servicePoints" editor={editor} disabled={!values.name.trim()}>
      <InputField label={t("servicePoints.name")} hint={t("servicePoints.nameHint")} {...editor.text("name")} required maxLength={100} autoComplete="off" />
      <fieldset aria-describedby={queueError ? queueErrorId : undefined}>
        <legend className="mb-1 text-sm font-medium text-slate-800">{t("servicePoints.queues")}</legend>
        {queues.length === 0 && <p className="text-sm text-slate-600">{t("servicePoints.noQueues")}</p>}
        <div className="grid grid-cols-1 gap-1">
          {queues.map((q) => (
            <label key={q.id} className="flex cursor-pointer items-center gap-2 rounded px-2 py-1 text-sm hover:bg-slate-100">
              <input type="checkbox" className="size-4" checked={values.served.includes(q.id)} onChange={(e) => toggle(q.id, e.target.checked)} />
              {q.name}
              {!q.active && <span className="text-xs text-slate-600">({t("common.inactive")})</span>}
            </label>
          ))}
        </div>
        {queueError && (
          <p id={queueErrorId} className="mt-1 text-sm font-medium text-red-800">
            {queueError}
          </p>
        )}
      </fieldset>
      <CheckField label={t("servicePoints.open")} hint={t("servicePoints.openHint")} {...editor.check("open")} />
      <CheckField label={t("servicePoints.active")} {...editor.check("active")} />
    </EditForm>
  );
}
