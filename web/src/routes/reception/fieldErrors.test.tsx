// Reception's forms show the server's message about a field next to that field and move the focus
// there; only what no field shows goes to the error notice.
import { ApolloProvider } from "@apollo/client/react";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { FormatProvider } from "../../i18n/useFormat";
import { describedTexts, refusingServer } from "../../test/refusing";
import { CheckInForm } from "./CheckInForm";
import { RegisterPatientForm } from "./RegisterPatientForm";

function register(s: ReturnType<typeof refusingServer>) {
  render(
    <ApolloProvider client={s.client}>
      <FormatProvider locale="en-GB" timeZone="Europe/London">
        <RegisterPatientForm facilityID="FA1" onRegistered={vi.fn()} onCancel={vi.fn()} />
      </FormatProvider>
    </ApolloProvider>,
  );
  fireEvent.change(screen.getByLabelText("Given name"), { target: { value: "Grace" } });
  fireEvent.change(screen.getByLabelText("Family name"), { target: { value: "Adeyemi" } });
  fireEvent.change(screen.getByLabelText("Date of birth"), { target: { value: "03/04/1990" } });
  fireEvent.change(screen.getByLabelText(/Mobile phone/), { target: { value: "020 7946 0018" } });
  fireEvent.click(screen.getByRole("button", { name: "Register" }));
}

describe("reception forms: the server's message on the field", () => {
  it.each([
    ["input.phone", /Mobile phone/, "phone is not a mobile number: text messages need a mobile number"],
    ["input.dateOfBirth", "Date of birth", "date of birth is in the future"],
    ["input.givenName", "Given name", "given name must be 1 to 100 characters"],
    ["familyName", "Family name", "family name contains characters that cannot be shown"],
  ])("RegisterPatientForm %s", async (field, label, message) => {
    const s = refusingServer(field, message);
    register(s);
    const control = screen.getByLabelText(label);
    await waitFor(() => expect(control.getAttribute("aria-invalid")).toBe("true"));
    expect(describedTexts(control)).toContain(message);
    await waitFor(() => expect(document.activeElement).toBe(control)); // the focus follows the render that marks the field
    expect(screen.queryByRole("alert")).toBeNull(); // said once, on the field
    expect(s.requests).toHaveLength(1);
  });

  it("RegisterPatientForm: a message about no field of the form goes to the notice", async () => {
    register(refusingServer("input.facilityID", "the facility is not yours"));
    expect((await screen.findByRole("alert")).textContent).toContain("the facility is not yours");
    for (const label of ["Given name", "Family name", "Date of birth"]) expect(screen.getByLabelText(label).getAttribute("aria-invalid")).not.toBe("true");
  });

  it.each([
    ["input.note", "Note (optional)", "note must be at most 2000 characters"],
    ["input.queueID", "Queue", "the queue is closed"],
  ])("CheckInForm %s", async (field, label, message) => {
    const s = refusingServer(field, message);
    render(
      <ApolloProvider client={s.client}>
        <CheckInForm patient={{ id: "PA1", name: "Grace Adeyemi", detail: "" }} queues={[{ id: "QU1", name: "General Clinic" }]} onCheckedIn={vi.fn()} />
      </ApolloProvider>,
    );
    fireEvent.change(screen.getByLabelText("Note (optional)"), { target: { value: "x" } });
    fireEvent.click(screen.getByRole("button", { name: "Check in" }));
    const control = screen.getByLabelText(label);
    await waitFor(() => expect(control.getAttribute("aria-invalid")).toBe("true"));
    expect(describedTexts(control)).toContain(message);
    await waitFor(() => expect(document.activeElement).toBe(control)); // the focus follows the render that marks the field
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
