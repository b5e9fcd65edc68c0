import { describe, expect, it } from "vitest";

import { newlyListed, type Listed } from "./alerts";

const item = (reason: Listed["reason"], ticketID: string): Listed => ({ reason, ticketID, code: ticketID });

describe("newlyListed", () => {
  const cases: { name: string; previous: string[] | null; items: Listed[]; want: string[] }[] = [
    { name: "FirstAnswerAnnouncesNothing", previous: null, items: [item("PAST_MAX_WAIT", "A")], want: [] },
    { name: "ATicketNotListedBeforeIsNew", previous: ["BREACH_PREDICTED:A"], items: [item("BREACH_PREDICTED", "A"), item("BREACH_PREDICTED", "B")], want: ["B"] },
    { name: "ANewReasonForAListedTicketIsNew", previous: ["BREACH_PREDICTED:A"], items: [item("PAST_MAX_WAIT", "A")], want: ["A"] },
    { name: "AnUnchangedListHasNothingNew", previous: ["AWAITING_TRIAGE:A", "PAST_MAX_WAIT:B"], items: [item("PAST_MAX_WAIT", "B"), item("AWAITING_TRIAGE", "A")], want: [] },
    { name: "LeavingTheListIsNotNews", previous: ["PAST_MAX_WAIT:A"], items: [], want: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = newlyListed(c.previous && new Set(c.previous), c.items);
      expect(got.map((i) => i.ticketID)).toEqual(c.want);
    });
  }
});
