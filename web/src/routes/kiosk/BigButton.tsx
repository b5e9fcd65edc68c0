import type { ButtonHTMLAttributes } from "react";

import { Spinner } from "../../ui/Spinner";

const variants = {
  primary: "bg-teal-700 text-white hover:bg-teal-800 active:bg-teal-900 disabled:bg-teal-700/50",
  secondary: "bg-white text-slate-900 ring-2 ring-slate-300 hover:bg-slate-100 active:bg-slate-200 disabled:text-slate-400",
} as const;

/** A kiosk button: large enough for any finger (at least 64 px high), large type. */
export function BigButton({
  variant = "primary",
  busy = false,
  className = "",
  children,
  disabled,
  type,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: keyof typeof variants; busy?: boolean }) {
  return (
    <button
      type={type ?? "button"}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      className={`inline-flex min-h-16 items-center justify-center gap-3 rounded-2xl px-6 py-4 text-2xl font-semibold shadow-sm transition-colors disabled:cursor-not-allowed ${variants[variant]} ${className}`}
      {...rest}
    >
      {busy && <Spinner className="size-6" />}
      {children}
    </button>
  );
}
