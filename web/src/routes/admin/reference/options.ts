// Choices the reference-data forms offer.

/** Languages of boards, kiosks and SMS (the server's templates), named in their own language. */
export const FACILITY_LANGUAGES = [
  { code: "en", name: "English" },
  { code: "es", name: "Español" },
  { code: "fr", name: "Français" },
] as const;

/** The IANA time zones this browser knows (the server checks the choice again). */
export function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return ["UTC"];
  }
}
