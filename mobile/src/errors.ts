// What a patient reads for each of the server's error codes. Calm, specific, never the server's raw
// text for anything but input problems.
import { errorCode } from "@carequeue/graphql";
import type { TFunction } from "i18next";

/** The message for an error, in the patient's language. `context` picks screen-specific wording. */
export function patientMessage(t: TFunction, error: unknown, context: "signIn" | "code" | "ticket" | "checkIn" | "general" = "general"): string {
  const code = errorCode(error);
  switch (code) {
    case undefined:
      return "";
    case "NETWORK":
      return t("common.network");
    case "RATE_LIMITED":
      return t("signIn.rateLimited");
    case "UNAUTHENTICATED":
      return context === "code" ? t("signIn.wrongCode") : t("common.sessionEnded");
    case "BAD_USER_INPUT":
      if (context === "code") return t("signIn.wrongCode");
      if (context === "signIn") return t("signIn.phoneInvalid");
      return t("common.error");
    case "FORBIDDEN":
      return context === "checkIn" ? t("checkIn.forbidden") : t("ticket.notYours");
    case "NOT_FOUND":
      return context === "ticket" ? t("ticket.notFound") : t("common.error");
    case "CONFLICT":
      return context === "checkIn" ? t("checkIn.already") : t("common.error");
    default:
      return t("common.error");
  }
}

/**
 * A phone number as typed → E.164 (+ and 8–15 digits), or null. Spaces, dots, dashes and brackets go,
 * and so does a "(0)" trunk prefix ("+44 (0)7700 900123"), which is never dialled after a country code.
 */
export function normalisePhone(input: string): string | null {
  const s = input.trim().replace(/\(\s*0\s*\)/g, "").replace(/[\s().-]/g, "");
  const e164 = s.startsWith("00") ? `+${s.slice(2)}` : s;
  return /^\+[1-9]\d{7,14}$/.test(e164) ? e164 : null;
}
