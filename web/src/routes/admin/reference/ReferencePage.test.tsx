// The list/edit pattern the reference-data pages share (ReferencePage, ReferenceTable,
// useReferenceEditor, EditForm), driven through the departments page against a fake server: the list
// per parent, the edit dialog, the server's error at its field (focused, described), saving, and
// cancelling.
import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { Observable } from "rxjs";
import { beforeAll, describe, expect, it } from "vitest";

import { loadAdminStrings } from "../testing";
import DepartmentsPage from "./DepartmentsPage";

beforeAll(loadAdminStrings);

const department = (id: string, name: string, active = true) => ({ __typename: "Department", id, name, active, facilityID: "FC1" });

/** A fake /graphql: the page query, and create/update answered by `save` (data or one field error). */
function fakeServer(save: (input: Record<string, unknown>) => { data: unknown } | { error: string; field: string }) {
  const calls: { operation: string; variables: Record<string, unknown> }[] = [];
  const departments = [department("DP1", "Emergency"), department("DP2", "Radiology", false)];
  const link = new ApolloLink(
    (op) =>
      new Observable((observer) => {
        calls.push({ operation: op.operationName ?? "", variables: op.variables });
        if (op.operationName === "AdminDepartmentsPage") {
          const edges = departments.map((node) => ({ __typename: "DepartmentEdge", node }));
          const facility = { __typename: "Facility", id: "FC1", name: "St Mary's" };
          observer.next({
            data: {
              facilities: { __typename: "FacilityConnection", edges: [{ __typename: "FacilityEdge", node: facility }] },
              departments: { __typename: "DepartmentConnection", edges },
            },
          });
        } else {
          const answer = save(op.variables.input as Record<string, unknown>);
          const field = op.operationName === "AdminCreateDepartment" ? "createDepartment" : "updateDepartment";
          if ("error" in answer) {
            observer.next({ data: null, errors: [{ message: answer.error, path: [field], extensions: { code: "BAD_USER_INPUT", field: answer.field } }] });
          } else {
            if (field === "createDepartment") departments.push(answer.data as ReturnType<typeof department>);
            observer.next({ data: { [field]: answer.data } });
          }
        }
        observer.complete();
      }),
  );
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  render(
    <ApolloProvider client={client}>
      <DepartmentsPage />
    </ApolloProvider>,
  );
  return { calls, saves: () => calls.filter((c) => c.operation !== "AdminDepartmentsPage") };
}

describe("reference pages", () => {
  it("ListsEachParentsRecordsWithNamedButtons", async () => {
    fakeServer(() => ({ error: "unused", field: "input" }));
    const section = await screen.findByRole("region", { name: "St Mary's" });
    const table = within(section).getByRole("table", { name: "Departments of St Mary's" });
    expect(within(table).getAllByRole("rowheader").map((h) => h.textContent)).toEqual(["Emergency", "Radiology"]);
    expect(within(table).getByRole("row", { name: /Radiology/ }).textContent).toContain("Inactive");
    expect(within(table).getByRole("button", { name: "Edit Emergency" })).toBeTruthy();
    expect(within(section).getByRole("button", { name: "New department in St Mary's" })).toBeTruthy();
  });

  it("ShowsTheServersErrorAtItsFieldFocusedAndDescribed", async () => {
    const server = fakeServer(() => ({ error: "a department with this name already exists", field: "input.name" }));
    fireEvent.click(await screen.findByRole("button", { name: "Edit Emergency" }));
    const dialog = screen.getByRole("dialog", { name: "Edit department" });
    const name = within(dialog).getByLabelText("Name") as HTMLInputElement;
    expect(name.value).toBe("Emergency");
    fireEvent.change(name, { target: { value: "Radiology" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Save" }));

    await waitFor(() => expect(name.getAttribute("aria-invalid")).toBe("true"));
    const described = (name.getAttribute("aria-describedby") ?? "").split(" ").map((id) => document.getElementById(id)?.textContent);
    expect(described).toContain("a department with this name already exists");
    await waitFor(() => expect(document.activeElement).toBe(name));
    expect(within(dialog).queryByRole("alert")).toBeNull(); // at the field, not twice
    expect(server.saves()).toEqual([{ operation: "AdminUpdateDepartment", variables: { id: "DP1", input: { name: "Radiology", active: true, clearEscalationPhone: true } } }]);
    expect(screen.getByRole("dialog", { name: "Edit department" })).toBeTruthy(); // still open
  });

  it("CreatesClosesTheDialogAndListsTheNewRecord", async () => {
    const server = fakeServer((input) => ({ data: department("DP3", String(input.name), Boolean(input.active)) }));
    fireEvent.click(await screen.findByRole("button", { name: "New department in St Mary's" }));
    const dialog = screen.getByRole("dialog", { name: "New department" });
    const create = within(dialog).getByRole("button", { name: "Create department" }) as HTMLButtonElement;
    expect(create.disabled).toBe(true); // nothing named yet
    fireEvent.change(within(dialog).getByLabelText("Name"), { target: { value: "  Minor injuries " } });
    fireEvent.click(within(dialog).getByLabelText("In use"));
    fireEvent.click(create);

    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(server.saves()).toEqual([
      { operation: "AdminCreateDepartment", variables: { input: { name: "Minor injuries", active: false, facilityID: "FC1", escalationPhone: null } } },
    ]);
    const table = screen.getByRole("table", { name: "Departments of St Mary's" });
    await within(table).findByRole("rowheader", { name: "Minor injuries" }); // the list was fetched again
  });

  it("CancelClosesWithoutSaving", async () => {
    const server = fakeServer(() => ({ error: "unused", field: "input" }));
    fireEvent.click(await screen.findByRole("button", { name: "Edit Radiology" }));
    const dialog = screen.getByRole("dialog", { name: "Edit department" });
    expect((within(dialog).getByLabelText("In use") as HTMLInputElement).checked).toBe(false);
    fireEvent.change(within(dialog).getByLabelText("Name"), { target: { value: "X-ray" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));

    expect(screen.queryByRole("dialog")).toBeNull();
    expect(server.saves()).toEqual([]);
    expect(screen.getByRole("rowheader", { name: "Radiology" })).toBeTruthy();
  });
});
