// Error reports to Sentry from the patient app, off unless the build names a DSN
// (EXPO_PUBLIC_SENTRY_DSN, app.config.ts extra.sentryDsn). Off, the Sentry SDK is never loaded. On,
// nothing personal is collected (no default PII, sessions, screenshots, view hierarchy, failed-request
// capture or breadcrumbs) and every event passes the scrubber the web app uses too (@carequeue/graphql
// scrubEvent) before it is sent.
import { errorReports, scrubEvent } from "@carequeue/graphql";
import type { ReactNativeOptions } from "@sentry/react-native";
import Constants from "expo-constants";

type Sentry = Pick<typeof import("@sentry/react-native"), "init" | "captureException">;

/** Where and how the app reports errors. */
export interface ReportSettings {
  dsn: string;
  environment?: string;
  release?: string;
}

/** The report settings this build was made with (app.config.ts extra); null without a DSN. */
export function reportSettings(
  extra: Record<string, unknown> | undefined = Constants.expoConfig?.extra,
  version: string | undefined = Constants.expoConfig?.version,
): ReportSettings | null {
  const text = (v: unknown) => (typeof v === "string" && v ? v : undefined);
  const dsn = text(extra?.sentryDsn);
  if (!dsn) return null;
  return { dsn, environment: text(extra?.sentryEnvironment), release: version ? `carequeue-patient@${version}` : undefined };
}

// Default integrations left out: breadcrumbs and console record what happens in the app.
const leftOut = new Set(["Breadcrumbs", "Console"]);

/**
 * The options the SDK is started with. known: the patient data the app holds (the names, MRNs and
 * phones in its cache, patientValues), filtered wherever they appear: a name has no shape to match.
 */
export function sentryOptions(settings: ReportSettings, known: () => readonly string[] = () => []): ReactNativeOptions {
  return {
    dsn: settings.dsn,
    environment: settings.environment,
    release: settings.release,
    sendDefaultPii: false,
    enableAutoSessionTracking: false, // a session carries the user's id
    attachScreenshot: false, // a screenshot shows the patient's name and ticket
    attachViewHierarchy: false,
    reportAccessibilityIdentifier: false,
    enableCaptureFailedRequests: false, // a failed request carries its URL, a status link's token
    maxBreadcrumbs: 0,
    beforeBreadcrumb: () => null,
    beforeSend: (event) => scrubEvent(event, known()),
    integrations: (defaults) => defaults.filter((i) => !leftOut.has(i.name)),
  };
}

const reports = errorReports<Sentry>();

/** Starts error reports when the build names a DSN (uncaught errors are then reported by the SDK). */
export function startErrorReports(
  known: () => readonly string[] = () => [],
  settings: ReportSettings | null = reportSettings(),
  load: () => Promise<Sentry> = () => import("@sentry/react-native"),
): Promise<Sentry | null> {
  return reports.start(
    settings &&
      (() =>
        load().then((sentry) => {
          sentry.init(sentryOptions(settings, known));
          return sentry;
        })),
  );
}

/** Reports an error a boundary caught; nothing when reports are off. */
export const reportError = reports.report;
