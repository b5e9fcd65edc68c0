// The admin forms' controls: the app's own (ui/Field: always-visible labels, a hint, and the server's
// message about the field right below it), and a checkbox.
import { useId, type InputHTMLAttributes } from "react";

import { Below, describedBy, type Labelled } from "../../../ui/Field";

export { SelectField as SelectInput, TextField as InputField } from "../../../ui/Field";

/** A checkbox with its label on the right. */
export function CheckField({ label, hint, error, className = "", ...input }: Labelled & Omit<InputHTMLAttributes<HTMLInputElement>, "type">) {
  const id = useId();
  return (
    <div className={className}>
      <div className="flex items-center gap-2">
        <input id={id} type="checkbox" className="size-4" aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} {...input} />
        <label htmlFor={id} className="text-sm text-slate-800">
          {label}
        </label>
      </div>
      <Below id={id} hint={hint} error={error} />
    </div>
  );
}
