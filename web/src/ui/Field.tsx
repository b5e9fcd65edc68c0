// The app's labelled form controls: the label always visible (no placeholder-only fields), a hint, and
// the server's message about the field right below it (aria-invalid, announced through
// aria-describedby; see fieldErrors.ts). The admin forms use the same ones.
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from "react";

const control_ =
  "block w-full rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-500 focus:border-sky-600 disabled:bg-slate-100 disabled:text-slate-600";

export interface Labelled {
  label: string;
  hint?: string;
  /** The server's message about this field (fieldErrors). */
  error?: string;
  className?: string;
}

export function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

/** The hint and the error under a control. */
export function Below({ id, hint, error }: { id: string; hint?: string; error?: string }) {
  return (
    <>
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm font-medium text-red-800">
          {error}
        </p>
      )}
    </>
  );
}

/** The control's border, red when the server refused its value. */
const border = (error?: string) => (error ? "border-red-700" : "border-slate-300");

/** A control's frame: its label above, its hint and error below; the control gets the id and its ARIA. */
function Frame({ label, hint, error, className = "", control }: Labelled & { control: (props: { id: string; className: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode }) {
  const id = useId();
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-800">
        {label}
      </label>
      {control({ id, className: `${control_} ${border(error)}`, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy(id, hint, error) })}
      <Below id={id} hint={hint} error={error} />
    </div>
  );
}

/** A labelled text (or number, tel, password…) input. aria-invalid given by the caller wins (a typed date that is not one). */
export function TextField({ label, hint, error, className, ...input }: Labelled & InputHTMLAttributes<HTMLInputElement>) {
  return <Frame label={label} hint={hint} error={error} className={className} control={(props) => <input {...props} {...input} />} />;
}

/** A labelled native select. */
export function SelectField({ label, hint, error, className, children, ...select }: Labelled & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }) {
  return (
    <Frame
      label={label}
      hint={hint}
      error={error}
      className={className}
      control={(props) => (
        <select {...props} {...select}>
          {children}
        </select>
      )}
    />
  );
}
