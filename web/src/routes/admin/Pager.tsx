// Relay cursor paging for the admin lists: page N is fetched with `after` = the end cursor of page N-1,
// so going back is a stack of cursors and nothing is counted by offset.
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";

import { Button } from "../../ui/Button";

export interface CursorPages {
  /** The `after` argument of the current page (null: the first page). */
  after: string | null;
  /** 1-based. */
  page: number;
  next(endCursor: string): void;
  previous(): void;
  /** Back to the first page (filters changed). */
  reset(): void;
}

export function useCursorPages(): CursorPages {
  const [stack, setStack] = useState<(string | null)[]>([null]);
  const next = useCallback((endCursor: string) => setStack((s) => [...s, endCursor]), []);
  const previous = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);
  const reset = useCallback(() => setStack([null]), []);
  return { after: stack[stack.length - 1] ?? null, page: stack.length, next, previous, reset };
}

export function Pager({
  pages,
  totalCount,
  hasNextPage,
  endCursor,
  loading,
}: {
  pages: CursorPages;
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null | undefined;
  loading: boolean;
}) {
  const { t } = useTranslation("admin");
  return (
    <nav aria-label={t("pager.label")} className="mt-3 flex flex-wrap items-center justify-between gap-2 text-sm text-slate-700">
      <p aria-live="polite">{t("pager.info", { page: pages.page, count: totalCount })}</p>
      <div className="flex gap-2">
        <Button variant="secondary" size="sm" disabled={pages.page === 1 || loading} onClick={pages.previous}>
          {t("pager.previous")}
        </Button>
        <Button
          variant="secondary"
          size="sm"
          disabled={!hasNextPage || !endCursor || loading}
          onClick={() => endCursor && pages.next(endCursor)}
        >
          {t("pager.next")}
        </Button>
      </div>
    </nav>
  );
}
