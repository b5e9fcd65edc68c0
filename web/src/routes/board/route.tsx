// /board/:departmentId: the waiting-room display for a TV. Public (no sign-in), ticket codes only.
// The BoardPage query loads it over HTTP; boardChanged keeps it live (BoardSnapshot is normalised by
// departmentID, so pushes update the query's data). Each new call chimes and is spoken, in the
// facility's language.
import { errorCode, getFragmentData, useConnectionStatus, useNow } from "@carequeue/graphql";
import { useQuery, useSubscription } from "@apollo/client/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";

import { BoardChangedDocument, BoardPageDocument, Board_SnapshotFragmentDoc } from "../../generated/graphql";
import { useFollowLanguage } from "../../i18n";
import { formatter } from "../../i18n/format";
import { useOnline } from "../../shell/ConnectionBanner";
import { usePageTitle } from "../../ui/usePageTitle";
import { audioReady, chime, speak, spokenCode, unlockAudio } from "./announce";

const RETRY_MS = 10_000;

export function Component() {
  const { t, i18n } = useTranslation();
  usePageTitle(t("board.title"));
  const { departmentId = "" } = useParams();
  const now = useNow(10_000);
  const online = useOnline();
  const connection = useConnectionStatus();
  const { data, error, refetch } = useQuery(BoardPageDocument, { variables: { departmentID: departmentId } });
  const unknownBoard = errorCode(error) === "NOT_FOUND";
  useSubscription(BoardChangedDocument, { variables: { departmentID: departmentId }, skip: unknownBoard });
  const board = data ? getFragmentData(Board_SnapshotFragmentDoc, data.board) : undefined;
  const [sound, setSound] = useState(audioReady);
  // A TV started with an autoplay policy that allows sound needs no click; elsewhere this stays off
  // and the "Turn on sound" button appears.
  useEffect(() => {
    void unlockAudio().then(setSound, () => setSound(false));
  }, []);
  useFollowLanguage(board?.language, false); // a TV speaks the facility's language (?lang= overrides)

  // The server was unreachable at load: keep trying (the socket retries on its own).
  useEffect(() => {
    if (!error || unknownBoard) return;
    const h = setInterval(() => void refetch().catch(() => undefined), RETRY_MS);
    return () => clearInterval(h);
  }, [error, unknownBoard, refetch]);

  // Announce calls not seen before (a recall has a new calledAt, so it is announced again).
  const seen = useRef<Set<string> | null>(null);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const [flash, setFlash] = useState<string | null>(null);
  useEffect(() => {
    if (!board) return;
    const keys = board.nowCalling.map((e) => `${e.code}|${e.calledAt}`);
    if (seen.current === null) {
      seen.current = new Set(keys); // what was already called when the board opened is not news
      return;
    }
    const fresh = board.nowCalling.filter((e) => !seen.current!.has(`${e.code}|${e.calledAt}`)).reverse();
    for (const k of keys) seen.current.add(k);
    for (const e of fresh) {
      queue.current = queue.current.then(async () => {
        setFlash(e.code);
        await chime();
        await speak(t("board.callout", { code: spokenCode(e.code), place: e.servicePointName }), i18n.language);
      });
    }
    void queue.current.then(() => setFlash(null));
  }, [board, t, i18n.language]);

  if (unknownBoard && !board) {
    return (
      <main className="flex min-h-screen items-center justify-center bg-slate-950 p-8 text-center text-4xl text-white">
        <p role="alert">{t("board.notFound")}</p>
      </main>
    );
  }

  const [latest, ...alsoCalling] = board?.nowCalling ?? [];
  const live = online && connection !== "reconnecting" && !(error && !board);
  // The clock and call times read as the hospital's own clocks: the facility's locale and zone, not the TV's.
  const fmt = useMemo(
    () => formatter({ language: i18n.language, locale: board?.locale, timeZone: board?.timezone }),
    [i18n.language, board?.locale, board?.timezone],
  );
  const clock = fmt.time;

  // Sized for reading across a waiting room: a 1920×1080 TV shows the calls beside the last calls; a
  // portrait screen stacks them. Nothing scrolls: lists are short and long names wrap.
  return (
    <main className="flex min-h-screen flex-col gap-8 overflow-hidden bg-slate-950 p-8 text-white">
      <header className="flex flex-wrap items-start justify-between gap-x-8 gap-y-2">
        <div className="min-w-0">
          <h1 className="text-5xl font-bold tracking-tight break-words" data-testid="board-department">
            {board?.departmentName ?? t("board.title")}
          </h1>
          {board && <p className="mt-2 text-3xl text-slate-300 break-words">{board.facilityName}</p>}
        </div>
        <div className="flex items-center gap-6">
          {!live && (
            <span role="status" className="rounded bg-amber-400 px-3 py-1 text-2xl font-semibold text-amber-950">
              {t("board.reconnecting")}
            </span>
          )}
          <span role="timer" className="text-5xl font-semibold tabular" aria-label={t("board.clock")}>
            {clock(now)}
          </span>
        </div>
      </header>

      <div className="grid flex-1 gap-8 landscape:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <section aria-labelledby="board-now" aria-live="assertive" aria-atomic="true" className="flex min-w-0 flex-col">
          <h2 id="board-now" className="text-4xl font-semibold text-slate-300">
            {t("board.nowCalling")}
          </h2>
          <div className="flex flex-1 flex-col items-center justify-center py-6">
            {latest ? (
              <div className={`w-full rounded-3xl px-8 py-10 text-center ${flash === latest.code ? "animate-pulse bg-teal-700" : "bg-slate-800"}`}>
                <p className="font-mono text-[10rem] leading-none font-bold tabular" data-testid="board-latest-code">
                  {latest.code}
                </p>
                <p className="mt-6 text-6xl font-semibold break-words">{t("board.goTo", { place: latest.servicePointName })}</p>
              </div>
            ) : (
              <p className="text-center text-5xl text-slate-300">{board ? t("board.nobodyCalled") : t("app.loading")}</p>
            )}
          </div>
          {alsoCalling.length > 0 && (
            <ul aria-label={t("board.alsoCalling")} className="grid grid-cols-2 gap-4">
              {alsoCalling.slice(0, 4).map((e) => (
                <li key={`${e.code}|${e.calledAt}`} className="min-w-0 rounded-xl bg-slate-800 px-6 py-4">
                  <span className="block font-mono text-5xl font-bold tabular">{e.code}</span>
                  <span className="block text-3xl break-words text-slate-200">{e.servicePointName}</span>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section aria-labelledby="board-recent" className="min-w-0">
          <h2 id="board-recent" className="mb-4 text-4xl font-semibold text-slate-300">
            {t("board.recent")}
          </h2>
          {board && board.recentCalls.length === 0 ? (
            <p className="text-3xl text-slate-400">{t("board.noRecentCalls")}</p>
          ) : (
            <ol className="divide-y divide-slate-700 rounded-xl bg-slate-900" data-testid="board-recent-calls">
              {board?.recentCalls.map((e) => (
                <li key={`${e.code}|${e.calledAt}`} className="flex flex-wrap items-baseline gap-x-5 gap-y-1 px-6 py-4 text-4xl">
                  <span className="font-mono font-bold tabular">{e.code}</span>
                  <span aria-hidden="true" className="text-slate-400">
                    →
                  </span>
                  <span className="min-w-0 flex-1 break-words">{e.servicePointName}</span>
                  <time dateTime={e.calledAt} className="text-3xl text-slate-300 tabular">
                    {clock(e.calledAt)}
                  </time>
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>

      <footer className="flex flex-wrap items-center justify-between gap-4 text-4xl text-slate-300">
        <span>{board ? t("board.waiting", { count: board.waitingCount }) : ""}</span>
        {!sound && (
          <button
            type="button"
            onClick={() => void unlockAudio().then(setSound)}
            className="rounded-lg bg-white px-6 py-3 text-2xl font-semibold text-slate-950"
          >
            {t("board.enableSound")}
          </button>
        )}
      </footer>
    </main>
  );
}
