// Locale rules both apps format with (web/src/i18n/format.ts, mobile/src/i18n/format.ts): which tag to
// format in, whether the facility's clock is a 24-hour one, and which zone is usable. The only file of
// this package allowed to use Intl (the web app's formatting scan names it): the apps' formatters
// build on these, so a patient's phone and reception's screen agree on what "10:42" means.

/** The canonical form of a BCP 47 tag ("en-gb" → "en-GB"), or undefined for none or a malformed one. */
export function canonicalLocale(tag: string | null | undefined): string | undefined {
  if (!tag) return undefined;
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

/** The IANA zone if this runtime knows it; undefined otherwise, so an unknown zone falls back to the device's rather than blanking a screen. */
export function validTimeZone(timeZone: string | null | undefined): string | undefined {
  if (!timeZone) return undefined;
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}

/** The tag to format with: the locale, with the reader's language's words when they read another one ("es" in an en-GB hospital: "es-GB"). */
export function displayLocale(language: string, locale?: string | null): string {
  const loc = canonicalLocale(locale);
  const lang = canonicalLocale(language) ?? "en";
  if (!loc) return lang;
  const l = new Intl.Locale(loc);
  const base = new Intl.Locale(lang).language;
  return base === l.language || !l.region ? loc : `${base}-${l.region}`;
}

/** Whether the locale's clock is a 24-hour one (en-GB, es-ES, fr-FR: yes; en-US, es-MX: no). */
export function uses24HourClock(locale: string): boolean {
  const cycle = new Intl.DateTimeFormat(canonicalLocale(locale) ?? "en", { hour: "numeric" }).resolvedOptions().hourCycle;
  return cycle === "h23" || cycle === "h24";
}
