// The CSV download: the right address, the access token as a Bearer header, one refresh when the
// token is refused, and the server's coded errors passed on.
import { errorCode, errorDetail } from "@carequeue/graphql";
import { describe, expect, it, vi } from "vitest";

import { downloadReportsCsv, fetchReportsCsv, reportsCsvUrl, type TokenSource } from "./csv";

const range = { departmentID: "DP01M8APBS3M367K38EBFMQ80RWW", from: "2026-11-20", to: "2026-11-26" };
const CSV = "day,department_id,queue_id,queue_name,arrivals\n2026-11-26,DP1,,,18\n";

function csvResponse() {
  return new Response(CSV, {
    status: 200,
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="carequeue-DP1-2026-11-20-2026-11-26.csv"' },
  });
}

function errorResponse(status: number, code: string, message: string, field?: string) {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code, ...(field ? { field } : {}) } }] }), {
    status,
    headers: { "content-type": "application/json" },
  });
}

function tokens(...issued: string[]): TokenSource & { refresh: ReturnType<typeof vi.fn> } {
  let i = 0;
  return {
    accessToken: async () => issued[i] ?? null,
    refresh: vi.fn(async () => {
      i++;
      return i < issued.length;
    }),
  };
}

function headerOf(call: unknown[] | undefined, name: string): string | null {
  return new Headers((call?.[1] as RequestInit | undefined)?.headers).get(name);
}

describe("reports CSV", () => {
  it("BuildsTheAddress", () => {
    expect(reportsCsvUrl(range)).toBe("/admin/reports.csv?departmentID=DP01M8APBS3M367K38EBFMQ80RWW&from=2026-11-20&to=2026-11-26");
    expect(reportsCsvUrl({ departmentID: "a&b=c", from: "x y", to: "z" })).toBe("/admin/reports.csv?departmentID=a%26b%3Dc&from=x+y&to=z");
  });

  it("SendsTheAccessTokenAndSavesTheFile", async () => {
    const fetchMock = vi.fn(async () => csvResponse());
    const save = vi.fn();
    await downloadReportsCsv(range, tokens("token-1"), fetchMock as unknown as typeof fetch, save);

    expect(fetchMock).toHaveBeenCalledOnce();
    const call = fetchMock.mock.calls[0] as unknown[];
    expect(call[0]).toBe(reportsCsvUrl(range));
    expect(headerOf(call, "authorization")).toBe("Bearer token-1");
    expect(save).toHaveBeenCalledOnce();
    const [blob, name] = save.mock.calls[0] as [Blob, string];
    expect(name).toBe("carequeue-DP1-2026-11-20-2026-11-26.csv");
    expect(await blob.text()).toBe(CSV);
  });

  it("RefreshesARefusedTokenOnce", async () => {
    const fetchMock = vi
      .fn<(url: string, init?: RequestInit) => Promise<Response>>()
      .mockResolvedValueOnce(errorResponse(401, "UNAUTHENTICATED", "token expired"))
      .mockResolvedValueOnce(csvResponse());
    const session = tokens("old", "new");
    const { fileName } = await fetchReportsCsv(range, session, fetchMock as unknown as typeof fetch);

    expect(session.refresh).toHaveBeenCalledWith("old");
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(headerOf(fetchMock.mock.calls[1], "authorization")).toBe("Bearer new");
    expect(fileName).toMatch(/\.csv$/);
  });

  it("RejectsWithTheServersCode", async () => {
    const fetchMock = vi.fn(async () => errorResponse(400, "BAD_USER_INPUT", "from must be on or before to", "from"));
    const err = await fetchReportsCsv(range, tokens("t"), fetchMock as unknown as typeof fetch).catch((e: unknown) => e);
    expect(errorCode(err)).toBe("BAD_USER_INPUT");
    expect(errorDetail(err)).toBe("from must be on or before to");
  });

  it("RejectsAnAnswerThatIsNotCSV", async () => {
    // e.g. a development server answering with the app's index.html
    const fetchMock = vi.fn(async () => new Response("<!doctype html>", { status: 200, headers: { "content-type": "text/html" } }));
    const save = vi.fn();
    await expect(downloadReportsCsv(range, tokens("t"), fetchMock as unknown as typeof fetch, save)).rejects.toThrow(/not CSV/);
    expect(save).not.toHaveBeenCalled();
  });
});
