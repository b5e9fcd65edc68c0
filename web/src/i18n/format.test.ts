// The formatter against what a hospital reads: 24-hour clocks where the locale uses them, dates of
// birth that cannot be misread, the facility's zone across a clock change, the user's language for words.
import { describe, expect, it } from "vitest";

import { dateFieldOrder, datePattern, dayStartIn, displayLocale, formatter, parseTypedDate, todayIn, uses24HourClock } from "./format";

// ICU writes a narrow no-break space before AM/PM; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, " ");
const DOB = "1990-04-03T00:00:00Z";
const AFTERNOON = "2026-03-29T14:05:00Z";

describe("formatter", () => {
  it.each([
    ["en-GB", "Europe/London", "15:05", "3 Apr 1990"],
    ["en-US", "America/New_York", "10:05 AM", "Apr 3, 1990"],
    ["fr-FR", "Europe/Paris", "16:05", "3 avr. 1990"],
    ["es-ES", "Europe/Madrid", "16:05", "3 abr 1990"],
  ])("WritesTimesAndBirthDatesAs%sDoes", (locale, timeZone, time, dob) => {
    const f = formatter({ language: locale.slice(0, 2), locale, timeZone });
    expect(plain(f.time(AFTERNOON))).toBe(time);
    expect(f.dateOfBirth(DOB)).toBe(dob);
  });

  it("NeverWritesABirthDateInDigitsOnly", () => {
    for (const locale of ["en-GB", "en-US", "en-IE", "en-AU", "es-ES", "es-MX", "fr-FR", "fr-CA"]) {
      const f = formatter({ language: "en", locale, timeZone: "Pacific/Kiritimati" });
      expect(f.dateOfBirth(DOB), locale).not.toMatch(/^[\d/.\-\s]+$/);
      expect(f.dateOfBirth(DOB), locale).not.toContain("4/3/1990");
      expect(f.dateOfBirth(DOB), locale).toMatch(/\b3\b/); // the zone never moves the day
    }
  });

  it("UsesA24HourClockInEnGBEvenForAnEnglishUSBrowser", () => {
    const f = formatter({ language: "en", locale: "en-GB", timeZone: "UTC" });
    expect(f.time("2026-03-29T09:05:00Z")).toBe("09:05");
    expect(f.time("2026-03-29T23:59:00Z")).toBe("23:59");
    expect(f.dateTime("2026-03-29T23:59:07Z", true)).toBe("29 Mar 2026, 23:59:07");
  });

  it("FollowsTheFacilityZoneAcrossTheClockChange", () => {
    // Europe/London went from GMT to BST at 01:00 UTC on 29 March 2026.
    const f = formatter({ language: "en", locale: "en-GB", timeZone: "Europe/London" });
    expect(f.time("2026-03-29T00:59:00Z")).toBe("00:59");
    expect(f.time("2026-03-29T01:00:00Z")).toBe("02:00");
    expect(f.dateTime("2026-10-25T00:30:00Z")).toBe("25 Oct 2026, 01:30"); // the repeated hour, first time
    expect(f.dateTime("2026-10-25T01:30:00Z")).toBe("25 Oct 2026, 01:30"); // and the second
  });

  it("WritesWordsInTheUserLanguageAndTheClockOfTheFacility", () => {
    // A Spanish-speaking receptionist in a UK hospital, and an English-speaking one in a US one.
    expect(formatter({ language: "es", locale: "en-GB", timeZone: "UTC" }).dateTime(AFTERNOON)).toBe("29 mar 2026, 14:05");
    expect(plain(formatter({ language: "es", locale: "en-US", timeZone: "UTC" }).time(AFTERNOON))).toMatch(/^2:05 p\.\s?m\.$/);
    expect(displayLocale("es", "en-GB")).toBe("es-GB");
    expect(displayLocale("en", "en-GB")).toBe("en-GB");
  });

  it("SurvivesCarelessInput", () => {
    const f = formatter({ language: "zz", locale: "not a locale!", timeZone: "Mars/Olympus_Mons" });
    expect(f.time(null)).toBe("—");
    expect(f.time("yesterday")).toBe("—");
    expect(f.dateOfBirth("<script>")).toBe("—");
    expect(f.dateOfBirth(undefined)).toBe("—");
    expect(f.day("not-a-day")).toBe("not-a-day");
    expect(f.time(AFTERNOON)).toMatch(/\d/); // an unknown zone falls back instead of throwing
  });

  it("WritesDaysWithoutShiftingThem", () => {
    const f = formatter({ language: "en", locale: "en-US", timeZone: "Pacific/Honolulu" });
    expect(f.day("2026-11-26")).toBe("Nov 26, 2026");
    expect(f.day("2026-11-26", "short")).toBe("Nov 26");
  });

  it("WritesNumbersPercentagesAndDurations", () => {
    const fr = formatter({ language: "fr", locale: "fr-FR" });
    expect(plain(fr.percent(0.42))).toBe("42 %");
    expect(plain(fr.number(1234))).toBe("1 234");
    const es = formatter({ language: "es", locale: "es-ES" });
    expect(es.duration(1)).toBe("1 minuto");
    expect(es.duration(5)).toBe("5 minutos");
    const en = formatter({ language: "en", locale: "en-GB" });
    expect(en.duration(1)).toBe("1 minute");
    expect(en.duration(65)).toBe("1h 5 mins");
    expect(en.duration(120)).toBe("2h");
    expect(en.duration(-3)).toBe("0 minutes");
  });
});

