import { describe, expect, it } from "vitest";

import { NO_FILTERS, auditWhere } from "./auditWhere";

describe("auditWhere", () => {
  it("FiltersNothingByDefault", () => {
    expect(auditWhere(NO_FILTERS)).toEqual({});
  });

  it("MapsEachFilter", () => {
    const w = auditWhere({ action: " ticket. ", entityType: "Ticket", actor: "US1", from: "2026-11-20", to: "2026-11-26" });
    expect(w).toMatchObject({ actionHasPrefix: "ticket.", entityType: "Ticket", actorID: "US1" });
    // Whole local days: from the first midnight to the midnight after the last day.
    expect(w.atGTE).toBe(new Date(2026, 10, 20).toISOString());
    expect(w.atLT).toBe(new Date(2026, 10, 27).toISOString());
  });

  it("FindsTheSystemsOwnActions", () => {
    expect(auditWhere({ ...NO_FILTERS, actor: "system" })).toEqual({ and: [{ or: [{ actorIDIsNil: true }, { actorID: "" }] }] });
  });
});
