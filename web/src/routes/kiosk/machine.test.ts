// The kiosk's state machine, transition by transition: a table of (state, event) → what changes.
import { describe, expect, it } from "vitest";

import { canRetry, initialKioskState, kioskReducer, type KioskEvent, type KioskState } from "./machine";

type State = KioskState<string>;
type Event = KioskEvent<string>;

const NOW = Date.UTC(2026, 10, 26);
const start: State = initialKioskState();
const at = (patch: Partial<State>): State => ({ ...start, ...patch });

const DOB = { day: "15", month: "06", year: "1985" };
const byReference = { input: { appointmentReference: "EHR-1" }, key: "k1" };
const byPhone = { input: { phone: "+44 7700 900999", dateOfBirth: "1985-06-15", queueID: "QU1" }, key: "k1" };
const phoneFilled = at({ step: "queue", phone: "+44 7700 900999 ", dob: DOB, dobField: "year" });
const sentByReference = at({ step: "reference", reference: "EHR-1", attempt: byReference, submitting: true });
const sentByPhone = at({ ...phoneFilled, attempt: byPhone, submitting: true });
// An en-US facility types month, day, year.
const US: State = initialKioskState(["month", "day", "year"]);
const us = (patch: Partial<State>): State => ({ ...US, ...patch });

