// The one date field: typed in the facility's order (en-US month first, en-GB day first), read back
// with the month in words, a day set by the page shown in that order, impossible or too-late days
// refused rather than guessed.
import { fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";

import { FormatProvider } from "../i18n/useFormat";
import { DateField } from "./DateField";

function renderField(locale: string, props: Partial<Parameters<typeof DateField>[0]> = {}) {
  const onChange = vi.fn();
  const view = render(
    <FormatProvider locale={locale} timeZone="Europe/London">
      <DateField label="From" onChange={onChange} {...props} />
    </FormatProvider>,
  );
  const input = screen.getByLabelText("From") as HTMLInputElement;
  const hint = () => document.getElementById(input.getAttribute("aria-describedby")!.split(" ")[0]!)?.textContent;
  return { onChange, input, hint, view };
}

/** A page that owns the day (as the audit filters do) and can clear it. */
function Owned({ initial }: { initial: string }) {
  const [day, setDay] = useState(initial);
  return (
    <FormatProvider locale="en-US" timeZone="America/Chicago">
      <DateField label="From" value={day} onChange={(d) => setDay(d ?? "")} />
      <button type="button" onClick={() => setDay("")}>
        Clear
      </button>
      <output>{day}</output>
    </FormatProvider>
  );
}

describe("DateField", () => {
  it.each([
    // locale, typed, day understood, read back, placeholder
    ["en-US", "04/03/2026", "2026-04-03", "Apr 3, 2026", "MM/DD/YYYY"],
    ["en-US", "4/3/2026", "2026-04-03", "Apr 3, 2026", "MM/DD/YYYY"],
    ["en-GB", "03/04/2026", "2026-04-03", "3 Apr 2026", "DD/MM/YYYY"],
    ["en-GB", "3.4.2026", "2026-04-03", "3 Apr 2026", "DD/MM/YYYY"],
    ["fr-FR", "03/04/2026", "2026-04-03", "3 Apr 2026", "DD/MM/YYYY"], // words in the UI language (English here)
    ["en-GB", "2026-04-03", "2026-04-03", "3 Apr 2026", "DD/MM/YYYY"], // a year first is always year-month-day
  ])("ReadsTheDayInTheLocalesOrder %s %s", (locale, typed, day, readBack, placeholder) => {
    const { onChange, input, hint } = renderField(locale);
    expect(input.placeholder).toBe(placeholder);
    expect(input.type).toBe("text"); // not the browser's date input, which follows the browser's locale
    fireEvent.change(input, { target: { value: typed } });
    expect(onChange).toHaveBeenLastCalledWith(day);
    expect(hint()).toBe(readBack);
    expect(input.getAttribute("aria-invalid")).toBe("false");
  });

  it.each([
    ["en-US", "13/04/2026"], // no 13th month in month-first order
    ["en-GB", "31/02/2026"],
    ["en-GB", "03/04/26"],
    ["en-GB", "3 April 2026"],
    ["en-GB", "<script>"],
    ["en-GB", "03/04/2026/1"],
  ])("RefusesWhatIsNotADay %s %s", (locale, typed) => {
    const { onChange, input, hint } = renderField(locale);
    fireEvent.change(input, { target: { value: typed } });
    expect(onChange).toHaveBeenLastCalledWith(null);
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(hint()).toBe(locale === "en-US" ? "MM/DD/YYYY" : "DD/MM/YYYY");
  });

  it("RefusesADayAfterMax", () => {
    const { onChange, input } = renderField("en-GB", { max: "2026-04-03" });
    fireEvent.change(input, { target: { value: "04/04/2026" } });
    expect(onChange).toHaveBeenLastCalledWith(null);
    fireEvent.change(input, { target: { value: "03/04/2026" } });
    expect(onChange).toHaveBeenLastCalledWith("2026-04-03");
  });

  it("EmptyIsNoDay", () => {
    const { onChange, input } = renderField("en-GB");
    fireEvent.change(input, { target: { value: "03/04/2026" } });
    fireEvent.change(input, { target: { value: "  " } });
    expect(onChange).toHaveBeenLastCalledWith("");
    expect(input.getAttribute("aria-invalid")).toBe("false");
  });

  it("ShowsADaySetByThePageInTheLocalesOrderAndClears", () => {
    render(<Owned initial="2026-04-03" />);
    const input = screen.getByLabelText("From") as HTMLInputElement;
    expect(input.value).toBe("04/03/2026");
    fireEvent.change(input, { target: { value: "4/5/2026" } });
    expect(input.value).toBe("4/5/2026"); // the typing is left alone
    expect(screen.getByRole("status").textContent).toBe("2026-04-05");
    fireEvent.click(screen.getByRole("button", { name: "Clear" }));
    expect(input.value).toBe("");
  });
});
