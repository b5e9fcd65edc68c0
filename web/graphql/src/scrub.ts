// The error-report scrubber both apps hand to Sentry as beforeSend (web: @sentry/react, patient app:
// @sentry/react-native). It knows no Sentry package: it works on the plain shape of an event, so it
// stays platform-neutral, and it mirrors the server's (internal/sentry.Scrub).
//
// What leaves a device: the error's type, its scrubbed message and stack frames (file, function, line:
// no source lines, no local variables), tags and contexts scrubbed, the page's path scrubbed. What never
// leaves: the user, breadcrumbs (they record clicks, console lines and GraphQL calls), the request's
// body, query string, cookies and headers, extra data, and in any text the shapes of patient data and
// credentials (quoted values, e-mail addresses, phone numbers and long digit runs, dates as ISO or as a
// page shows them, query strings, JWTs, Bearer values, long tokens such as a status link's), and any value
// the app says it holds (patientValues: the names, MRNs and phones of the patients in its cache).

export const FILTERED = "[Filtered]";

const scrubbers: RegExp[] = [
  /\b(?:bearer|basic)\s+[A-Za-z0-9._~+/=-]+/gi, // Authorization values
  /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, // JWT
  /'(?:[^']|'')*'/g, // 'quoted'
  /"(?:[^"\\]|\\.)*"/g, // "quoted"
  /\([^()]*\)=\([^()]*\)/g, // a database's Key (mrn)=(…)
  /[^\s@'"<>()]+@[^\s@'"<>()]+\.[A-Za-z]{2,}/g, // e-mail
  /\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?/g, // dates
  /\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b/g, // dates as a page shows them: 23/07/1961
  /\b\d{1,2}\.?\s+(?:de\s+)?\p{L}{3,12}\.?\s+(?:de\s+)?\d{4}\b/gu, // 23 Jul 1961, 23 juil. 1961, 23 de julio de 1961
  /\b\p{L}{3,12}\.?\s+\d{1,2},?\s+\d{4}\b/gu, // Jul 23, 1961
  /\?[^\s?#]*=[^\s#]*/g, // a query string inside a message (an address the page was at)
  /\+?\d[\d\s().-]{5,}\d/g, // phones, MRNs, long numbers
];

// 20 or more URL-safe characters with a digit among them: a token or an ID, not a word.
const longToken = /[A-Za-z0-9_-]{20,}/g;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Replaces the shapes of patient data and credentials in text by [Filtered], and first every known value
 * (the patients' names, MRNs, phones the app holds: a name has no shape to recognise).
 */
export function scrubText(text: string, known: readonly string[] = []): string {
  let out = text;
  for (const value of known) out = out.replace(new RegExp(escapeRegExp(value), "gi"), FILTERED);
  for (const re of scrubbers) out = out.replace(re, FILTERED);
  return out.replace(longToken, (t) => (/\d/.test(t) ? FILTERED : t));
}

/** Keeps a URL's path, scrubbed (a status link's path holds its token); drops its query and fragment. */
export function scrubUrl(url: string, known: readonly string[] = []): string {
  return scrubText(url.replace(/[?#].*$/, ""), known);
}

// Fields of a cached Patient that are not the patient's data.
const patientMeta = new Set(["__typename", "id", "language", "smsOptIn", "createdAt", "updatedAt"]);

/**
 * The patient data an app holds, for scrubText's known values: every string field of the Patient
 * objects in a normalised cache (Apollo's cache.extract()), whole and word by word, longest first;
 * words shorter than 3 characters are left out (they would filter ordinary words).
 */
export function patientValues(cache: Record<string, unknown>): string[] {
  const values = new Set<string>();
  for (const obj of Object.values(cache)) {
    if (!obj || typeof obj !== "object" || (obj as { __typename?: unknown }).__typename !== "Patient") continue;
    for (const [k, v] of Object.entries(obj)) {
      if (patientMeta.has(k) || typeof v !== "string") continue;
      for (const part of [v, ...v.split(/[\s,]+/)]) if (part.trim().length >= 3) values.add(part.trim());
    }
  }
  return [...values].sort((a, b) => b.length - a.length);
}

// Keys whose values are a patient's data, a credential or what a request carried.
const patientKey = /name|mrn|phone|birth|dob|email|address|note|variables|body|token|password|code|patient|query|cookie/i;

function scrubValues(values: Record<string, unknown>, known: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (patientKey.test(k)) continue;
    if (typeof v === "string") out[k] = scrubText(v, known);
    else if (typeof v === "number" || typeof v === "boolean") out[k] = v;
    else if (v && typeof v === "object" && !Array.isArray(v)) out[k] = scrubValues(v as Record<string, unknown>, known);
  }
  return out;
}

interface Frame {
  vars?: unknown;
  pre_context?: unknown;
  context_line?: unknown;
  post_context?: unknown;
  abs_path?: string;
  filename?: string;
}

/** The parts of a Sentry event the scrubber reads; other fields pass through untouched. */
export interface ScrubbableEvent {
  message?: string;
  transaction?: string;
  user?: unknown;
  breadcrumbs?: unknown;
  extra?: unknown;
  request?: { url?: string; method?: string; headers?: Record<string, string> };
  tags?: Record<string, unknown>;
  contexts?: Record<string, unknown>;
  exception?: { values?: { value?: string; stacktrace?: { frames?: Frame[] } }[] };
  logentry?: { message?: string; formatted?: string; params?: unknown };
}

// Request headers that say nothing about who calls or with what credentials.
const keptHeaders = new Set(["content-type", "accept", "x-request-id"]);

/**
 * Scrubs an event in place and returns it (Sentry's beforeSend). Tags named request_id and trace_id
 * are kept whole: they lead to the server's logs and trace and hold no data. known: values to filter
 * wherever they appear (patientValues), besides the shapes.
 */
export function scrubEvent<E extends ScrubbableEvent>(event: E, known: readonly string[] = []): E {
  delete event.user;
  delete event.breadcrumbs;
  delete event.extra;
  if (event.message !== undefined) event.message = scrubText(event.message, known);
  if (event.transaction !== undefined) event.transaction = scrubUrl(event.transaction, known);
  if (event.logentry) {
    event.logentry = {
      message: event.logentry.message === undefined ? undefined : scrubText(event.logentry.message, known),
      formatted: event.logentry.formatted === undefined ? undefined : scrubText(event.logentry.formatted, known),
    };
  }
  if (event.request) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(event.request.headers ?? {})) {
      if (keptHeaders.has(k.toLowerCase())) headers[k] = v;
    }
    event.request = {
      method: event.request.method,
      url: event.request.url === undefined ? undefined : scrubUrl(event.request.url, known),
      headers,
    };
  }
  if (event.tags) {
    const tags: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(event.tags)) {
      if (k === "request_id" || k === "trace_id") tags[k] = v;
      else if (typeof v === "string") tags[k] = scrubText(v, known);
      else if (typeof v === "number" || typeof v === "boolean") tags[k] = v;
    }
    event.tags = tags;
  }
  if (event.contexts) {
    const contexts: Record<string, unknown> = {};
    for (const [name, c] of Object.entries(event.contexts)) {
      if (c && typeof c === "object" && !Array.isArray(c)) contexts[name] = scrubValues(c as Record<string, unknown>, known);
    }
    event.contexts = contexts;
  }
  for (const ex of event.exception?.values ?? []) {
    if (ex.value !== undefined) ex.value = scrubText(ex.value, known);
    for (const f of ex.stacktrace?.frames ?? []) {
      delete f.vars;
      delete f.pre_context;
      delete f.context_line;
      delete f.post_context;
      if (f.abs_path !== undefined) f.abs_path = scrubUrl(f.abs_path, known);
      if (f.filename !== undefined) f.filename = scrubUrl(f.filename, known);
    }
  }
  return event;
}

/** What the apps use of a Sentry SDK once it is loaded. */
export interface ReportingSdk {
  captureException(error: unknown): unknown;
}

/**
 * One app's error reports. start(load) loads and starts the SDK when load is given (a build or page
 * without a DSN passes null, and the SDK is never loaded; a load that fails leaves reports off);
 * report(error) sends an error a boundary caught once the SDK is started, and nothing when it is off.
 */
export function errorReports<S extends ReportingSdk>() {
  let started: Promise<S | null> = Promise.resolve(null);
  return {
    start(load: (() => Promise<S>) | null): Promise<S | null> {
      started = load ? load().catch(() => null) : Promise.resolve(null);
      return started;
    },
    report(error: unknown): void {
      void started.then((sdk) => sdk?.captureException(error));
    },
  };
}
