// Choices the reference-data forms offer.
import { timeZones as listTimeZones } from "../../../i18n/format";

import { LANGUAGES } from "../../../i18n";

/** Languages of boards, kiosks and SMS: the app's own, which the server's templates also speak. */
export const FACILITY_LANGUAGES = LANGUAGES;

/** The IANA time zones this browser knows (the server checks the choice again). */
export function timeZones(): string[] {
  return listTimeZones() ?? ["UTC"];
}

/**
 * A mobile number as people type it in each region the facility locales cover, and what it is read
 * as (libphonenumber's example mobiles; Ofcom's drama range for GB, as on the kiosk). The admin sees
 * what a national number typed at reception or the kiosk will mean before choosing the region.
 */
export const PHONE_SAMPLES: Readonly<Record<string, { national: string; e164: string }>> = {
  AU: { national: "0412 345 678", e164: "+61 412 345 678" },
  BE: { national: "0470 12 34 56", e164: "+32 470 12 34 56" },
  CA: { national: "(506) 234-5678", e164: "+1 506-234-5678" },
  CH: { national: "078 123 45 67", e164: "+41 78 123 45 67" },
  ES: { national: "612 34 56 78", e164: "+34 612 34 56 78" },
  FR: { national: "06 12 34 56 78", e164: "+33 6 12 34 56 78" },
  GB: { national: "07700 900123", e164: "+44 7700 900123" },
  IE: { national: "085 012 3456", e164: "+353 85 012 3456" },
  MX: { national: "222 123 4567", e164: "+52 222 123 4567" },
  US: { national: "(201) 555-0123", e164: "+1 201-555-0123" },
};

/** The regions offered first in the facility form: the ones of the supported locales. */
export const PHONE_REGIONS = Object.keys(PHONE_SAMPLES);
