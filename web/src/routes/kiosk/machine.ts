// The self check-in flow as a pure state machine: what each touch, keypad key and answer of the server
// does to the kiosk's screen. No I/O and no clock: KioskFlow sends the events (with the time and a
// fresh idempotency key where a step needs them), runs the check-in when `submitting` turns on, and
// answers with "succeeded" or "failed".
//
//   start ─┬─ "I have an appointment" ─▶ reference ───────────────────────┬─▶ ticket (code, QR) ─▶ start
//          └─ "no reference" ─▶ phone ─▶ date of birth ─▶ queue choice ───┘     └─ problem ─▶ start
//
// The phone step asks the server (validatePhone, the rule the check-in applies) before moving on:
// `checkingPhone` turns on, and the answer ("phoneChecked") moves on to the date of birth or shows the
// error at the phone step. No answer (offline) moves on: the check-in checks the number again.
// A refusal from the server keeps its own words (errorDetail: "phone is not a mobile number: text
// messages need a mobile number"), shown where the kiosk speaks the server's language; elsewhere the
// step's message for that field, in the patient's language.
// While a check-in is on its way the screen stays on the step it was sent from (busy) and only the
// fields still take input. Every attempt carries an idempotency key, kept while the patient retries
// the same details. "startOver" (Done, Start again, or the idle timeout) forgets everything, and an
// answer that arrives after it is dropped.
import type { ErrorCode } from "@carequeue/graphql";

import type { KioskCheckInInput } from "../../generated/graphql";
import type { PhoneVerdict } from "./useValidatePhone";

export type Step = "start" | "reference" | "phone" | "dob" | "queue" | "ticket" | "problem";
export type Problem = "NOT_FOUND" | "RATE_LIMITED" | "CONFLICT" | "NETWORK" | "FORBIDDEN" | "OTHER";
export type Attempt = Omit<KioskCheckInInput, "idempotencyKey">;

export interface Dob {
  day: string;
  month: string;
  year: string;
}
export type DobField = keyof Dob;

export const DOB_FIELDS = ["day", "month", "year"] as const satisfies readonly DobField[];
export const DOB_LENGTH: Record<DobField, number> = { day: 2, month: 2, year: 4 };
const NO_DOB: Dob = { day: "", month: "", year: "" };
const PHONE_MAX = 20;
/** The longest appointment reference the kiosk takes (the server's limit). */
export const REFERENCE_MAX = 128;

/** The message under a step's form, as its locale key. */
export type FieldError =
  | "kiosk.badInput.reference"
  | "kiosk.badInput.phone"
  | "kiosk.badInput.dateOfBirth"
  | "kiosk.badInput.queue"
  | "kiosk.badInput.other"
  | "kiosk.dob.invalid";

export interface KioskState<Ticket> {
  step: Step;
  reference: string;
  phone: string;
  dob: Dob;
  /** The date-of-birth field the keypad types into (the one with the focus). */
  dobField: DobField;
  /** The order the date of birth is typed in: the facility's locale's (en-GB day first, en-US month first). */
  dobOrder: readonly DobField[];
  error: FieldError | null;
  /** The server's own words for the error (its message), when the server refused; null for the kiosk's own checks. */
  errorDetail: string | null;
  /** The last attempt and its idempotency key, until it succeeds or the screen starts over. */
  attempt: { input: Attempt; key: string } | null;
  /** The attempt is on its way. */
  submitting: boolean;
  /** The phone number is being checked by the server. */
  checkingPhone: boolean;
  ticket: Ticket | null;
  problem: Problem | null;
}

export type KioskEvent<Ticket> =
  | { type: "chooseReference" }
  | { type: "choosePhone" }
  | { type: "back" }
  | { type: "startOver" }
  | { type: "referenceChanged"; value: string }
  /** A key of the on-screen keyboard (a letter, digit or dash) and its delete key. */
  | { type: "referenceKey"; key: string }
  | { type: "referenceDelete" }
  /** newKey: the idempotency key to use when these details were not tried before. */
  | { type: "submitReference"; newKey: string }
  | { type: "phoneChanged"; value: string }
  | { type: "phoneKey"; key: string }
  | { type: "phoneDelete" }
  | { type: "submitPhone" }
  /** phone: the number that was checked (an answer for a number since changed is dropped). */
  | { type: "phoneChecked"; phone: string; verdict: PhoneVerdict; message?: string }
  | { type: "dobChanged"; field: DobField; value: string }
  | { type: "dobFocused"; field: DobField }
  | { type: "dobKey"; key: string }
  | { type: "dobDelete" }
  /** The facility's locale is known: its order of day, month and year (dateFieldOrder). */
  | { type: "dobOrder"; order: readonly DobField[] }
  | { type: "submitDob"; now: number }
  | { type: "chooseQueue"; queueID: string; now: number; newKey: string }
  | { type: "retry" }
  /** key: the idempotency key the answer is for. */
  | { type: "succeeded"; key: string; ticket: Ticket }
  /** field: the input field the server blamed (extensions.field, e.g. "input.phone"). */
  | { type: "failed"; key: string; code: ErrorCode | undefined; field?: string; message?: string };

