import { describe, expect, it } from "vitest";

import { NO_FILTERS, auditWhere } from "./auditWhere";

describe("auditWhere", () => {
  it("FiltersNothingByDefault", () => {
    expect(auditWhere(NO_FILTERS)).toEqual({});
  });

  it("MapsEachFilter", () => {
    const w = auditWhere({ action: " ticket. ", entityType: "Ticket", actor: "US1", from: "2026-11-20", to: "2026-11-26" }, "America/New_York");
    expect(w).toMatchObject({ actionHasPrefix: "ticket.", entityType: "Ticket", actorID: "US1" });
    // Whole days of the facility (the zone the list shows times in), whatever the browser's zone:
    // from the first midnight to the midnight after the last day.
    expect(w.atGTE).toBe("2026-11-20T05:00:00.000Z");
    expect(w.atLT).toBe("2026-11-27T05:00:00.000Z");
  });

  it("FindsTheSystemsOwnActions", () => {
    expect(auditWhere({ ...NO_FILTERS, actor: "system" })).toEqual({ and: [{ or: [{ actorIDIsNil: true }, { actorID: "" }] }] });
  });
});
