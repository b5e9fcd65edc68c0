// Create or edit a queue: its name, ticket prefix, ordering policy, how many places ahead patients are
// told their turn is near, the service time estimates start from, and the target wait per triage level.
import {
  AdminCreateQueueDocument,
  AdminQueuesPageDocument,
  AdminUpdateQueueDocument,
  QueueForm_QueueFragmentDoc,
  TRIAGE_LEVELS,
  getFragmentData,
  type FragmentType,
  type QueuePolicy,
  type TriageLevel,
} from "@carequeue/graphql";
import { useMutation } from "@apollo/client/react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { CheckField, InputField, SelectInput } from "../forms/Fields";
import { FormActions } from "../forms/FormActions";
import { fieldErrors } from "../forms/fieldErrors";

/** The queue field holding each level's target wait. */
export const TARGET_FIELDS = {
  IMMEDIATE: "targetImmediateMinutes",
  VERY_URGENT: "targetVeryUrgentMinutes",
  URGENT: "targetUrgentMinutes",
  STANDARD: "targetStandardMinutes",
  NON_URGENT: "targetNonUrgentMinutes",
} as const satisfies Record<TriageLevel, string>;

type NumberField = "notifyAhead" | "defaultServiceMinutes" | (typeof TARGET_FIELDS)[TriageLevel];

/** The server's defaults (DESIGN.md: Manchester Triage System targets). */
const DEFAULTS: Record<NumberField, number> = {
  notifyAhead: 3,
  defaultServiceMinutes: 10,
  targetImmediateMinutes: 0,
  targetVeryUrgentMinutes: 10,
  targetUrgentMinutes: 60,
  targetStandardMinutes: 120,
  targetNonUrgentMinutes: 240,
};
const NUMBER_FIELDS = Object.keys(DEFAULTS) as NumberField[];
const FIELDS = ["name", "prefix", "ordering", "active", ...NUMBER_FIELDS] as const;

export function QueueForm({
  departmentID,
  queue: ref,
  onDone,
}: {
  departmentID: string;
  queue?: FragmentType<typeof QueueForm_QueueFragmentDoc>;
  onDone: () => void;
}) {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation();
  const queue = getFragmentData(QueueForm_QueueFragmentDoc, ref);
  const [text, setText] = useState({ name: queue?.name ?? "", prefix: queue?.prefix ?? "" });
  const [ordering, setOrdering] = useState<QueuePolicy>(queue?.ordering ?? "TRIAGE");
  const [active, setActive] = useState(queue?.active ?? true);
  const [numbers, setNumbers] = useState<Record<NumberField, string>>(
    () => Object.fromEntries(NUMBER_FIELDS.map((f) => [f, String(queue?.[f] ?? DEFAULTS[f])])) as Record<NumberField, string>,
  );
  const [localErrors, setLocalErrors] = useState<Partial<Record<NumberField, string>>>({});
  const [create, created] = useMutation(AdminCreateQueueDocument, { refetchQueries: [AdminQueuesPageDocument] });
  const [update, updated] = useMutation(AdminUpdateQueueDocument);
  const state = queue ? updated : created;
  const errors: Record<string, string | undefined> = { ...fieldErrors(state.error), ...localErrors };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed: Partial<Record<NumberField, number>> = {};
    const bad: Partial<Record<NumberField, string>> = {};
    for (const f of NUMBER_FIELDS) {
      const v = numbers[f].trim();
      if (/^\d+$/.test(v)) parsed[f] = Number(v);
      else bad[f] = t("validation.wholeNumber");
    }
    setLocalErrors(bad);
    if (Object.keys(bad).length > 0) return;
    const input = { name: text.name.trim(), prefix: text.prefix.trim().toUpperCase(), ordering, active, ...parsed };
    try {
      if (queue) await update({ variables: { id: queue.id, input } });
      else await create({ variables: { input: { ...input, departmentID } } });
      onDone();
    } catch {
      // shown next to the fields
    }
  }

  const numberInput = (f: NumberField, label: string, hint?: string) => (
    <InputField
      key={f}
      label={label}
      hint={hint}
      type="number"
      inputMode="numeric"
      min={f === "defaultServiceMinutes" ? 1 : 0}
      step={1}
      value={numbers[f]}
      onChange={(e) => setNumbers({ ...numbers, [f]: e.target.value })}
      error={errors[f]}
      required
    />
  );

  return (
    <form onSubmit={submit} className="space-y-3" noValidate aria-label={queue ? t("queues.edit") : t("queues.new")}>
      <div className="grid grid-cols-3 gap-3">
        <InputField
          className="col-span-2"
          label={t("queues.name")}
          value={text.name}
          onChange={(e) => setText({ ...text, name: e.target.value })}
          error={errors.name}
          required
          maxLength={200}
          autoComplete="off"
        />
        <InputField
          label={t("queues.prefix")}
          hint={t("queues.prefixHint")}
          value={text.prefix}
          onChange={(e) => setText({ ...text, prefix: e.target.value.toUpperCase() })}
          error={errors.prefix}
          required
          maxLength={3}
          autoComplete="off"
          autoCapitalize="characters"
        />
      </div>
      <SelectInput
        label={t("queues.ordering")}
        hint={t(`queues.orderingHint.${ordering}`)}
        value={ordering}
        onChange={(e) => setOrdering(e.target.value as QueuePolicy)}
        error={errors.ordering}
      >
        <option value="TRIAGE">{t("queues.policy.TRIAGE")}</option>
        <option value="FIFO">{t("queues.policy.FIFO")}</option>
      </SelectInput>
      <div className="grid grid-cols-2 gap-3">
        {numberInput("notifyAhead", t("queues.notifyAhead"), t("queues.notifyAheadHint"))}
        {numberInput("defaultServiceMinutes", t("queues.defaultServiceMinutes"), t("queues.defaultServiceMinutesHint"))}
      </div>
      <fieldset className="rounded-md border border-slate-200 p-3">
        <legend className="px-1 text-sm font-medium text-slate-800">{t("queues.targets")}</legend>
        <p className="mb-2 text-xs text-slate-600">{t("queues.targetsHint")}</p>
        <div className="grid grid-cols-2 gap-3">{TRIAGE_LEVELS.map((l) => numberInput(TARGET_FIELDS[l], tc(`triage.${l}`)))}</div>
      </fieldset>
      <CheckField label={t("queues.active")} hint={t("queues.activeHint")} checked={active} onChange={(e) => setActive(e.target.checked)} error={errors.active} />
      <FormActions
        error={state.error}
        shownFields={FIELDS}
        busy={state.loading}
        submitLabel={queue ? t("common.save") : t("queues.create")}
        onCancel={onDone}
        disabled={!text.name.trim() || !text.prefix.trim()}
      />
    </form>
  );
}