export function initialKioskState<Ticket>(dobOrder: readonly DobField[] = DOB_FIELDS): KioskState<Ticket> {
  return {
    step: "start",
    reference: "",
    phone: "",
    dob: NO_DOB,
    dobField: dobOrder[0]!,
    dobOrder,
    error: null,
    errorDetail: null,
    attempt: null,
    submitting: false,
    checkingPhone: false,
    ticket: null,
    problem: null,
  };
}

/** YYYY-MM-DD for a real, past date of birth; null otherwise. */
export function dateOfBirth({ day, month, year }: Dob, now = Date.now()): string | null {
  const d = Number(day);
  const m = Number(month);
  const y = Number(year);
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year) || y < 1900) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || date.getTime() > now) return null;
  return `${year}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** The problem screen offers "Try again" (with the same key) only where trying again can help. */
export function canRetry(state: KioskState<unknown>): boolean {
  return state.step === "problem" && (state.problem === "NETWORK" || state.problem === "OTHER" || state.problem === null) && state.attempt !== null;
}

const BACK: Partial<Record<Step, Step>> = { reference: "start", phone: "start", dob: "phone", queue: "dob" };
const KNOWN_PROBLEMS: readonly string[] = ["NOT_FOUND", "RATE_LIMITED", "CONFLICT", "NETWORK", "FORBIDDEN"];
/** The server's input field (a substring of extensions.field) → where the patient corrects it. */
const BAD_INPUT: readonly [field: string, step: Step, error: FieldError][] = [
  ["appointmentReference", "reference", "kiosk.badInput.reference"],
  ["phone", "phone", "kiosk.badInput.phone"],
  ["dateOfBirth", "dob", "kiosk.badInput.dateOfBirth"],
  ["queueID", "queue", "kiosk.badInput.queue"],
];

export function kioskReducer<Ticket>(state: KioskState<Ticket>, event: KioskEvent<Ticket>): KioskState<Ticket> {
  switch (event.type) {
    case "startOver":
      return initialKioskState(state.dobOrder);
    case "dobOrder":
      return dobOrder(state, event.order);
    case "succeeded":
      if (!answers(state, event.key)) return state;
      return { ...state, step: "ticket", ticket: event.ticket, reference: "", phone: "", dob: NO_DOB, error: null, errorDetail: null, attempt: null, submitting: false };
    case "failed":
      return answers(state, event.key) ? failed({ ...state, submitting: false }, event.code, event.field, event.message) : state;
    case "referenceChanged":
      return { ...state, reference: event.value.toUpperCase().slice(0, REFERENCE_MAX) };
    case "referenceKey":
      return state.reference.length < REFERENCE_MAX ? { ...state, reference: state.reference + event.key.toUpperCase() } : state;
    case "referenceDelete":
      return { ...state, reference: state.reference.slice(0, -1) };
    case "phoneChanged":
      return { ...state, phone: event.value };
    case "phoneKey":
      return phoneKey(state, event.key);
    case "phoneDelete":
      return { ...state, phone: state.phone.slice(0, -1) };
    case "dobChanged":
      return changeDob(state, event.field, event.value);
    case "dobFocused":
      return state.dobField === event.field ? state : { ...state, dobField: event.field };
    case "dobKey":
      return typeDob(state, event.key);
    case "dobDelete":
      return deleteDob(state);
    case "phoneChecked":
      if (!state.checkingPhone) return state;
      if (state.step !== "phone" || state.phone !== event.phone) return { ...state, checkingPhone: false };
      return event.verdict === "invalid" ? { ...state, checkingPhone: false, error: "kiosk.badInput.phone", errorDetail: event.message || null } : go({ ...state, checkingPhone: false }, "dob");
  }
  // Moving on, going back and sending wait until the answer is in.
  if (state.submitting || state.checkingPhone) return state;
  switch (event.type) {
    case "chooseReference":
      return state.step === "start" ? go(state, "reference") : state;
    case "choosePhone":
      return state.step === "start" ? go(state, "phone") : state;
    case "back": {
      const to = BACK[state.step];
      return to ? go(state, to) : state;
    }
    case "submitReference": {
      if (state.step !== "reference") return state;
      const ref = state.reference.trim();
      return ref ? submit(state, { appointmentReference: ref }, event.newKey) : { ...state, error: "kiosk.badInput.reference", errorDetail: null };
    }
    case "submitPhone":
      if (state.step !== "phone") return state;
      return state.phone.replace(/\D/g, "").length < 7 ? { ...state, error: "kiosk.badInput.phone", errorDetail: null } : { ...state, error: null, errorDetail: null, checkingPhone: true };
    case "submitDob":
      if (state.step !== "dob") return state;
      return dateOfBirth(state.dob, event.now) ? go(state, "queue") : { ...state, error: "kiosk.dob.invalid", errorDetail: null };
    case "chooseQueue": {
      if (state.step !== "queue") return state;
      const date = dateOfBirth(state.dob, event.now);
      if (!date) return go(state, "dob", "kiosk.dob.invalid");
      return submit(state, { phone: state.phone.trim(), dateOfBirth: date, queueID: event.queueID }, event.newKey);
    }
    case "retry":
      return canRetry(state) && state.attempt ? submit(state, state.attempt.input, state.attempt.key) : state;
  }
}

/** To another step, with no message (or the one given); the date of birth is typed from its first field on. */
function go<Ticket>(state: KioskState<Ticket>, step: Step, error: FieldError | null = null, errorDetail: string | null = null): KioskState<Ticket> {
  const dobField = step === "dob" && state.step !== "dob" ? state.dobOrder[0]! : state.dobField;
  return { ...state, step, error, errorDetail, dobField };
}

function submit<Ticket>(state: KioskState<Ticket>, input: Attempt, newKey: string): KioskState<Ticket> {
  const same = state.attempt !== null && JSON.stringify(state.attempt.input) === JSON.stringify(input);
  return { ...state, error: null, errorDetail: null, attempt: { input, key: same ? state.attempt!.key : newKey }, submitting: true };
}

/** Whether an answer is for the attempt on its way (not one from before the screen started over). */
function answers(state: KioskState<unknown>, key: string): boolean {
  return state.submitting && state.attempt?.key === key;
}

function failed<Ticket>(state: KioskState<Ticket>, code: ErrorCode | undefined, field = "", message = ""): KioskState<Ticket> {
  if (code === "BAD_USER_INPUT") {
    const blamed = BAD_INPUT.find(([name]) => field.includes(name));
    return blamed ? go(state, blamed[1], blamed[2], message || null) : { ...state, error: "kiosk.badInput.other", errorDetail: message || null };
  }
  const problem = code && KNOWN_PROBLEMS.includes(code) ? (code as Problem) : "OTHER";
  return { ...state, step: "problem", problem };
}

/**
 * A key of the phone keypad. People group the digits as they read them ("07700 900123"), so the space
 * key types a space, but never first and never two in a row (which no one means).
 */
function phoneKey<Ticket>(state: KioskState<Ticket>, key: string): KioskState<Ticket> {
  if (state.phone.length >= PHONE_MAX) return state;
  if (key === " " && (state.phone === "" || state.phone.endsWith(" "))) return state;
  return { ...state, phone: state.phone + key };
}

/** A keypad key into the date-of-birth field being typed; a full field moves on to the next. */
function typeDob<Ticket>(state: KioskState<Ticket>, key: string): KioskState<Ticket> {
  const field = state.dobField;
  const value = state.dob[field];
  if (value.length >= DOB_LENGTH[field]) return state;
  return { ...state, dob: { ...state.dob, [field]: value + key }, dobField: fieldAfter(state.dobOrder, field, value + key) };
}

/**
 * A date-of-birth field typed on a keyboard: digits only, cut to length; a field that becomes full
 * moves the typing on to the next, as the keypad does.
 */
function changeDob<Ticket>(state: KioskState<Ticket>, field: DobField, typed: string): KioskState<Ticket> {
  const value = typed.replace(/\D/g, "").slice(0, DOB_LENGTH[field]);
  const dobField = value.length > state.dob[field].length ? fieldAfter(state.dobOrder, field, value) : field;
  return { ...state, dob: { ...state.dob, [field]: value }, dobField };
}

/** Where typing goes once field holds value: the next field in the locale's order when this one is full. */
function fieldAfter(order: readonly DobField[], field: DobField, value: string): DobField {
  const i = order.indexOf(field);
  return value.length === DOB_LENGTH[field] && i < order.length - 1 ? order[i + 1]! : field;
}

/**
 * A new order of the fields (the facility's locale arrived): an untouched date of birth starts at the
 * new first field; one being typed keeps its field. An order that is not day, month and year once each
 * is ignored.
 */
function dobOrder<Ticket>(state: KioskState<Ticket>, order: readonly DobField[]): KioskState<Ticket> {
  const valid = order.length === DOB_FIELDS.length && DOB_FIELDS.every((f) => order.includes(f));
  if (!valid || order.join() === state.dobOrder.join()) return state;
  const untouched = !state.dob.day && !state.dob.month && !state.dob.year;
  return { ...state, dobOrder: [...order], dobField: untouched ? order[0]! : state.dobField };
}

/** The keypad's delete: the last digit of the field, or back to the previous field when it is empty. */
function deleteDob<Ticket>(state: KioskState<Ticket>): KioskState<Ticket> {
  const field = state.dobField;
  const value = state.dob[field];
  const i = state.dobOrder.indexOf(field);
  if (!value && i > 0) return { ...state, dobField: state.dobOrder[i - 1]! };
  return { ...state, dob: { ...state.dob, [field]: value.slice(0, -1) } };
}
