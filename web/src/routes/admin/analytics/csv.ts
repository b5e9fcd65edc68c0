// The CSV download of a department's daily figures: GET /admin/reports.csv with the access token as
// a Bearer header (a plain link cannot carry it), then the browser saves the blob. A refused token is
// refreshed once through the shared SessionManager and the request retried.
import { ServerError } from "@apollo/client/errors";

export const REPORTS_CSV_PATH = "/admin/reports.csv";

export interface ReportRange {
  departmentID: string;
  /** YYYY-MM-DD, facility-local, inclusive. */
  from: string;
  to: string;
}

/** What the download needs of the session (SessionManager from @carequeue/graphql has both). */
export interface TokenSource {
  accessToken(): Promise<string | null>;
  refresh(rejected?: string): Promise<boolean>;
}

/** The CSV's address: /admin/reports.csv?departmentID=…&from=…&to=… */
export function reportsCsvUrl(range: ReportRange, base: string = REPORTS_CSV_PATH): string {
  const q = new URLSearchParams({ departmentID: range.departmentID, from: range.from, to: range.to });
  return `${base}?${q.toString()}`;
}

function fileName(res: Response, range: ReportRange): string {
  const m = /filename="?([^";]+)"?/i.exec(res.headers.get("content-disposition") ?? "");
  return m?.[1] ?? `carequeue-${range.departmentID}-${range.from}-${range.to}.csv`;
}

/**
 * Fetches the CSV. Rejects with Apollo's ServerError for an error answer (errorCode and ErrorNotice
 * read the server's code and message from it) and a plain Error when the answer is not CSV.
 */
export async function fetchReportsCsv(
  range: ReportRange,
  session: TokenSource,
  fetchImpl: typeof fetch = fetch,
): Promise<{ blob: Blob; fileName: string }> {
  const url = reportsCsvUrl(range);
  const get = (token: string | null) =>
    fetchImpl(url, { headers: { accept: "text/csv", ...(token ? { authorization: `Bearer ${token}` } : {}) } });

  let token = await session.accessToken();
  let res = await get(token);
  if (res.status === 401 && token && (await session.refresh(token))) {
    token = await session.accessToken();
    res = await get(token);
  }
  if (!res.ok) {
    const bodyText = await res.text();
    throw new ServerError(`reports.csv answered HTTP ${res.status}`, { response: res, bodyText });
  }
  if (!(res.headers.get("content-type") ?? "").includes("text/csv")) {
    throw new Error(`reports.csv answered ${res.headers.get("content-type") ?? "no content type"}, not CSV`);
  }
  return { blob: await res.blob(), fileName: fileName(res, range) };
}

/** Hands a blob to the browser as a download. */
export function saveBlob(blob: Blob, name: string): void {
  const href = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = href;
  a.download = name;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 1_000);
}

/** Fetches the CSV and saves it. */
export async function downloadReportsCsv(
  range: ReportRange,
  session: TokenSource,
  fetchImpl: typeof fetch = fetch,
  save: (blob: Blob, name: string) => void = saveBlob,
): Promise<void> {
  const { blob, fileName: name } = await fetchReportsCsv(range, session, fetchImpl);
  save(blob, name);
}
