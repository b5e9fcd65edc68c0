// A labelled text field in kiosk size (large type, large touch target), with an optional hint.
import { useId, type InputHTMLAttributes } from "react";

export function BigField({
  label,
  hint,
  value,
  onChange,
  inputRef,
  className = "",
  ...input
}: {
  label: string;
  hint?: string;
  value: string;
  onChange: (value: string) => void;
  inputRef?: (el: HTMLInputElement | null) => void;
  className?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "className">) {
  const id = useId();
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-2 block text-xl font-semibold text-slate-800">
        {label}
      </label>
      <input
        id={id}
        ref={inputRef}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={hint ? `${id}-hint` : undefined}
        autoComplete="off"
        spellCheck={false}
        className="block w-full rounded-xl border-2 border-slate-400 bg-white px-4 py-3 text-center font-mono text-3xl tracking-wider text-slate-900 focus:border-sky-600"
        {...input}
      />
      {hint && (
        <p id={`${id}-hint`} className="mt-2 text-lg text-slate-600">
          {hint}
        </p>
      )}
    </div>
  );
}