describe("date input", () => {
  it("OrdersFieldsAsTheLocaleDoes", () => {
    expect(dateFieldOrder("en-GB")).toEqual(["day", "month", "year"]);
    expect(dateFieldOrder("en-US")).toEqual(["month", "day", "year"]);
    expect(datePattern("en-GB")).toBe("DD/MM/YYYY");
    expect(datePattern("en-US")).toBe("MM/DD/YYYY");
    expect(datePattern("fr-CH")).toBe("DD.MM.YYYY");
  });

  it.each([
    ["03/04/1990", "en-GB", "1990-04-03"],
    ["4/3/1990", "en-US", "1990-04-03"],
    ["3.4.1990", "fr-CH", "1990-04-03"],
    ["1990-04-03", "en-US", "1990-04-03"],
    [" 03 04 1990 ", "es-ES", "1990-04-03"],
    ["31/02/1990", "en-GB", null],
    ["04/13/1990", "en-GB", null],
    ["3/4/90", "en-GB", null],
    ["3/4", "en-GB", null],
    ["", "en-GB", null],
    ["1/1/1/1990", "en-GB", null],
    ["99999999/1/1990", "en-GB", null],
    ["<b>3</b>/4/1990", "en-GB", null],
  ])("Reads %j in %s as %j", (text, locale, want) => {
    expect(parseTypedDate(text, locale)).toBe(want);
  });
});

describe("days in a zone", () => {
  it("StartsADayAtTheFacilityMidnight", () => {
    expect(dayStartIn("2026-11-20", "Europe/London")).toBe("2026-11-20T00:00:00.000Z");
    expect(dayStartIn("2026-07-20", "Europe/London")).toBe("2026-07-19T23:00:00.000Z");
    expect(dayStartIn("2026-11-20", "America/New_York", 1)).toBe("2026-11-21T05:00:00.000Z");
    // The day the clocks go forward in New York (8 March 2026) still starts at 05:00 UTC.
    expect(dayStartIn("2026-03-08", "America/New_York")).toBe("2026-03-08T05:00:00.000Z");
    expect(dayStartIn("2026-03-09", "America/New_York")).toBe("2026-03-09T04:00:00.000Z");
    expect(dayStartIn("garbage", "Europe/London")).toBeUndefined();
    expect(dayStartIn("2026-11-20", "No/Such_Zone")).toBe("2026-11-20T00:00:00.000Z");
  });

  it("KnowsTodayInAZone", () => {
    const now = new Date("2026-11-26T23:30:00Z");
    expect(todayIn("Europe/London", now)).toBe("2026-11-26");
    expect(todayIn("Europe/Madrid", now)).toBe("2026-11-27");
    expect(todayIn("No/Such_Zone", now)).toBe("2026-11-26");
  });

  it("KnowsWhichLocalesUseA24HourClock", () => {
    expect(uses24HourClock("en-GB")).toBe(true);
    expect(uses24HourClock("fr-CA")).toBe(true);
    expect(uses24HourClock("en-US")).toBe(false);
    expect(uses24HourClock("es-MX")).toBe(false);
  });
});
