// Error reports to Sentry, off unless the server wrote a DSN into the page (SENTRY_WEB_DSN: the
// <meta name="sentry-dsn|sentry-environment|sentry-release"> of index.html, so one build serves every
// environment). Off, the Sentry SDK is never loaded (it is a chunk of its own, outside the initial
// budget). On, every event passes the shared scrubber (@carequeue/graphql scrubEvent) before it is sent,
// and no breadcrumbs are collected: they would record GraphQL calls and what was typed.
import { errorReports, scrubEvent } from "@carequeue/graphql";
import type { BrowserOptions } from "@sentry/react";

type Sentry = typeof import("./sentrySdk");

/** Where and how the page reports errors, as the server wrote it. */
export interface ReportSettings {
  dsn: string;
  environment?: string;
  release?: string;
}

/** Reads the report settings from the page's <meta> elements; null without a DSN. */
export function reportSettings(doc: Document): ReportSettings | null {
  const meta = (name: string) => doc.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content || undefined;
  const dsn = meta("sentry-dsn");
  return dsn ? { dsn, environment: meta("sentry-environment"), release: meta("sentry-release") } : null;
}

// Default integrations left out: breadcrumbs and console record what happens on the page; sessions
// (release health) send the user's id or e-mail address, unscrubbed, as the session's "did".
const leftOut = new Set(["Breadcrumbs", "Console", "BrowserSession"]);

/**
 * The options the SDK is started with: no data collected, scrubbed events, no breadcrumbs, no sessions.
 * known gives the patient data the page holds when an event is sent (names have no shape the scrubber
 * could recognise): those values are filtered wherever they appear.
 */
export function sentryOptions(settings: ReportSettings, known: () => readonly string[] = () => []): BrowserOptions {
  return {
    dsn: settings.dsn,
    environment: settings.environment,
    release: settings.release,
    // SDK 11 collects user info, cookies, headers, bodies, query parameters and GraphQL variables by
    // default: none of it, before the scrubber even sees the event.
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpHeaders: false,
      httpBodies: [],
      urlQueryParams: false,
      graphQL: { document: false, variables: false },
      databaseQueryData: false,
      queues: false,
      stackFrameVariables: false,
      frameContextLines: 0,
    },
    maxBreadcrumbs: 0,
    beforeBreadcrumb: () => null,
    beforeSend: (event) => scrubEvent(event, known()),
    integrations: (defaults) => defaults.filter((i) => !leftOut.has(i.name)),
  };
}

const reports = errorReports<Sentry>();

/**
 * Starts error reports when the page names a DSN: loads the SDK and initialises it (uncaught errors and
 * unhandled rejections are then reported by the SDK itself; a chunk that did not load, offline, leaves
 * them off). known: the patient data the page holds (see sentryOptions). extra is for tests (a transport).
 */
export function startErrorReports(
  known: () => readonly string[] = () => [],
  doc: Document = document,
  load: () => Promise<Sentry> = () => import("./sentrySdk"),
  extra: Partial<BrowserOptions> = {},
): Promise<Sentry | null> {
  const settings = reportSettings(doc);
  return reports.start(
    settings &&
      (() =>
        load().then((sentry) => {
          sentry.init({ ...sentryOptions(settings, known), ...extra });
          return sentry;
        })),
  );
}

/** Reports an error a boundary caught (RouteError); nothing when reports are off. */
export const reportError = reports.report;
