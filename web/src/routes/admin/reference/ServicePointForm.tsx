// Create or edit a service point (a room, bay or counter) and choose the queues it calls from.
import {
  AdminCreateServicePointDocument,
  AdminServicePointsPageDocument,
  AdminUpdateServicePointDocument,
  ServicePointForm_ServicePointFragmentDoc,
  getFragmentData,
  type FragmentType,
} from "@carequeue/graphql";
import { useMutation } from "@apollo/client/react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { CheckField, InputField } from "../forms/Fields";
import { FormActions } from "../forms/FormActions";
import { fieldErrors } from "../forms/fieldErrors";

const FIELDS = ["name", "open", "active", "queueIDs", "addQueueIDs"] as const;

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
  const sp = getFragmentData(ServicePointForm_ServicePointFragmentDoc, ref);
  const initial = (sp?.queues ?? []).map((q) => q.id);
  const [form, setForm] = useState({ name: sp?.name ?? "", open: sp?.open ?? true, active: sp?.active ?? true });
  const [served, setServed] = useState<string[]>(initial);
  const [create, created] = useMutation(AdminCreateServicePointDocument, { refetchQueries: [AdminServicePointsPageDocument] });
  const [update, updated] = useMutation(AdminUpdateServicePointDocument, { refetchQueries: [AdminServicePointsPageDocument] });
  const state = sp ? updated : created;
  const errors = fieldErrors(state.error);
  const queueError = errors.queueIDs ?? errors.addQueueIDs;

  function toggle(id: string, on: boolean) {
    setServed((s) => (on ? [...s, id] : s.filter((x) => x !== id)));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const base = { name: form.name.trim(), open: form.open, active: form.active };
    try {
      if (sp) {
        const addQueueIDs = served.filter((id) => !initial.includes(id));
        const removeQueueIDs = initial.filter((id) => !served.includes(id));
        await update({ variables: { id: sp.id, input: { ...base, addQueueIDs, removeQueueIDs } } });
      } else {
        await create({ variables: { input: { ...base, departmentID, queueIDs: served } } });
      }
      onDone();
    } catch {
      // shown next to the fields
    }
  }

  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      <InputField label={t("servicePoints.name")} hint={t("servicePoints.nameHint")} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={errors.name} required maxLength={100} autoComplete="off" />
      <fieldset aria-describedby={queueError ? "sp-queues-error" : undefined}>
        <legend className="mb-1 text-sm font-medium text-slate-800">{t("servicePoints.queues")}</legend>
        {queues.length === 0 && <p className="text-sm text-slate-600">{t("servicePoints.noQueues")}</p>}
        <div className="grid grid-cols-1 gap-1">
          {queues.map((q) => (
            <label key={q.id} className="flex cursor-pointer items-center gap-2 rounded px-2 py-1 text-sm hover:bg-slate-100">
              <input type="checkbox" className="size-4" checked={served.includes(q.id)} onChange={(e) => toggle(q.id, e.target.checked)} />
              {q.name}
              {!q.active && <span className="text-xs text-slate-600">({t("common.inactive")})</span>}
            </label>
          ))}
        </div>
        {queueError && (
          <p id="sp-queues-error" className="mt-1 text-sm font-medium text-red-800">
            {queueError}
          </p>
        )}
      </fieldset>
      <CheckField label={t("servicePoints.open")} hint={t("servicePoints.openHint")} checked={form.open} onChange={(e) => setForm({ ...form, open: e.target.checked })} error={errors.open} />
      <CheckField label={t("servicePoints.active")} checked={form.active} onChange={(e) => setForm({ ...form, active: e.target.checked })} error={errors.active} />
      <FormActions
        error={state.error}
        shownFields={FIELDS}
        busy={state.loading}
        submitLabel={sp ? t("common.save") : t("servicePoints.create")}
        onCancel={onDone}
        disabled={!form.name.trim()}
      />
    </form>
  );
}
