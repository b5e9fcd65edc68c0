// Server validation errors, placed next to the field they are about. The server names the field in
// extensions.field ("input.prefix", "password", "notifyAhead") for BAD_USER_INPUT and for some
// CONFLICTs (a taken email); forms key their fields by the input's own names, without "input.".
import { CombinedGraphQLErrors, ServerError } from "@apollo/client/errors";

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
