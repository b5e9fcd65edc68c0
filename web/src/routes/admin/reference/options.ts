// Choices the reference-data forms offer.
import { timeZones as listTimeZones } from "../../../i18n/format";

import { LANGUAGES } from "../../../i18n";

/** Languages of boards, kiosks and SMS: the app's own, which the server's templates also speak. */
export const FACILITY_LANGUAGES = LANGUAGES;

/** The IANA time zones this browser knows (the server checks the choice again). */
export function timeZones(): string[] {
  return listTimeZones() ?? ["UTC"];
}
