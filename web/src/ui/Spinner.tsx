import { useTranslation } from "react-i18next";

/** A decorative spinner (hidden from screen readers: pair it with text or aria-busy). */
export function Spinner({ className = "size-5" }: { className?: string }) {
  return (
    <svg className={`animate-spin ${className}`} viewBox="0 0 24 24" fill="none" aria-hidden="true">
      <circle cx="12" cy="12" r="10" stroke="currentColor" strokeOpacity="0.25" strokeWidth="4" />
      <path d="M22 12a10 10 0 0 0-10-10" stroke="currentColor" strokeWidth="4" strokeLinecap="round" />
    </svg>
  );
}

/** The loading state of a page or section, announced politely. */
export function Loading({ label, className = "" }: { label?: string; className?: string }) {
  const { t } = useTranslation();
  return (
    <div role="status" className={`flex items-center gap-3 p-6 text-slate-600 ${className}`}>
      <Spinner />
      <span>{label ?? t("app.loading")}</span>
    </div>
  );
}
