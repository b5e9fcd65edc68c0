// The error notice says a conflict in the server's terms when the server explains it, and keeps the
// generic line for the ones it does not; input problems keep the server's detail under the message.
import { CombinedGraphQLErrors } from "@apollo/client/errors";
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { ErrorNotice } from "./ErrorNotice";

const graphQLError = (code: string, message: string, field?: string) =>
  new CombinedGraphQLErrors({ errors: [{ message, extensions: { code, ...(field ? { field } : {}) } }] });

describe("ErrorNotice", () => {
  it("SaysAnExplainedConflictInThePersonsTerms", () => {
    render(<ErrorNotice error={graphQLError("CONFLICT", "the patient is already waiting in Triage as E-001", "input.queueID")} />);
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toBe("The patient is already waiting in Triage as E-001.");
    expect(alert.textContent).not.toContain("Someone else changed this");
  });

  it("KeepsTheGenericLineForAnUnexplainedConflict", () => {
    render(<ErrorNotice error={graphQLError("CONFLICT", "")} />);
    expect(screen.getByRole("alert").textContent).toContain("Someone else changed this first.");
  });

  it("ShowsTheServersDetailForBadInput", () => {
    render(<ErrorNotice error={graphQLError("BAD_USER_INPUT", "the date of birth is in the future: check the year", "input.patient.dateOfBirth")} />);
    expect(screen.getByRole("alert").textContent).toContain("the date of birth is in the future: check the year");
  });
});
