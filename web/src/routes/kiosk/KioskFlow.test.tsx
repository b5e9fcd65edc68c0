// The kiosk flow against a mocked server: both ways in, what a patient sees when they are not found
// or the kiosk is rate limited, retries with the same idempotency key, and the screen starting over
// (forgetting everything) after 30 s without a touch.
import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { makeFragmentData } from "@carequeue/graphql";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import i18n from "i18next";
import { Observable } from "rxjs";
import { afterEach, describe, expect, it, onTestFinished, vi } from "vitest";

import { KioskQueueChoice_QueueFragmentDoc } from "../../generated/graphql";
import es from "../../i18n/locales/es.json";
import { FormatProvider } from "../../i18n/useFormat";
import { KioskFlow } from "./KioskFlow";
import { dateOfBirth } from "./machine";

const ticket = {
  __typename: "KioskTicket",
  code: "C-013",
  queueName: "General Clinic",
  statusToken: "tok-123",
  position: 7,
  estimatedWait: { __typename: "WaitRange", lowMinutes: 37, highMinutes: 68 },
  language: "en",
};

type Answer = { data: unknown } | { errors: unknown[] } | "network";

/**
 * A server that records each kioskCheckIn input and answers from the script (the last answer repeats).
 * validatePhone (the phone step's check) is recorded in `phones` and answered by `phoneAnswer`: valid
 * unless a test sets it.
 */
function server(...script: Answer[]) {
  const inputs: Record<string, unknown>[] = [];
  const phones: string[] = [];
  const s = { inputs, phones, phoneAnswer: { data: { validatePhone: "+447700900999" } } as Answer, client: undefined as unknown as ApolloClient };
  const link = new ApolloLink(
    (op) =>
      new Observable((observer) => {
        if (op.operationName === "ValidatePhone") {
          phones.push(op.variables.phone as string);
          if (s.phoneAnswer === "network") observer.error(new TypeError("Failed to fetch"));
          else {
            observer.next(s.phoneAnswer as ApolloLink.Result);
            observer.complete();
          }
          return;
        }
        inputs.push(op.variables.input as Record<string, unknown>);
        const answer = script[Math.min(inputs.length, script.length) - 1] ?? { data: { kioskCheckIn: ticket } };
        if (answer === "network") observer.error(new TypeError("Failed to fetch"));
        else {
          observer.next(answer as ApolloLink.Result);
          observer.complete();
        }
      }),
  );
  s.client = new ApolloClient({ link, cache: new InMemoryCache() });
  return s;
}

const queue = (id: string, name: string, department: string) => ({
  id,
  ...makeFragmentData({ __typename: "Queue", id, name, department: { __typename: "Department", id: `D-${department}`, name: department } }, KioskQueueChoice_QueueFragmentDoc),
});
const QUEUES = [queue("QU1", "Blood Tests", "Laboratory"), queue("QU2", "General Clinic", "Outpatients")];

function renderKiosk(s: ReturnType<typeof server>, { locale, queues = QUEUES }: { locale?: string; queues?: typeof QUEUES } = {}) {
  return render(
    <ApolloProvider client={s.client}>
      <FormatProvider locale={locale} timeZone="Europe/London">
        <KioskFlow queues={queues} />
      </FormatProvider>
    </ApolloProvider>,
  );
}

