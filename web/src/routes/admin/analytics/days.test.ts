import { describe, expect, it } from "vitest";

import { addDays, dayCount, daysBetween, rangeProblem, todayIn } from "./days";

describe("days", () => {
  it("TodayFollowsTheFacilitysTimeZone", () => {
    const now = new Date("2026-11-26T01:30:00Z");
    expect(todayIn("Europe/London", now)).toBe("2026-11-26");
    expect(todayIn("America/Mexico_City", now)).toBe("2026-11-25");
    expect(todayIn("Not/AZone", now)).toBe("2026-11-26");
  });

  it("CountsCalendarDaysAcrossClockChanges", () => {
    expect(daysBetween("2026-03-28", "2026-03-30")).toEqual(["2026-03-28", "2026-03-29", "2026-03-30"]);
    expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
    expect(dayCount("2026-01-01", "2026-12-31")).toBe(365);
    expect(daysBetween("2026-11-26", "2026-11-20")).toEqual([]);
  });

  it("ExplainsRangesTheServerRefuses", () => {
    expect(rangeProblem("2026-11-20", "2026-11-26")).toBeNull();
    expect(rangeProblem("2026-11-26", "2026-11-20")).toBe("reversed");
    expect(rangeProblem("2025-01-01", "2026-11-26")).toBe("tooLong");
    expect(rangeProblem("", "2026-11-26")).toBe("invalid");
  });
});
