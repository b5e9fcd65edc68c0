// The formatter of the screen: the facility's locale and time zone (given once by the layout that knows
// the facility: the staff shell, the board, the kiosk) with the UI language. See format.ts.
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { formatter, type Formatter } from "./format";

interface Facility {
  locale?: string | null;
  timeZone?: string | null;
}

const FacilityFormat = createContext<Facility>({});

/** Gives the screens below the facility's locale and time zone (unknown: the browser's). */
export function FormatProvider({ locale, timeZone, children }: Facility & { children: ReactNode }) {
  const value = useMemo(() => ({ locale, timeZone }), [locale, timeZone]);
  return <FacilityFormat.Provider value={value}>{children}</FacilityFormat.Provider>;
}

/** The facility's locale and time zone as FormatProvider gave them (inputs that follow their order or zone). */
export function useFacilityFormat(): Facility {
  return useContext(FacilityFormat);
}

/** Dates, times, numbers and durations in the facility's locale and time zone and the UI language. */
export function useFormat(): Formatter {
  const { i18n } = useTranslation();
  const { locale, timeZone } = useContext(FacilityFormat);
  return useMemo(() => formatter({ language: i18n.language, locale, timeZone }), [i18n.language, locale, timeZone]);
}
