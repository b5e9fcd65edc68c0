// The facility form's phone region: a sample of a national number for the region typed, the code sent
// upper-cased (left out when empty, so the server's default holds), and the server's refusal shown on
// the field itself, which takes the focus.
import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { makeFragmentData } from "@carequeue/graphql";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { Observable } from "rxjs";
import { beforeAll, describe, expect, it, vi } from "vitest";

import { FacilityForm_FacilityFragmentDoc } from "../../../generated/graphql";
import { loadAdminStrings } from "../testing";
import { FacilityForm } from "./FacilityForm";

beforeAll(loadAdminStrings);

/** A server that records each mutation's variables and answers with error (a message and field) or the facility. */
function server(error?: { message: string; field: string }) {
  const calls: Record<string, unknown>[] = [];
  const link = new ApolloLink(
    (op) =>
      new Observable((observer) => {
        calls.push(op.variables);
        if (error) {
          observer.next({ data: null, errors: [{ message: error.message, path: [op.operationName ?? ""], extensions: { code: "BAD_USER_INPUT", field: error.field } }] });
        } else {
          const f = { __typename: "Facility", id: "FA1", name: "St Mary's", timezone: "Europe/Paris", language: "fr", locale: "fr-FR", phoneRegion: "FR", active: true };
          observer.next({ data: { updateFacility: f, createFacility: f } });
        }
        observer.complete();
      }),
  );
  return { calls, client: new ApolloClient({ link, cache: new InMemoryCache() }) };
}

const existing = makeFragmentData(
  { __typename: "Facility", id: "FA1", name: "St Mary's", timezone: "Europe/London", language: "en", locale: "en-GB", phoneRegion: "GB", active: true },
  FacilityForm_FacilityFragmentDoc,
);

/** facility null: a new facility. */
function renderForm(s: ReturnType<typeof server>, done = vi.fn(), facility: typeof existing | null = existing) {
  render(
    <ApolloProvider client={s.client}>
      <FacilityForm facility={facility ?? undefined} onDone={done} />
    </ApolloProvider>,
  );
  return screen.getByLabelText("Phone region") as HTMLInputElement;
}

const hintOf = (field: HTMLElement) => (field.getAttribute("aria-describedby") ?? "").split(" ").map((id) => document.getElementById(id)?.textContent);

describe("FacilityForm", () => {
  it.each([
    ["GB", "United Kingdom: a number typed without + and the country code, such as 07700 900123, is read as +44 7700 900123."],
    ["fr", "France: a number typed without + and the country code, such as 06 12 34 56 78, is read as +33 6 12 34 56 78."],
    ["US", "United States: a number typed without + and the country code, such as (201) 555-0123, is read as +1 201-555-0123."],
    ["DE", "Numbers typed without + and the country code are read as Germany numbers."],
  ])("ShowsASampleNationalNumberForTheRegion %s", (typed, hint) => {
    const region = renderForm(server());
    expect(region.value).toBe("GB");
    fireEvent.change(region, { target: { value: typed } });
    expect(region.value).toBe(typed.toUpperCase());
    expect(hintOf(region)).toContain(hint);
  });

  it("SendsTheRegionUpperCased", async () => {
    const s = server();
    const done = vi.fn();
    const region = renderForm(s, done);
    fireEvent.change(region, { target: { value: "fr" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(done).toHaveBeenCalled());
    expect(s.calls[0]).toMatchObject({ id: "FA1", input: { phoneRegion: "FR" } });
  });

  it("LeavesAnEmptyRegionToTheServersDefault", async () => {
    const s = server();
    const done = vi.fn();
    renderForm(s, done, null);
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Clinique du Parc" } });
    fireEvent.click(screen.getByRole("button", { name: "Create facility" }));
    await waitFor(() => expect(done).toHaveBeenCalled());
    expect((s.calls[0] as { input: Record<string, unknown> }).input).not.toHaveProperty("phoneRegion");
  });

  it("ShowsTheServersRefusalOnTheFieldAndFocusesIt", async () => {
    const message = "phone region must be a two-letter country code such as GB, FR or US";
    const s = server({ message, field: "input.phoneRegion" });
    const done = vi.fn();
    const region = renderForm(s, done);
    fireEvent.change(region, { target: { value: "ZZ" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(region.getAttribute("aria-invalid")).toBe("true"));
    expect(hintOf(region)).toContain(message);
    await waitFor(() => expect(document.activeElement).toBe(region)); // the focus follows the render that marks the field
    // Shown on the field, so not again above the buttons.
    expect(screen.queryByRole("alert")).toBeNull();
    expect(done).not.toHaveBeenCalled();
  });
});
