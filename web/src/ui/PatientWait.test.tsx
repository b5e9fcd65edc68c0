// What the status page and the kiosk ticket say about a wait, in every web language.
import { render, screen } from "@testing-library/react";
import i18n from "i18next";
import { afterEach, beforeAll, describe, expect, it } from "vitest";

import es from "../i18n/locales/es.json";
import { PatientWait } from "./PatientWait";

beforeAll(() => {
  // The test set-up loads English only.
  i18n.addResourceBundle("es", "translation", es);
});

afterEach(async () => {
  await i18n.changeLanguage("en");
});

describe("PatientWait", () => {
  it.each([
    ["en", { lowMinutes: 37, highMinutes: 68 }, "About 35–70 minutes to wait."],
    ["en", { lowMinutes: 5, highMinutes: 5 }, "About 5 minutes to wait."],
    ["en", { lowMinutes: 1, highMinutes: 1 }, "About 1 minute to wait."],
    ["en", { lowMinutes: 0, highMinutes: 0 }, "You are about to be called."],
    ["en", null, "Not enough data yet to estimate your wait."],
    ["es", { lowMinutes: 40, highMinutes: 70 }, "Unos 40–70 minutos de espera."],
    ["es", { lowMinutes: 0, highMinutes: 0 }, "Le van a llamar enseguida."],
    ["es", null, "Aún no hay datos suficientes para estimar su espera."],
  ] as const)("%s %j → %s", async (lang, range, want) => {
    await i18n.changeLanguage(lang);
    render(<PatientWait range={range} />);
    expect(screen.getByTestId("patient-wait").textContent).toBe(want);
  });

  it("NeverShowsANumberWithoutARange", () => {
    render(<PatientWait range={undefined} />);
    expect(screen.getByTestId("patient-wait").textContent).not.toMatch(/\d/);
  });
});
