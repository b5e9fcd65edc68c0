// A group of checkboxes, each with a plain-language description, and the server's message about the
// group under it (API client scopes, webhook events, data scopes use the same shape).
import { useId } from "react";

export function CheckGroup<V extends string>({
  legend,
  options,
  value,
  onChange,
  error,
  type = "checkbox",
}: {
  legend: string;
  options: readonly { value: V; label: string; description: string }[];
  value: readonly V[];
  onChange: (next: V[]) => void;
  error?: string;
  /** radio: exactly one of the options. */
  type?: "checkbox" | "radio";
}) {
  const id = useId();
  return (
    <fieldset aria-describedby={error ? `${id}-error` : undefined} aria-invalid={error ? true : undefined}>
      <legend className="mb-1 text-sm font-medium text-slate-900">{legend}</legend>
      <div className="space-y-1.5">
        {options.map((o) => (
          <div key={o.value} className="flex items-start gap-2">
            <input
              id={`${id}-${o.value}`}
              name={id}
              type={type}
              className="mt-0.5 size-4 shrink-0"
              checked={value.includes(o.value)}
              aria-describedby={`${id}-${o.value}-d`}
              onChange={(e) => onChange(type === "radio" ? [o.value] : e.target.checked ? [...value, o.value] : value.filter((v) => v !== o.value))}
            />
            <div className="text-sm">
              <label htmlFor={`${id}-${o.value}`} className="font-medium text-slate-900">
                {o.label}
              </label>
              <p id={`${id}-${o.value}-d`} className="text-slate-700">
                {o.description}
              </p>
            </div>
          </div>
        ))}
      </div>
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </fieldset>
  );
}
