// Small building blocks shared by the admin screens: the page header, the active/inactive badge,
// the empty-list line, the next step of an empty install and the table style.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { usePageTitle } from "../../ui/usePageTitle";

/** The page's heading (h1, also the tab title), an optional description and actions on the right. */
export function PageHeader({ title, description, actions }: { title: string; description?: string; actions?: ReactNode }) {
  usePageTitle(title);
  return (
    <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
      <div className="max-w-3xl">
        <h1 className="text-2xl font-semibold text-slate-900">{title}</h1>
        {description && <p className="mt-1 text-sm text-slate-700">{description}</p>}
      </div>
      {actions && <div className="flex flex-wrap gap-2">{actions}</div>}
    </div>
  );
}

/** Active or inactive, written out (colour is never the only signal). */
export function ActiveBadge({ active, activeLabel, inactiveLabel }: { active: boolean; activeLabel?: string; inactiveLabel?: string }) {
  const { t } = useTranslation("admin");
  return (
    <span
      className={`inline-block rounded px-1.5 py-0.5 text-xs font-semibold whitespace-nowrap ${
        active ? "bg-green-100 text-green-900" : "bg-slate-200 text-slate-800"
      }`}
    >
      {active ? (activeLabel ?? t("common.active")) : (inactiveLabel ?? t("common.inactive"))}
    </span>
  );
}

export function EmptyRow({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={colSpan} className="px-3 py-4 text-sm text-slate-600">
        {children}
      </td>
    </tr>
  );
}

/** Table classes: a bordered, zebra-free table that scrolls sideways on narrow screens. */
export const table = {
  wrap: "overflow-x-auto rounded-lg border border-slate-200 bg-white",
  table: "min-w-full divide-y divide-slate-200 text-sm",
  th: "px-3 py-2 text-left text-xs font-semibold tracking-wide text-slate-700 uppercase",
  td: "px-3 py-2 text-left align-top text-slate-900",
  caption: "sr-only",
} as const;

/**
 * What an empty page says on a new install: why it is empty and the next step, with a link to the page
 * where that step is taken (none when it is taken on this page, e.g. with its "New …" button).
 */
export function NextStep({ children, to, linkLabel }: { children: ReactNode; to?: string; linkLabel?: string }) {
  return (
    <div role="note" className="max-w-3xl rounded-md border border-sky-200 bg-sky-50 p-4 text-sm text-slate-800">
      <p>{children}</p>
      {to && linkLabel && (
        <Link to={to} className="mt-2 inline-block font-semibold text-sky-800 underline underline-offset-2 hover:text-sky-950">
          {linkLabel}
        </Link>
      )}
    </div>
  );
}
