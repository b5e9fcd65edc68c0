// /board/:departmentId: the waiting-room display for a TV. Public (no sign-in), ticket codes only.
// The BoardPage query loads it over HTTP; boardChanged keeps it live (BoardSnapshot is normalised by
// departmentID, so pushes update the query's data). Each new call chimes and is spoken, in the
// facility's language.
import { errorCode, getFragmentData, useConnectionStatus, useNow } from "@carequeue/graphql";
import { useQuery, useSubscription } from "@apollo/client/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";

import { BoardChangedDocument, BoardPageDocument, Board_SnapshotFragmentDoc } from "../../generated/graphql";
import { useFollowLanguage } from "../../i18n";
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

  const [latest, ...recent] = board?.nowCalling ?? [];
  const live = online && connection !== "reconnecting" && !(error && !board);

  return (
    <main className="flex min-h-screen flex-col bg-slate-950 p-8 text-white">
      <header className="flex items-baseline justify-between">
        <h1 className="text-4xl font-bold tracking-tight">{t("board.nowCalling")}</h1>
        <div className="flex items-center gap-6">
          {!live && (
            <span role="status" className="rounded bg-amber-400 px-3 py-1 text-xl font-semibold text-amber-950">
              {t("board.reconnecting")}
            </span>
          )}
          <span role="timer" className="text-4xl tabular" aria-label={t("board.clock")}>
            {new Date(now).toLocaleTimeString(i18n.language, { hour: "2-digit", minute: "2-digit" })}
          </span>
        </div>
      </header>

      <section aria-live="assertive" aria-atomic="true" className="mt-8 flex flex-1 flex-col items-center justify-center">
        {latest ? (
          <div className={`rounded-3xl px-16 py-10 text-center ${flash === latest.code ? "animate-pulse bg-teal-700" : "bg-slate-800"}`}>
            <p className="font-mono text-[10rem] leading-none font-bold tabular" data-testid="board-latest-code">
              {latest.code}
            </p>
            <p className="mt-6 text-6xl font-semibold">{t("board.goTo", { place: latest.servicePointName })}</p>
          </div>
        ) : (
          <p className="text-5xl text-slate-300">{board ? t("board.nobodyCalled") : t("app.loading")}</p>
        )}
      </section>

      {recent.length > 0 && (
        <section aria-labelledby="board-recent" className="mt-8">
          <h2 id="board-recent" className="mb-3 text-3xl font-semibold text-slate-300">
            {t("board.recent")}
          </h2>
          <ul className="grid grid-cols-2 gap-4 lg:grid-cols-4">
            {recent.map((e) => (
              <li key={`${e.code}|${e.calledAt}`} className="rounded-xl bg-slate-800 px-6 py-4">
                <span className="block font-mono text-5xl font-bold tabular">{e.code}</span>
                <span className="block text-2xl text-slate-300">{e.servicePointName}</span>
              </li>
            ))}
          </ul>
        </section>
      )}

      <footer className="mt-8 flex items-center justify-between text-3xl text-slate-300">
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
