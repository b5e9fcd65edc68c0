// Create or edit a queue: its name, ticket prefix, ordering policy, how many places ahead patients are
// told their turn is near, the service time estimates start from, the target wait per triage level,
// and the patient-safety settings (QueueSafetyFields).
import { TRIAGE_LEVELS, getFragmentData, type FragmentType, type TriageLevel } from "@carequeue/graphql";
import { useTranslation } from "react-i18next";

import {
  AdminCreateQueueDocument,
  AdminQueuesPageDocument,
  AdminUpdateQueueDocument,
  QueueForm_QueueFragmentDoc,
  type QueuePolicy,
} from "../../../generated/graphql";
import { CheckField, InputField, SelectInput } from "../forms/Fields";
import { EditForm } from "./EditForm";
import { QueueSafetyFields, SAFETY_DEFAULTS, SAFETY_RANGES, type SafetyNumber } from "./QueueSafetyFields";
import { useReferenceEditor } from "./useReferenceEditor";

/** The queue field holding each level's target wait. */
export const TARGET_FIELDS = {
  IMMEDIATE: "targetImmediateMinutes",
  VERY_URGENT: "targetVeryUrgentMinutes",
  URGENT: "targetUrgentMinutes",
  STANDARD: "targetStandardMinutes",
  NON_URGENT: "targetNonUrgentMinutes",
} as const satisfies Record<TriageLevel, string>;

type NumberField = "notifyAhead" | "defaultServiceMinutes" | (typeof TARGET_FIELDS)[TriageLevel] | SafetyNumber;

/** The server's defaults (DESIGN.md: Manchester Triage System targets). */
const DEFAULTS: Record<NumberField, number> = {
  notifyAhead: 3,
  defaultServiceMinutes: 10,
  targetImmediateMinutes: 0,
  targetVeryUrgentMinutes: 10,
  targetUrgentMinutes: 60,
  targetStandardMinutes: 120,
  targetNonUrgentMinutes: 240,
  ...SAFETY_DEFAULTS,
};
const NUMBER_FIELDS = Object.keys(DEFAULTS) as NumberField[];
const FIELDS = ["name", "prefix", "ordering", "active", "selfCheckInLevel", "transferKeepsArrival", ...NUMBER_FIELDS] as const;

/** What the form holds: the numbers as typed, checked before saving. */
export type QueueValues = {
  name: string;
  prefix: string;
  ordering: QueuePolicy;
  active: boolean;
  selfCheckInLevel: TriageLevel;
  transferKeepsArrival: boolean;
} & Record<NumberField, string>;
type Values = QueueValues;

/** The browser's checks: whole numbers everywhere, and the server's ranges where it has one. */
function check(values: Values, wholeNumber: string, range: (min: number, max: number) => string): Partial<Record<NumberField, string>> {
  const errors: Partial<Record<NumberField, string>> = {};
  for (const f of NUMBER_FIELDS) {
    const text = values[f].trim();
    const bounds = SAFETY_RANGES[f as SafetyNumber] as readonly [number, number] | undefined;
    if (!/^\d+$/.test(text)) errors[f] = bounds ? range(...bounds) : wholeNumber;
    else if (bounds && (Number(text) < bounds[0] || Number(text) > bounds[1])) errors[f] = range(...bounds);
  }
  return errors;
}

function input(v: Values) {
  const numbers = Object.fromEntries(NUMBER_FIELDS.map((f) => [f, Number(v[f].trim())])) as Record<NumberField, number>;
  return {
    name: v.name.trim(),
    prefix: v.prefix.trim().toUpperCase(),
    ordering: v.ordering,
    active: v.active,
    selfCheckInLevel: v.selfCheckInLevel,
    transferKeepsArrival: v.transferKeepsArrival,
    ...numbers,
  };
}

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
  const editor = useReferenceEditor({
    record: queue,
    initial: (): Values => ({
      name: queue?.name ?? "",
      prefix: queue?.prefix ?? "",
      ordering: queue?.ordering ?? "TRIAGE",
      active: queue?.active ?? true,
      selfCheckInLevel: queue?.selfCheckInLevel ?? "STANDARD",
      transferKeepsArrival: queue?.transferKeepsArrival ?? true,
      ...(Object.fromEntries(NUMBER_FIELDS.map((f) => [f, String(queue?.[f] ?? DEFAULTS[f])])) as Record<NumberField, string>),
    }),
    fields: FIELDS,
    create: AdminCreateQueueDocument,
    update: AdminUpdateQueueDocument,
    list: AdminQueuesPageDocument,
    validate: (v) => check(v, t("validation.wholeNumber"), (min, max) => t("validation.range", { min, max })),
    createVariables: (v) => ({ input: { ...input(v), departmentID } }),
    updateVariables: (id, v) => ({ id, input: input(v) }),
    onDone,
  });
  const { values, errors } = editor;

  const numberInput = (f: NumberField, label: string, hint?: string, range?: readonly [number, number]) => (
    <InputField
      key={f}
      label={label}
      hint={hint}
      type="number"
      inputMode="numeric"
      min={range?.[0] ?? (f === "defaultServiceMinutes" ? 1 : 0)}
      max={range?.[1]}
      step={1}
      {...editor.text(f)}
      required
    />
  );

  return (
    <EditForm
      section="queues"
      editor={editor}
      disabled={!values.name.trim() || !values.prefix.trim()}
      named
    >
      <div className="grid grid-cols-3 gap-3">
        <InputField className="col-span-2" label={t("queues.name")} {...editor.text("name")} required maxLength={200} autoComplete="off" />
        <InputField
          label={t("queues.prefix")}
          hint={t("queues.prefixHint")}
          {...editor.text("prefix", (s) => s.toUpperCase())}
          required
          maxLength={3}
          autoComplete="off"
          autoCapitalize="characters"
        />
      </div>
      <SelectInput
        label={t("queues.ordering")}
        hint={t(`queues.orderingHint.${values.ordering}`)}
        value={values.ordering}
        onChange={(e) => editor.set("ordering", e.target.value as QueuePolicy)}
        error={errors.ordering}
      >
        <option value="TRIAGE">{t("queues.policy.TRIAGE")}</option>
        <option value="TRIAGE_DEADLINE_AWARE">{t("queues.policy.TRIAGE_DEADLINE_AWARE")}</option>
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
      <QueueSafetyFields editor={editor} numberInput={numberInput} />
      <CheckField label={t("queues.active")} hint={t("queues.activeHint")} {...editor.check("active")} />
    </EditForm>
  );
}
