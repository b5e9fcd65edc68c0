import { TRIAGE_LEVELS, type TriageLevel } from "@carequeue/graphql";
import { useId } from "react";

import { TriageBadge } from "./Badges";

/** The five triage levels as radio buttons, most urgent first; `note` adds a word beside one level. */
export function TriageLevelPicker({
  legend,
  value,
  onChange,
  note,
}: {
  legend: string;
  value: TriageLevel;
  onChange: (level: TriageLevel) => void;
  note?: { level: TriageLevel; text: string };
}) {
  const name = useId();
  return (
    <fieldset>
      <legend className="mb-1 text-sm font-medium text-slate-800">{legend}</legend>
      <div className="grid grid-cols-1 gap-1">
        {TRIAGE_LEVELS.map((l) => (
          <label key={l} className="flex cursor-pointer items-center gap-2 rounded px-2 py-1 text-sm hover:bg-slate-100">
            <input type="radio" name={name} value={l} checked={value === l} onChange={() => onChange(l)} className="size-4" />
            <TriageBadge level={l} />
            {note?.level === l && <span className="text-xs text-slate-600">{note.text}</span>}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