/** The phone step passed, on the date of birth. */
async function toDateOfBirth() {
  click(/I don't have a reference/);
  fireEvent.change(screen.getByLabelText("Mobile phone number"), { target: { value: "07700900999" } });
  click("Next");
  await screen.findByLabelText("Day");
}

/** The date-of-birth fields' labels in the order they are on the screen. */
const dobOrder = () => within(screen.getByRole("group", { name: "Date of birth" })).getAllByRole("textbox").map((el) => (el as HTMLInputElement).labels?.[0]?.textContent);

const click = (name: string | RegExp) => fireEvent.click(screen.getByRole("button", { name }));

async function byReference(reference = "EHR-APPT-70100") {
  click(/I have an appointment/);
  fireEvent.change(screen.getByLabelText("Appointment reference"), { target: { value: reference } });
  click("Check in");
}

afterEach(async () => {
  vi.useRealTimers();
  await i18n.changeLanguage("en");
});

describe("KioskFlow", () => {
  it("ChecksInByReferenceAndShowsTheTicketWithAQrCode", async () => {
    const s = server({ data: { kioskCheckIn: ticket } });
    renderKiosk(s);
    await byReference("ehr-appt-70100");

    expect((await screen.findByTestId("kiosk-ticket-code")).textContent).toBe("C-013");
    expect(screen.getByText("Queue: General Clinic")).toBeTruthy();
    expect(screen.getByText("You are number 7 in the queue.")).toBeTruthy();
    expect(screen.getByText("About 35–70 minutes to wait.")).toBeTruthy();
    const qr = screen.getByRole("img", { name: "QR code of your ticket's status page" });
    expect(qr.getAttribute("data-value")).toBe(`${location.origin}/t/tok-123`);
    expect(qr.querySelector("path")?.getAttribute("d")).toMatch(/^M\d+ \d+h1v1h-1z/);

    expect(s.inputs).toHaveLength(1);
    expect(s.inputs[0]).toMatchObject({ appointmentReference: "EHR-APPT-70100" });
    expect(typeof s.inputs[0]!.idempotencyKey).toBe("string");
  });

  it("ChecksInByPhoneDateOfBirthAndQueue", async () => {
    const s = server({ data: { kioskCheckIn: { ...ticket, code: "B-013", queueName: "Blood Tests", position: 1 } } });
    renderKiosk(s, { locale: "en-GB" });
    click(/I don't have a reference/);
    // The on-screen keypad types the number; the keyboard works too.
    for (const k of ["+", "4", "4"]) click(k);
    const phone = screen.getByLabelText("Mobile phone number");
    fireEvent.change(phone, { target: { value: `${(phone as HTMLInputElement).value} 7700 900999` } });
    click("Next");
    await screen.findByLabelText("Day");

    for (const k of "15061985") click(k);
    expect((screen.getByLabelText("Day") as HTMLInputElement).value).toBe("15");
    expect((screen.getByLabelText("Month") as HTMLInputElement).value).toBe("06");
    expect((screen.getByLabelText("Year") as HTMLInputElement).value).toBe("1985");
    click("Next");

    await screen.findByRole("heading", { name: "What are you here for?" });
    click(/Blood Tests/);
    expect((await screen.findByTestId("kiosk-ticket-code")).textContent).toBe("B-013");
    expect(screen.getByText("You are next.")).toBeTruthy();
    expect(s.inputs[0]).toMatchObject({ phone: "+44 7700 900999", dateOfBirth: "1985-06-15", queueID: "QU1" });
  });

  it("ChecksInByReferenceOnTheOnScreenKeyboardAlone", async () => {
    const s = server({ data: { kioskCheckIn: ticket } });
    renderKiosk(s);
    click(/I have an appointment/);
    const field = screen.getByLabelText("Appointment reference") as HTMLInputElement;
    expect(field.inputMode).toBe("none"); // the system keyboard stays away
    const keyboard = within(screen.getByRole("group", { name: "Keyboard" }));
    for (const k of "EHR-APPT-701000") fireEvent.click(keyboard.getByRole("button", { name: k }));
    fireEvent.click(keyboard.getByRole("button", { name: "Delete" }));
    expect(field.value).toBe("EHR-APPT-70100");
    click("Check in");
    expect((await screen.findByTestId("kiosk-ticket-code")).textContent).toBe("C-013");
    expect(s.inputs[0]).toMatchObject({ appointmentReference: "EHR-APPT-70100" });
  });

  it("MovesOnFromDayToMonthToYearAsADateIsTyped", async () => {
    renderKiosk(server(), { locale: "en-GB" });
    click(/I don't have a reference/);
    fireEvent.change(screen.getByLabelText("Mobile phone number"), { target: { value: "07700900999" } });
    click("Next");
    await screen.findByLabelText("Day");
    const [day, month, year] = ["Day", "Month", "Year"].map((l) => screen.getByLabelText(l) as HTMLInputElement);
    expect(document.activeElement).toBe(day);
    fireEvent.change(day!, { target: { value: "1" } });
    expect(document.activeElement).toBe(day);
    fireEvent.change(day!, { target: { value: "15" } });
    expect(document.activeElement).toBe(month);
    fireEvent.change(month!, { target: { value: "06" } });
    expect(document.activeElement).toBe(year);
    fireEvent.change(year!, { target: { value: "1985" } });
    expect(document.activeElement).toBe(year);
    expect([day!.value, month!.value, year!.value]).toEqual(["15", "06", "1985"]);
  });

  it.each([
    ["en-US", ["Month", "Day", "Year"], "You entered Apr 3, 1990."],
    ["en-GB", ["Day", "Month", "Year"], "You entered 3 Apr 1990."],
    ["fr-FR", ["Day", "Month", "Year"], "You entered 3 Apr 1990."],
  ])("TypesTheDateOfBirthInTheFacilitysOrder %s", async (locale, order, readBack) => {
    const s = server();
    renderKiosk(s, { locale });
    await toDateOfBirth();
    expect(dobOrder()).toEqual(order);
    // 3 April 1990, typed in the locale's order on the keypad alone; each full field moves on.
    const typed = { Day: "03", Month: "04", Year: "1990" };
    for (const label of order) for (const k of typed[label as keyof typeof typed]) click(k);
    expect(["Day", "Month", "Year"].map((l) => (screen.getByLabelText(l) as HTMLInputElement).value)).toEqual(["03", "04", "1990"]);
    expect(screen.getByTestId("kiosk-dob-readback").textContent).toBe(readBack);
    click("Next");
    await screen.findByRole("heading", { name: "What are you here for?" });
    click(/Blood Tests/);
    await screen.findByTestId("kiosk-ticket-code");
    expect(s.inputs[0]).toMatchObject({ dateOfBirth: "1990-04-03" });
  });

  it("ReadsBackNothingUntilTheDateIsReal", async () => {
    renderKiosk(server(), { locale: "en-GB" });
    await toDateOfBirth();
    for (const k of "3102199") click(k);
    expect(screen.getByTestId("kiosk-dob-readback").textContent).toBe("");
    click("0");
    expect(screen.getByTestId("kiosk-dob-readback").textContent).toBe(""); // 31/02/1990 is no date
  });

  it("GroupsTheQueuesByDepartmentWithNothingChosen", async () => {
    const s = server();
    const queues = [queue("QU3", "General", "Outpatients"), queue("QU1", "Blood Tests", "Laboratory"), queue("QU4", "General", "Eye Clinic"), queue("QU2", "Fracture Clinic", "Outpatients")];
    renderKiosk(s, { locale: "en-GB", queues });
    await toDateOfBirth();
    for (const k of "15061985") click(k);
    click("Next");
    await screen.findByRole("heading", { name: "What are you here for?" });
    const departments = screen.getAllByRole("region");
    expect(departments.map((d) => within(d).getByRole("heading").textContent)).toEqual(["Eye Clinic", "Laboratory", "Outpatients"]);
    expect(within(departments[2]!).getAllByRole("button").map((b) => b.textContent)).toEqual(["General", "Fracture Clinic"]);
    // Nothing is chosen until touched: no button is pressed or selected, and nothing was sent.
    for (const b of departments.flatMap((d) => within(d).getAllByRole("button"))) {
      expect(b.getAttribute("aria-pressed")).toBeNull();
      expect(b.getAttribute("aria-selected")).toBeNull();
    }
    expect(s.inputs).toHaveLength(0);
    fireEvent.click(within(departments[2]!).getByRole("button", { name: "General" }));
    await screen.findByTestId("kiosk-ticket-code");
    expect(s.inputs[0]).toMatchObject({ queueID: "QU3" });
  });

  it("TypesANumberWithASpaceOnTheKeypad", async () => {
    const s = server();
    renderKiosk(s);
    click(/I don't have a reference/);
    click("Space"); // never first
    for (const k of "07700") click(k);
    click("Space");
    click("Space"); // never two in a row
    for (const k of "900123") click(k);
    expect((screen.getByLabelText("Mobile phone number") as HTMLInputElement).value).toBe("07700 900123");
    click("Next");
    await screen.findByLabelText("Day");
    expect(s.phones).toEqual(["07700 900123"]);
  });

  it("RejectsADateOfBirthThatIsNotReal", async () => {
    renderKiosk(server());
    click(/I don't have a reference/);
    fireEvent.change(screen.getByLabelText("Mobile phone number"), { target: { value: "07700900999" } });
    click("Next");
    await screen.findByLabelText("Day");
    for (const k of "31021985") click(k);
    click("Next");
    expect(screen.getByRole("alert").textContent).toBe("Please enter a real date of birth.");
    expect(screen.queryByRole("heading", { name: "What are you here for?" })).toBeNull();
  });

  it("SendsPatientsItCannotFindToReception", async () => {
    const s = server({ errors: [{ message: "we could not find your check-in details: please see reception", extensions: { code: "NOT_FOUND" } }] });
    renderKiosk(s);
    await byReference("EHR-APPT-00000");
    await screen.findByRole("heading", { name: "We could not find your details" });
    expect(screen.getByText("Please see reception: they will check you in.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Try again" })).toBeNull();
    click("Start again");
    expect(screen.getByRole("heading", { name: "Welcome" })).toBeTruthy();
  });

  it("AsksToWaitWhenRateLimited", async () => {
    renderKiosk(server({ errors: [{ message: "too many attempts", extensions: { code: "RATE_LIMITED" } }] }));
    await byReference();
    await screen.findByRole("heading", { name: "Please wait a moment" });
    expect(screen.getByText(/Wait a minute and try again/)).toBeTruthy();
  });

  it("ShowsWhichFieldTheServerRefused", async () => {
    renderKiosk(server({ errors: [{ message: "the phone number is not valid", extensions: { code: "BAD_USER_INPUT", field: "input.phone" } }] }));
    click(/I don't have a reference/);
    fireEvent.change(screen.getByLabelText("Mobile phone number"), { target: { value: "0000000" } });
    click("Next");
    await screen.findByLabelText("Day");
    for (const k of "01011990") click(k);
    click("Next");
    click(/General Clinic/);
    await screen.findByRole("heading", { name: "Enter your mobile number" });
    // In the server's words, where the kiosk speaks its language.
    expect(screen.getByRole("alert").textContent).toBe("The phone number is not valid.");
  });

  it("AcceptsANationalNumberAtThePhoneStep", async () => {
    const s = server();
    renderKiosk(s);
    click(/I don't have a reference/);
    // The number as the hint shows it and a GB patient says it: the server reads it in the facility's region.
    for (const k of "07700900123") click(k);
    click("Next");
    await screen.findByLabelText("Day");
    expect(s.phones).toEqual(["07700900123"]);
    expect(screen.queryByRole("alert")).toBeNull();
    expect(s.inputs).toHaveLength(0);
  });

  it("RefusesAWrongNumberAtThePhoneStepBeforeTheDateOfBirth", async () => {
    const s = server();
    s.phoneAnswer = { errors: [{ message: "the phone number is not a mobile number", extensions: { code: "BAD_USER_INPUT", field: "phone" } }] };
    renderKiosk(s);
    click(/I don't have a reference/);
    fireEvent.change(screen.getByLabelText("Mobile phone number"), { target: { value: "020 7946 0018" } });
    click("Next");
    await waitFor(() => expect(screen.getByRole("alert").textContent).toBe("The phone number is not a mobile number."));
    expect(screen.getByRole("heading", { name: "Enter your mobile number" })).toBeTruthy();
    expect(screen.queryByLabelText("Day")).toBeNull();
    expect(s.phones).toEqual(["020 7946 0018"]);
    expect(s.inputs).toHaveLength(0);
    // Corrected, it moves on.
    s.phoneAnswer = { data: { validatePhone: "+447700900123" } };
    fireEvent.change(screen.getByLabelText("Mobile phone number"), { target: { value: "07700 900123" } });
    click("Next");
    await screen.findByLabelText("Day");
  });

  it("ShowsTheServersRefusalTranslatedByFieldInAnotherLanguage", async () => {
    const s = server();
    s.phoneAnswer = { errors: [{ message: "phone is not a mobile number: text messages need a mobile number", extensions: { code: "BAD_USER_INPUT", field: "phone" } }] };
    // Spanish loaded for this test only: the others rely on English words whatever the language.
    i18n.addResourceBundle("es", "translation", es);
    onTestFinished(() => {
      i18n.removeResourceBundle("es", "translation");
    });
    await i18n.changeLanguage("es");
    renderKiosk(s);
    click(/No tengo referencia/);
    fireEvent.change(screen.getByLabelText("Número de móvil"), { target: { value: "020 7946 0018" } });
    click("Siguiente");
    await waitFor(() => expect(screen.getByRole("alert").textContent).toBe(es.kiosk.badInput.phone));
    expect(screen.getByRole("alert").textContent).not.toMatch(/mobile/);
    // The kiosk's own check (too few digits) says its own words in English too, not the server's last ones.
    await act(() => i18n.changeLanguage("en"));
    fireEvent.change(await screen.findByLabelText("Mobile phone number"), { target: { value: "020" } });
    click("Next");
    expect(screen.getByRole("alert").textContent).toBe("That phone number does not look right. Please check it.");
  });

  it("MovesOnWhenThePhoneCheckGetsNoAnswer", async () => {
    const s = server();
    s.phoneAnswer = "network";
    renderKiosk(s);
    click(/I don't have a reference/);
    fireEvent.change(screen.getByLabelText("Mobile phone number"), { target: { value: "07700 900123" } });
    click("Next");
    // The check-in checks the number again; a patient is not stuck at the phone step offline.
    await screen.findByLabelText("Day");
  });

  it("RetriesANetworkFailureWithTheSameKey", async () => {
    const s = server("network", { data: { kioskCheckIn: ticket } });
    renderKiosk(s);
    await byReference();
    await screen.findByRole("heading", { name: "The kiosk is not connected" });
    click("Try again");
    await screen.findByTestId("kiosk-ticket-code");
    expect(s.inputs).toHaveLength(2);
    expect(s.inputs[1]!.idempotencyKey).toBe(s.inputs[0]!.idempotencyKey);
  });

  it("StartsOverAfter30SecondsWithoutATouchAndForgetsEverything", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const s = server({ data: { kioskCheckIn: ticket } });
    renderKiosk(s);
    click("Español");
    await waitFor(() => expect(i18n.language).toBe("es"));
    await byReference();
    await screen.findByTestId("kiosk-ticket-code");
    expect(screen.getByText("This screen clears in 30 seconds.")).toBeTruthy();

    await act(async () => undefined); // let the screen's effects start its timer
    act(() => vi.advanceTimersByTime(20_000));
    expect(screen.getByTestId("kiosk-ticket-code")).toBeTruthy();
    const left = Number(/clears in (\d+) second/.exec(screen.getByText(/This screen clears in/).textContent ?? "")?.[1]);
    expect(left).toBeGreaterThanOrEqual(9);
    expect(left).toBeLessThanOrEqual(10);

    fireEvent.pointerDown(document.body); // someone is still reading
    act(() => vi.advanceTimersByTime(20_000));
    expect(screen.getByTestId("kiosk-ticket-code")).toBeTruthy();

    act(() => vi.advanceTimersByTime(10_500));
    expect(screen.queryByTestId("kiosk-ticket-code")).toBeNull();
    expect(screen.getByRole("heading", { name: "Welcome" })).toBeTruthy();
    expect(document.body.textContent).not.toContain("C-013");
    await waitFor(() => expect(i18n.language).toBe("en"));

    // What was typed is gone too.
    click(/I have an appointment/);
    expect((screen.getByLabelText("Appointment reference") as HTMLInputElement).value).toBe("");
  });

  it("StartsOverFromAHalfFilledForm", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    renderKiosk(server());
    click(/I don't have a reference/);
    fireEvent.change(screen.getByLabelText("Mobile phone number"), { target: { value: "07700900999" } });
    act(() => vi.advanceTimersByTime(30_500));
    expect(screen.getByRole("heading", { name: "Welcome" })).toBeTruthy();
    click(/I don't have a reference/);
    expect((screen.getByLabelText("Mobile phone number") as HTMLInputElement).value).toBe("");
  });
});

describe("dateOfBirth", () => {
  it("AcceptsRealPastDatesOnly", () => {
    const now = Date.UTC(2026, 10, 26);
    expect(dateOfBirth({ day: "15", month: "6", year: "1985" }, now)).toBe("1985-06-15");
    expect(dateOfBirth({ day: "29", month: "02", year: "2000" }, now)).toBe("2000-02-29");
    expect(dateOfBirth({ day: "29", month: "02", year: "2001" }, now)).toBeNull();
    expect(dateOfBirth({ day: "01", month: "13", year: "1985" }, now)).toBeNull();
    expect(dateOfBirth({ day: "01", month: "01", year: "1850" }, now)).toBeNull();
    expect(dateOfBirth({ day: "01", month: "01", year: "2030" }, now)).toBeNull();
    expect(dateOfBirth({ day: "", month: "01", year: "1985" }, now)).toBeNull();
  });
});
