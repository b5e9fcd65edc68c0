import type { PatientWhereInput } from "../../generated/graphql";

/**
 * The patients filter for what a receptionist typed: a phone number (digits, spaces, +, -, brackets;
 * a leading trunk 0 is dropped so "07700 900123" finds +447700900123), or words that must each
 * appear in the given name, family name or MRN. Null when there is nothing to search for.
 */
export function patientSearchWhere(text: string): PatientWhereInput | null {
  const trimmed = text.trim();
  if (trimmed.length < 2) return null;
  const digits = trimmed.replace(/\D/g, "");
  if (/^[\d\s+()./-]+$/.test(trimmed) && digits.length >= 3) {
    return { phoneContains: digits.replace(/^0+/, "") || digits };
  }
  const words = trimmed.split(/\s+/).filter(Boolean);
  return {
    and: words.map((w) => ({
      or: [{ givenNameContainsFold: w }, { familyNameContainsFold: w }, { mrnContainsFold: w }],
    })),
  };
}
