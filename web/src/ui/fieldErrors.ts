// Server validation errors, placed next to the field they are about, in every form of the app (staff
// forms, dialogs, admin; the kiosk through its state machine). The server names the field in
// extensions.field ("input.prefix", "password", "reason", "input.patient.phone") for BAD_USER_INPUT
// and for some CONFLICTs (a taken email); forms key their fields by the input's own names, without
// "input.". After a failed save the first field that says what is wrong takes the focus, so a screen
// reader reads its message (tied to it by aria-describedby).
import { CombinedGraphQLErrors, ServerError } from "@apollo/client/errors";
import { useEffect, useRef, type RefObject } from "react";

/** Field name → the server's message about it. */
export type FieldErrors = Readonly<Record<string, string>>;

interface FormattedError {
  message?: string;
  extensions?: { code?: unknown; field?: unknown } | null;
}

function errorsOf(error: unknown): readonly FormattedError[] {
  if (CombinedGraphQLErrors.is(error)) return error.errors;
  if (ServerError.is(error)) {
    try {
      const body = JSON.parse(error.bodyText) as { errors?: FormattedError[] };
      return Array.isArray(body.errors) ? body.errors : [];
    } catch {
      return [];
    }
  }
  return [];
}

/** "input.prefix" → "prefix"; "input" (the input as a whole) → "". */
export function fieldName(path: string): string {
  return path === "input" ? "" : path.replace(/^input\./, "");
}

/** The errors of a failed mutation that name a field, by field name. */
export function fieldErrors(error: unknown): FieldErrors {
  const out: Record<string, string> = {};
  for (const e of errorsOf(error)) {
    const f = e.extensions?.field;
    if (typeof f !== "string") continue;
    const name = fieldName(f);
    if (name && !(name in out)) out[name] = e.message ?? "";
  }
  return out;
}

/**
 * Whether the error has something to say that no field of the form shows (a network failure, a
 * permission, a rule about several fields): the form then shows it as a whole.
 */
export function hasUnplacedError(error: unknown, shownFields: readonly string[]): boolean {
  if (!error) return false;
  const errors = errorsOf(error);
  if (errors.length === 0) return true;
  return errors.some((e) => {
    const f = e.extensions?.field;
    return typeof f !== "string" || !shownFields.includes(fieldName(f));
  });
}

/**
 * A form's ref that moves the focus to its first field marked aria-invalid each time a save fails
 * (each failure is a new error). Fields mark themselves invalid from fieldErrors(error).
 */
export function useFocusOnInvalid<E extends HTMLElement = HTMLFormElement>(error: unknown): RefObject<E | null> {
  const ref = useRef<E>(null);
  useEffect(() => {
    if (error) ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);
  return ref;
}

/**
 * The server's message as people are shown it: the server writes English, so a screen in English shows
 * its words as a sentence ("Phone is not a mobile number: …."), and a screen in another language
 * shows its own message for the code and field instead (null here).
 */
export function serverWords(message: string | null | undefined, language: string): string | null {
  const m = message?.trim();
  if (!m || !/^en\b/.test(language)) return null;
  const sentence = m.charAt(0).toUpperCase() + m.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}
