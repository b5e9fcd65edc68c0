// The department form sends the nurse in charge's phone as typed (the server normalises it and names
// the field when it cannot), clears it when emptied, and shows the server's message under the field.
import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { makeFragmentData } from "@carequeue/graphql";
import { Observable } from "rxjs";
import { beforeAll, describe, expect, it, vi } from "vitest";

import { DepartmentForm_DepartmentFragmentDoc } from "../../../generated/graphql";
import { loadAdminStrings } from "../testing";
import { DepartmentForm } from "./DepartmentForm";

beforeAll(loadAdminStrings);

/** A server that records each mutation's variables and refuses the escalation phone with error (or accepts). */
function server(error?: string) {
  const calls: Record<string, unknown>[] = [];
  const link = new ApolloLink(
    (op) =>
      new Observable((observer) => {
        calls.push(op.variables);
        if (error) {
          observer.next({ data: null, errors: [{ message: error, path: [op.operationName ?? ""], extensions: { code: "BAD_USER_INPUT", field: "input.escalationPhone" } }] });
        } else {
          const d = { __typename: "Department", id: "DP1", name: "Emergency", active: true, escalationPhone: null };
          observer.next({ data: { updateDepartment: d, createDepartment: d } });
        }
        observer.complete();
      }),
  );
  return { calls, client: new ApolloClient({ link, cache: new InMemoryCache() }) };
}

const existing = makeFragmentData({ __typename: "Department", id: "DP1", name: "Emergency", active: true, escalationPhone: "+442079460018" }, DepartmentForm_DepartmentFragmentDoc);

describe("DepartmentForm", () => {
  it("SendsThePhoneAsTypedAndShowsTheServersErrorUnderIt", async () => {
    const s = server("escalation phone must be in international format with country code, e.g. +447700900123");
    const done = vi.fn();
    render(
      <ApolloProvider client={s.client}>
        <DepartmentForm facilityID="FA1" onDone={done} />
      </ApolloProvider>,
    );
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Majors" } });
    fireEvent.change(screen.getByLabelText("Nurse in charge's phone"), { target: { value: " 020 7946 0018 " } });
    fireEvent.click(screen.getByRole("button", { name: "Create department" }));

    const phone = screen.getByLabelText("Nurse in charge's phone");
    await waitFor(() => expect(phone.getAttribute("aria-invalid")).toBe("true"));
    const described = (phone.getAttribute("aria-describedby") ?? "").split(" ").map((id) => document.getElementById(id)?.textContent);
    expect(described).toContain("escalation phone must be in international format with country code, e.g. +447700900123");
    expect(done).not.toHaveBeenCalled();
    expect(s.calls[0]).toEqual({ input: { name: "Majors", active: true, facilityID: "FA1", escalationPhone: "020 7946 0018" } });
  });

  it("EmptyingThePhoneClearsIt", async () => {
    const s = server();
    const done = vi.fn();
    render(
      <ApolloProvider client={s.client}>
        <DepartmentForm facilityID="FA1" department={existing} onDone={done} />
      </ApolloProvider>,
    );
    const phone = screen.getByLabelText("Nurse in charge's phone") as HTMLInputElement;
    expect(phone.value).toBe("+442079460018");
    fireEvent.change(phone, { target: { value: "   " } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(done).toHaveBeenCalled());
    expect(s.calls[0]).toEqual({ id: "DP1", input: { name: "Emergency", active: true, clearEscalationPhone: true } });
  });
});
