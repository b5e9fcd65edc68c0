// Where the CareQueue server is. Pure string work: React Native's URL class lacks most getters.
import Constants from "expo-constants";

export interface ApiUrls {
  /** Scheme and host, e.g. https://care.example.org (no trailing slash). */
  origin: string;
  /** The GraphQL endpoint over HTTP. */
  httpUrl: string;
  /** The same endpoint over WebSocket (ws:// or wss://). */
  wsUrl: string;
}

/**
 * The API endpoints for a configured server: an absolute http(s) URL, or (web build only) a path on
 * the page's own origin, e.g. "/" when the app and the API are served from one origin.
 * Throws for anything else, so a bad EXPO_PUBLIC_API_URL fails at start, not at the first request.
 */
export function apiUrls(configured: string, pageOrigin?: string): ApiUrls {
  let base = configured.trim();
  if (base.startsWith("/")) {
    if (!pageOrigin) throw new Error(`EXPO_PUBLIC_API_URL "${configured}" is a path, which only a web build can use`);
    base = pageOrigin.replace(/\/+$/, "") + base;
  }
  const m = /^(https?):\/\/([^/?#\s]+)(\/[^?#\s]*)?$/i.exec(base);
  if (!m) throw new Error(`EXPO_PUBLIC_API_URL must be an http(s) URL, got "${configured}"`);
  const scheme = m[1]!.toLowerCase();
  const origin = `${scheme}://${m[2]!}`;
  const path = (m[3] ?? "/").replace(/\/+$/, "");
  const httpUrl = `${origin}${path}/graphql`;
  return { origin, httpUrl, wsUrl: httpUrl.replace(/^http/, "ws") };
}

/** The server URL this build was made for (app.config.ts: EXPO_PUBLIC_API_URL). */
export function configuredApiUrl(): string {
  const extra = Constants.expoConfig?.extra as { apiUrl?: unknown } | undefined;
  return typeof extra?.apiUrl === "string" && extra.apiUrl ? extra.apiUrl : "http://localhost:8080";
}

/** The page's origin in a browser build, undefined on a phone. */
export function pageOrigin(): string | undefined {
  const loc = (globalThis as { location?: { origin?: string } }).location;
  return typeof loc?.origin === "string" && /^https?:/.test(loc.origin) ? loc.origin : undefined;
}