const rows: [name: string, from: State, event: Event, to: State][] = [
  // Choosing the way in, and back.
  ["start → reference", start, { type: "chooseReference" }, at({ step: "reference" })],
  ["start → phone", start, { type: "choosePhone" }, at({ step: "phone" })],
  ["reference ← back", at({ step: "reference", reference: "EHR", error: "kiosk.badInput.reference" }), { type: "back" }, at({ reference: "EHR" })],
  ["phone ← back", at({ step: "phone", phone: "0770" }), { type: "back" }, at({ phone: "0770" })],
  ["dob ← back", at({ step: "dob", phone: "0770", dob: DOB }), { type: "back" }, at({ step: "phone", phone: "0770", dob: DOB })],
  ["queue ← back: typing starts at the day", at({ step: "queue", dob: DOB, dobField: "year" }), { type: "back" }, at({ step: "dob", dob: DOB, dobField: "day" })],
  ["no back from the start", start, { type: "back" }, start],
  ["choosing only from the start", at({ step: "phone" }), { type: "chooseReference" }, at({ step: "phone" })],

  // The appointment reference.
  ["reference is upper-cased", at({ step: "reference" }), { type: "referenceChanged", value: "ehr-1" }, at({ step: "reference", reference: "EHR-1" })],
  ["reference typed: cut to 128", at({ step: "reference" }), { type: "referenceChanged", value: "a".repeat(300) }, at({ step: "reference", reference: "A".repeat(128) })],
  ["reference keyboard", at({ step: "reference", reference: "EHR" }), { type: "referenceKey", key: "-" }, at({ step: "reference", reference: "EHR-" })],
  ["reference keyboard upper-cases", at({ step: "reference", reference: "EHR-" }), { type: "referenceKey", key: "a" }, at({ step: "reference", reference: "EHR-A" })],
  ["reference keyboard stops at 128", at({ step: "reference", reference: "A".repeat(128) }), { type: "referenceKey", key: "B" }, at({ step: "reference", reference: "A".repeat(128) })],
  ["reference delete", at({ step: "reference", reference: "EHR-1" }), { type: "referenceDelete" }, at({ step: "reference", reference: "EHR-" })],
  ["reference delete when empty", at({ step: "reference" }), { type: "referenceDelete" }, at({ step: "reference" })],
  ["empty reference", at({ step: "reference", reference: "  " }), { type: "submitReference", newKey: "k1" }, at({ step: "reference", reference: "  ", error: "kiosk.badInput.reference" })],
  ["reference sent, trimmed, with a new key", at({ step: "reference", reference: " EHR-1 ", error: "kiosk.badInput.other" }), { type: "submitReference", newKey: "k1" }, at({ step: "reference", reference: " EHR-1 ", attempt: byReference, submitting: true })],
  ["the same details again keep their key", at({ step: "reference", reference: "EHR-1", attempt: byReference }), { type: "submitReference", newKey: "k2" }, sentByReference],
  ["other details get a new key", at({ step: "reference", reference: "EHR-2", attempt: byReference }), { type: "submitReference", newKey: "k2" }, at({ step: "reference", reference: "EHR-2", attempt: { input: { appointmentReference: "EHR-2" }, key: "k2" }, submitting: true })],

  // Phone and date of birth, on the keypad or the keyboard.
  ["phone keypad", at({ step: "phone", phone: "+4" }), { type: "phoneKey", key: "4" }, at({ step: "phone", phone: "+44" })],
  ["phone keypad stops at 20", at({ step: "phone", phone: "1".repeat(20) }), { type: "phoneKey", key: "2" }, at({ step: "phone", phone: "1".repeat(20) })],
  ["phone space key", at({ step: "phone", phone: "07700" }), { type: "phoneKey", key: " " }, at({ step: "phone", phone: "07700 " })],
  ["phone space key: never first", at({ step: "phone" }), { type: "phoneKey", key: " " }, at({ step: "phone" })],
  ["phone space key: never two in a row", at({ step: "phone", phone: "07700 " }), { type: "phoneKey", key: " " }, at({ step: "phone", phone: "07700 " })],
  ["phone space key stops at 20", at({ step: "phone", phone: "1".repeat(20) }), { type: "phoneKey", key: " " }, at({ step: "phone", phone: "1".repeat(20) })],
  ["phone delete", at({ step: "phone", phone: "+44" }), { type: "phoneDelete" }, at({ step: "phone", phone: "+4" })],
  ["phone typed", at({ step: "phone" }), { type: "phoneChanged", value: "07700 900999" }, at({ step: "phone", phone: "07700 900999" })],
  ["phone too short", at({ step: "phone", phone: "+44 12 34" }), { type: "submitPhone" }, at({ step: "phone", phone: "+44 12 34", error: "kiosk.badInput.phone" })],
  ["phone sent to the server's check", at({ step: "phone", phone: "0770090", error: "kiosk.badInput.phone" }), { type: "submitPhone" }, at({ step: "phone", phone: "0770090", checkingPhone: true })],
  ["phone valid → dob", at({ step: "phone", phone: "07700 900123", checkingPhone: true }), { type: "phoneChecked", phone: "07700 900123", verdict: "valid" }, at({ step: "dob", phone: "07700 900123" })],
  ["phone refused: stays, says so", at({ step: "phone", phone: "020 7946 0018", checkingPhone: true }), { type: "phoneChecked", phone: "020 7946 0018", verdict: "invalid" }, at({ step: "phone", phone: "020 7946 0018", error: "kiosk.badInput.phone" })],
  ["phone refused: the server's words kept", at({ step: "phone", phone: "020 7946 0018", checkingPhone: true }), { type: "phoneChecked", phone: "020 7946 0018", verdict: "invalid", message: "phone is not a mobile number" }, at({ step: "phone", phone: "020 7946 0018", error: "kiosk.badInput.phone", errorDetail: "phone is not a mobile number" })],
  ["the kiosk's own check drops the server's words", at({ step: "phone", phone: "020", error: "kiosk.badInput.phone", errorDetail: "phone is not a mobile number" }), { type: "submitPhone" }, at({ step: "phone", phone: "020", error: "kiosk.badInput.phone" })],
  ["sending again drops the server's words", at({ step: "phone", phone: "07700 900123", error: "kiosk.badInput.phone", errorDetail: "phone is not a mobile number" }), { type: "submitPhone" }, at({ step: "phone", phone: "07700 900123", checkingPhone: true })],
  ["phone check unanswered → dob (the check-in checks again)", at({ step: "phone", phone: "07700 900123", checkingPhone: true }), { type: "phoneChecked", phone: "07700 900123", verdict: "unknown" }, at({ step: "dob", phone: "07700 900123" })],
  ["phone answer for a number since changed is dropped", at({ step: "phone", phone: "07700 9001", checkingPhone: true }), { type: "phoneChecked", phone: "07700 900123", verdict: "valid" }, at({ step: "phone", phone: "07700 9001" })],
  ["phone answer after starting over is dropped", start, { type: "phoneChecked", phone: "07700 900123", verdict: "valid" }, start],
  ["no going back while the phone is checked", at({ step: "phone", phone: "07700 900123", checkingPhone: true }), { type: "back" }, at({ step: "phone", phone: "07700 900123", checkingPhone: true })],
  ["dob keypad", at({ step: "dob", dob: { ...DOB, day: "" } }), { type: "dobKey", key: "1" }, at({ step: "dob", dob: { ...DOB, day: "1" } })],
  ["a full day moves on to the month", at({ step: "dob", dob: { day: "1", month: "", year: "" } }), { type: "dobKey", key: "5" }, at({ step: "dob", dob: { day: "15", month: "", year: "" }, dobField: "month" })],
  ["a full year takes no more", at({ step: "dob", dob: DOB, dobField: "year" }), { type: "dobKey", key: "1" }, at({ step: "dob", dob: DOB, dobField: "year" })],
  ["dob delete", at({ step: "dob", dob: DOB, dobField: "month" }), { type: "dobDelete" }, at({ step: "dob", dob: { ...DOB, month: "0" }, dobField: "month" })],
  ["delete in an empty field goes back a field", at({ step: "dob", dob: { day: "15", month: "", year: "" }, dobField: "month" }), { type: "dobDelete" }, at({ step: "dob", dob: { day: "15", month: "", year: "" }, dobField: "day" })],
  ["dob typed: digits only, cut to length", at({ step: "dob" }), { type: "dobChanged", field: "year", value: "19a855" }, at({ step: "dob", dob: { day: "", month: "", year: "1985" }, dobField: "year" })],
  ["dob typed: a full day moves on to the month", at({ step: "dob", dob: { day: "1", month: "", year: "" } }), { type: "dobChanged", field: "day", value: "15" }, at({ step: "dob", dob: { day: "15", month: "", year: "" }, dobField: "month" })],
  ["dob typed: a full month moves on to the year", at({ step: "dob", dob: { day: "15", month: "0", year: "" }, dobField: "month" }), { type: "dobChanged", field: "month", value: "06" }, at({ step: "dob", dob: { day: "15", month: "06", year: "" }, dobField: "year" })],
  ["dob typed: a pasted date fills the day only, then moves on", at({ step: "dob" }), { type: "dobChanged", field: "day", value: "15/06/1985" }, at({ step: "dob", dob: { day: "15", month: "", year: "" }, dobField: "month" })],
  ["dob typed: deleting in a full field stays there", at({ step: "dob", dob: DOB, dobField: "day" }), { type: "dobChanged", field: "day", value: "1" }, at({ step: "dob", dob: { ...DOB, day: "1" }, dobField: "day" })],
  ["dob typed: retyping a full field with the same length stays", at({ step: "dob", dob: DOB, dobField: "month" }), { type: "dobChanged", field: "month", value: "07" }, at({ step: "dob", dob: { ...DOB, month: "07" }, dobField: "month" })],
  ["dob field touched", at({ step: "dob" }), { type: "dobFocused", field: "year" }, at({ step: "dob", dobField: "year" })],
  // The facility's order: en-US types month, day, year.
  ["en-US: starts at the month", us({ step: "phone", phone: "07700 900123", checkingPhone: true }), { type: "phoneChecked", phone: "07700 900123", verdict: "valid" }, us({ step: "dob", phone: "07700 900123", dobField: "month" })],
  ["en-US: a full month moves on to the day", us({ step: "dob", dob: { day: "", month: "0", year: "" } }), { type: "dobKey", key: "4" }, us({ step: "dob", dob: { day: "", month: "04", year: "" }, dobField: "day" })],
  ["en-US: a full day moves on to the year", us({ step: "dob", dob: { day: "0", month: "04", year: "" }, dobField: "day" }), { type: "dobKey", key: "3" }, us({ step: "dob", dob: { day: "03", month: "04", year: "" }, dobField: "year" })],
  ["en-US: typed day moves on to the year", us({ step: "dob", dob: { day: "", month: "04", year: "" }, dobField: "day" }), { type: "dobChanged", field: "day", value: "03" }, us({ step: "dob", dob: { day: "03", month: "04", year: "" }, dobField: "year" })],
  ["en-US: delete in an empty day goes back to the month", us({ step: "dob", dob: { day: "", month: "04", year: "" }, dobField: "day" }), { type: "dobDelete" }, us({ step: "dob", dob: { day: "", month: "04", year: "" }, dobField: "month" })],
  ["en-US: delete in the empty month stays", us({ step: "dob" }), { type: "dobDelete" }, us({ step: "dob" })],
  ["en-US: back from the queue starts at the month", us({ step: "queue", dob: DOB, dobField: "year" }), { type: "back" }, us({ step: "dob", dob: DOB, dobField: "month" })],
  ["en-US: starting over keeps the order", us({ step: "dob", dob: DOB, dobField: "year" }), { type: "startOver" }, US],
  ["the facility's order arrives", start, { type: "dobOrder", order: ["month", "day", "year"] }, US],
  ["an order arriving mid-date keeps the field", at({ step: "dob", dob: { day: "15", month: "", year: "" }, dobField: "month" }), { type: "dobOrder", order: ["month", "day", "year"] }, us({ step: "dob", dob: { day: "15", month: "", year: "" }, dobField: "month" })],
  ["an order without every field is ignored", start, { type: "dobOrder", order: ["month", "month", "year"] }, start],
  ["an order of two fields is ignored", start, { type: "dobOrder", order: ["month", "year"] }, start],
  ["dob not real", at({ step: "dob", dob: { day: "31", month: "02", year: "1985" } }), { type: "submitDob", now: NOW }, at({ step: "dob", dob: { day: "31", month: "02", year: "1985" }, error: "kiosk.dob.invalid" })],
  ["dob → queue", at({ step: "dob", dob: DOB, dobField: "year" }), { type: "submitDob", now: NOW }, at({ step: "queue", dob: DOB, dobField: "year" })],
  ["queue chosen: sent with phone, date and queue", phoneFilled, { type: "chooseQueue", queueID: "QU1", now: NOW, newKey: "k1" }, sentByPhone],
  ["queue chosen with a date that is not real", at({ step: "queue", dob: { day: "01", month: "01", year: "2030" } }), { type: "chooseQueue", queueID: "QU1", now: NOW, newKey: "k1" }, at({ step: "dob", dob: { day: "01", month: "01", year: "2030" }, error: "kiosk.dob.invalid" })],

  // The answers.
  ["ticket: the details are forgotten", sentByPhone, { type: "succeeded", key: "k1", ticket: "T" }, at({ step: "ticket", ticket: "T", dobField: "year" })],
  ["not found: see reception", sentByReference, { type: "failed", key: "k1", code: "NOT_FOUND" }, at({ step: "problem", problem: "NOT_FOUND", reference: "EHR-1", attempt: byReference })],
  ["rate limited", sentByReference, { type: "failed", key: "k1", code: "RATE_LIMITED" }, at({ step: "problem", problem: "RATE_LIMITED", reference: "EHR-1", attempt: byReference })],
  ["network error", sentByReference, { type: "failed", key: "k1", code: "NETWORK" }, at({ step: "problem", problem: "NETWORK", reference: "EHR-1", attempt: byReference })],
  ["an unknown error", sentByReference, { type: "failed", key: "k1", code: "INTERNAL" }, at({ step: "problem", problem: "OTHER", reference: "EHR-1", attempt: byReference })],
  ["no error code", sentByReference, { type: "failed", key: "k1", code: undefined }, at({ step: "problem", problem: "OTHER", reference: "EHR-1", attempt: byReference })],
  ["bad reference", sentByReference, { type: "failed", key: "k1", code: "BAD_USER_INPUT", field: "input.appointmentReference" }, at({ step: "reference", reference: "EHR-1", attempt: byReference, error: "kiosk.badInput.reference" })],
  ["bad phone: back to the phone", sentByPhone, { type: "failed", key: "k1", code: "BAD_USER_INPUT", field: "input.phone" }, at({ ...phoneFilled, step: "phone", attempt: byPhone, error: "kiosk.badInput.phone" })],
  ["bad date of birth: back to it, from the day", sentByPhone, { type: "failed", key: "k1", code: "BAD_USER_INPUT", field: "input.dateOfBirth" }, at({ ...phoneFilled, step: "dob", dobField: "day", attempt: byPhone, error: "kiosk.badInput.dateOfBirth" })],
  ["bad queue", sentByPhone, { type: "failed", key: "k1", code: "BAD_USER_INPUT", field: "input.queueID" }, at({ ...phoneFilled, attempt: byPhone, error: "kiosk.badInput.queue" })],
  ["bad phone: the server's words kept", sentByPhone, { type: "failed", key: "k1", code: "BAD_USER_INPUT", field: "input.phone", message: "phone is not valid" }, at({ ...phoneFilled, step: "phone", attempt: byPhone, error: "kiosk.badInput.phone", errorDetail: "phone is not valid" })],
  ["moving on drops the server's words", at({ step: "dob", dob: DOB, error: "kiosk.badInput.dateOfBirth", errorDetail: "date of birth is in the future" }), { type: "submitDob", now: NOW }, at({ step: "queue", dob: DOB })],
  ["bad input, no field", sentByPhone, { type: "failed", key: "k1", code: "BAD_USER_INPUT" }, at({ ...phoneFilled, attempt: byPhone, error: "kiosk.badInput.other" })],

  // Trying again.
  ["retry after a network error: the same key", at({ step: "problem", problem: "NETWORK", attempt: byReference }), { type: "retry" }, at({ step: "problem", problem: "NETWORK", attempt: byReference, submitting: true })],
  ["no retry when not found", at({ step: "problem", problem: "NOT_FOUND", attempt: byReference }), { type: "retry" }, at({ step: "problem", problem: "NOT_FOUND", attempt: byReference })],
  ["no retry when rate limited", at({ step: "problem", problem: "RATE_LIMITED", attempt: byReference }), { type: "retry" }, at({ step: "problem", problem: "RATE_LIMITED", attempt: byReference })],

  // While the check-in is on its way.
  ["the field still takes input", sentByReference, { type: "referenceChanged", value: "EHR-12" }, { ...sentByReference, reference: "EHR-12" }],
  ["no going back", sentByReference, { type: "back" }, sentByReference],
  ["no sending twice", sentByReference, { type: "submitReference", newKey: "k2" }, sentByReference],
  ["no retry", { ...sentByReference, step: "problem", problem: "NETWORK" }, { type: "retry" }, { ...sentByReference, step: "problem", problem: "NETWORK" }],

  // Starting over: Done, Start again, and 30 s without a touch all forget everything.
  ["from the ticket", at({ step: "ticket", ticket: "T" }), { type: "startOver" }, start],
  ["from a problem", at({ step: "problem", problem: "NOT_FOUND", attempt: byReference, reference: "EHR-1" }), { type: "startOver" }, start],
  ["from a half-filled form", at({ step: "dob", phone: "07700900999", dob: { day: "1", month: "", year: "" }, error: "kiosk.dob.invalid" }), { type: "startOver" }, start],
  ["an answer after starting over is dropped", start, { type: "succeeded", key: "k1", ticket: "T" }, start],
  ["an answer for another attempt is dropped", sentByReference, { type: "failed", key: "k0", code: "NOT_FOUND" }, sentByReference],
];

describe("kioskReducer", () => {
  it.each(rows)("%s", (_, from, event, to) => {
    expect(kioskReducer(from, event)).toEqual(to);
  });

  it("LeavesTheStateAloneWhenNothingChanges", () => {
    const s = at({ step: "dob", dobField: "month" });
    expect(kioskReducer(s, { type: "dobFocused", field: "month" })).toBe(s);
    expect(kioskReducer(start, { type: "retry" })).toBe(start);
  });
});

describe("canRetry", () => {
  it("OnlyForNetworkAndUnknownProblemsWithAnAttempt", () => {
    expect(canRetry(at({ step: "problem", problem: "NETWORK", attempt: byReference }))).toBe(true);
    expect(canRetry(at({ step: "problem", problem: "OTHER", attempt: byReference }))).toBe(true);
    expect(canRetry(at({ step: "problem", problem: "OTHER" }))).toBe(false);
    expect(canRetry(at({ step: "problem", problem: "CONFLICT", attempt: byReference }))).toBe(false);
    expect(canRetry(at({ step: "reference", problem: "NETWORK", attempt: byReference }))).toBe(false);
  });
});
