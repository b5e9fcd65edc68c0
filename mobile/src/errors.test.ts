import { SocketClosedError } from "@carequeue/graphql";
import { CombinedGraphQLErrors, ServerError } from "@apollo/client/errors";

import { normalisePhone, patientMessage } from "./errors";
import { initI18n } from "./i18n";
import en from "./i18n/en";

const i18n = initI18n("en");
const t = i18n.t.bind(i18n);

const gql = (code: string) => new CombinedGraphQLErrors({ data: null, errors: [{ message: "no", extensions: { code } }] });

describe("patientMessage", () => {
  type Context = Parameters<typeof patientMessage>[2];
  it.each<[string, unknown, Context, string]>([
    ["no error", undefined, "general", ""],
    ["a network failure", new TypeError("Network request failed"), "general", en.common.network],
    ["a lost socket", new SocketClosedError(1006, ""), "ticket", en.common.network],
    ["RATE_LIMITED", gql("RATE_LIMITED"), "code", en.signIn.rateLimited],
    ["HTTP 429", new ServerError("429", { response: new Response("", { status: 429 }), bodyText: "" }), "signIn", en.signIn.rateLimited],
    ["UNAUTHENTICATED for a code", gql("UNAUTHENTICATED"), "code", en.signIn.wrongCode],
    ["UNAUTHENTICATED elsewhere", gql("UNAUTHENTICATED"), "general", en.common.sessionEnded],
    ["a refused socket token", new SocketClosedError(4401, "Unauthorized"), "general", en.common.sessionEnded],
    ["BAD_USER_INPUT for a code", gql("BAD_USER_INPUT"), "code", en.signIn.wrongCode],
    ["BAD_USER_INPUT for a phone", gql("BAD_USER_INPUT"), "signIn", en.signIn.phoneInvalid],
    ["BAD_USER_INPUT elsewhere", gql("BAD_USER_INPUT"), "ticket", en.common.error],
    ["FORBIDDEN for a check-in", gql("FORBIDDEN"), "checkIn", en.checkIn.forbidden],
    ["FORBIDDEN for a ticket", gql("FORBIDDEN"), "ticket", en.ticket.notYours],
    ["FORBIDDEN elsewhere", gql("FORBIDDEN"), "general", en.ticket.notYours],
    ["NOT_FOUND for a ticket", gql("NOT_FOUND"), "ticket", en.ticket.notFound],
    ["NOT_FOUND elsewhere", gql("NOT_FOUND"), "general", en.common.error],
    ["CONFLICT for a check-in", gql("CONFLICT"), "checkIn", en.checkIn.already],
    ["CONFLICT elsewhere", gql("CONFLICT"), "general", en.common.error],
    ["INTERNAL", gql("INTERNAL"), "general", en.common.error],
    ["an unknown server code", gql("TEAPOT"), "code", en.common.error],
  ])("%s (%s)", (_name, error, context, want) => {
    expect(patientMessage(t, error, context)).toBe(want);
  });
});

describe("normalisePhone", () => {
  it.each([
    ["+44 7700 900123", "+447700900123"],
    ["+44 (0)7700-900123", "+447700900123"],
    ["+41 (0) 44 668 18 00", "+41446681800"],
    ["+39 06 1234 5678", "+390612345678"],
    ["+1 (555) 010-9999", "+15550109999"],
    ["+33.6.12.34.56.78", "+33612345678"],
    ["0044 7700 900123", "+447700900123"],
    ["  +34 612 345 678 ", "+34612345678"],
    ["+4912345678", "+4912345678"],
    ["+123456789012345", "+123456789012345"],
  ])("%p → %p", (input, want) => {
    expect(normalisePhone(input)).toBe(want);
  });

  it.each([
    ["a national number", "07700 900123"],
    ["digits without +", "447700900123"],
    ["a leading zero after +", "+07700900123"],
    ["too short", "+4412345"],
    ["too long", "+1234567890123456"],
    ["letters", "+44 7700 CALLME"],
    ["two plus signs", "++447700900123"],
    ["empty", ""],
    ["a plus only", "+"],
    ["000 prefix", "000447700900123"],
  ])("refuses %s", (_name, input) => {
    expect(normalisePhone(input)).toBeNull();
  });
});
