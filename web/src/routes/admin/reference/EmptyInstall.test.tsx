// A new admin on an empty install (no facility, no department): each set-up page says why it is empty
// and links to the page of the step that comes first, so the set-up order (facility → departments →
// queues and service points) can be followed from any page.
import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { fireEvent, render, screen } from "@testing-library/react";
import type { ReactNode } from "react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { Observable } from "rxjs";
import { beforeAll, describe, expect, it } from "vitest";

import { loadAdminStrings } from "../testing";
import DepartmentsPage from "./DepartmentsPage";
import QueuesPage from "./QueuesPage";
import ServicePointsPage from "./ServicePointsPage";

beforeAll(loadAdminStrings);

/** A server of an empty install: every list of every page query is empty. */
const emptyServer = new ApolloLink(
  (op) =>
    new Observable((observer) => {
      const empty = (typename: string) => ({ __typename: `${typename}Connection`, totalCount: 0, edges: [] });
      const data: Record<string, Record<string, unknown>> = {
        AdminDepartmentsPage: { facilities: empty("Facility"), departments: empty("Department") },
        AdminQueuesPage: { departments: empty("Department"), queues: empty("Queue") },
        AdminServicePointsPage: { departments: empty("Department"), servicePoints: empty("ServicePoint"), queues: empty("Queue") },
      };
      const answer = data[op.operationName ?? ""];
      if (answer) observer.next({ data: answer });
      else observer.next({ data: null, errors: [{ message: `unexpected ${op.operationName}`, extensions: { code: "INTERNAL" } }] });
      observer.complete();
    }),
);

/** Renders page at /admin/<path> beside stand-ins for the pages its next step links to. */
function renderAt(path: string, page: ReactNode) {
  const router = createMemoryRouter(
    [
      { path: `/admin/${path}`, element: page },
      { path: "/admin/facilities", element: <h1>Facilities page</h1> },
      { path: "/admin/departments", element: <h1>Departments page</h1> },
    ],
    { initialEntries: [`/admin/${path}`] },
  );
  render(
    <ApolloProvider client={new ApolloClient({ link: emptyServer, cache: new InMemoryCache() })}>
      <RouterProvider router={router} />
    </ApolloProvider>,
  );
}

describe("empty install", () => {
  it("DepartmentsSendToFacilitiesFirst", async () => {
    renderAt("departments", <DepartmentsPage />);
    expect((await screen.findByRole("note")).textContent).toContain("create the facility first");
    fireEvent.click(screen.getByRole("link", { name: "Go to Facilities" }));
    expect(await screen.findByRole("heading", { name: "Facilities page" })).toBeTruthy();
  });

  it.each([
    ["queues", <QueuesPage key="q" />],
    ["service-points", <ServicePointsPage key="sp" />],
  ])("%sSendToDepartmentsFirst", async (path, page) => {
    renderAt(path, page);
    expect((await screen.findByRole("note")).textContent).toContain("create a department first");
    // Nothing to create into yet: no "New …" button for a department that does not exist.
    expect(screen.queryByRole("button", { name: /^New/ })).toBeNull();
    fireEvent.click(screen.getByRole("link", { name: "Go to Departments" }));
    expect(await screen.findByRole("heading", { name: "Departments page" })).toBeTruthy();
  });
});
