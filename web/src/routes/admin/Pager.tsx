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

/** The page info of a Relay connection, as the lists that load more ask for it. */
export interface MorePageInfo {
  hasNextPage: boolean;
  endCursor?: string | null;
}

/**
 * "Load more" under a list whose query pages with `after` (Apollo's relayStylePagination appends each
 * page to the ones before in the cache): shown while the server says there is a next page, so no list
 * stops silently at its first page.
 */
export function LoadMore({ pageInfo, onMore }: { pageInfo: MorePageInfo | null | undefined; onMore: (after: string) => Promise<unknown> }) {
  const { t } = useTranslation("admin");
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const after = pageInfo?.endCursor;
  if (!pageInfo?.hasNextPage || !after) return null;
  const more = () => {
    setLoading(true);
    setFailed(false);
    onMore(after)
      .catch(() => setFailed(true))
      .finally(() => setLoading(false));
  };
  return (
    <div className="mt-3 flex items-center gap-3 text-sm">
      <Button variant="secondary" size="sm" disabled={loading} onClick={more}>
        {loading ? t("pager.loadingMore") : t("pager.loadMore")}
      </Button>
      {failed && (
        <p role="alert" className="text-red-700">
          {t("pager.loadMoreFailed")}
        </p>
      )}
    </div>
  );
}
