// Admin lists do not stop at their first page: the departments page (as every reference page) fetches
// the next page with the connection's `after` cursor and shows "Load more" until the server says there
// is no next page; the real cache policies (relayStylePagination) append the pages.
import { ApolloClient, ApolloLink } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { createCache } from "@carequeue/graphql";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { Observable } from "rxjs";
import { beforeAll, describe, expect, it } from "vitest";

import { loadAdminStrings } from "../testing";
import DepartmentsPage from "./DepartmentsPage";

beforeAll(loadAdminStrings);

const PAGE = 100;
const name = (i: number) => `Department ${String(i).padStart(3, "0")}`;

/** A fake /graphql holding `total` departments of one facility, served PAGE at a time after a cursor. */
function fakeServer(total: number, failAfter = false) {
  const calls: (string | null)[] = [];
  const all = Array.from({ length: total }, (_, i) => ({
    __typename: "Department",
    id: `DP${i + 1}`,
    name: name(i + 1),
    active: true,
    facilityID: "FC1",
    escalationPhone: null,
  }));
  const link = new ApolloLink(
    (op) =>
      new Observable((observer) => {
        const after = (op.variables.after as string | undefined) ?? null;
        calls.push(after);
        if (after && failAfter) {
          observer.next({ data: null, errors: [{ message: "internal error", extensions: { code: "INTERNAL" } }] });
          observer.complete();
          return;
        }
        const start = after ? Number(after.slice(1)) : 0;
        const page = all.slice(start, start + PAGE);
        const end = start + page.length;
        observer.next({
          data: {
            facilities: {
              __typename: "FacilityConnection",
              edges: [{ __typename: "FacilityEdge", node: { __typename: "Facility", id: "FC1", name: "St Mary's" } }],
            },
            departments: {
              __typename: "DepartmentConnection",
              edges: page.map((node, i) => ({ __typename: "DepartmentEdge", node, cursor: `c${start + i + 1}` })),
              pageInfo: { __typename: "PageInfo", hasNextPage: end < total, endCursor: page.length ? `c${end}` : null },
            },
          },
        });
        observer.complete();
      }),
  );
  render(
    <ApolloProvider client={new ApolloClient({ link, cache: createCache() })}>
      <DepartmentsPage />
    </ApolloProvider>,
  );
  return { calls };
}

const rowNames = () => within(screen.getByRole("table", { name: "Departments of St Mary's" })).getAllByRole("rowheader").map((h) => h.textContent);

describe("admin lists load more", () => {
  it("LoadsTheSecondPageAfterTheFirstsCursor", async () => {
    const server = fakeServer(150);
    await screen.findByRole("rowheader", { name: name(1) });
    expect(rowNames()).toHaveLength(100);
    expect(screen.queryByRole("rowheader", { name: name(150) })).toBeNull();

    fireEvent.click(screen.getByRole("button", { name: "Load more" }));
    await screen.findByRole("rowheader", { name: name(150) });
    expect(rowNames()).toEqual(Array.from({ length: 150 }, (_, i) => name(i + 1))); // appended, in order, once each
    expect(server.calls).toEqual([null, "c100"]);
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull(); // no next page
  });

  it("ShowsNoButtonWhenOnePageHoldsEverything", async () => {
    fakeServer(100);
    await screen.findByRole("rowheader", { name: name(100) });
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
  });

  it("SaysSoWhenTheNextPageFailsAndKeepsTheFirst", async () => {
    fakeServer(150, true);
    await screen.findByRole("rowheader", { name: name(1) });
    fireEvent.click(screen.getByRole("button", { name: "Load more" }));
    await screen.findByRole("alert");
    expect(screen.getByRole("alert").textContent).toBe("Could not load more. Try again.");
    await waitFor(() => expect((screen.getByRole("button", { name: "Load more" }) as HTMLButtonElement).disabled).toBe(false));
    expect(rowNames()).toHaveLength(100);
  });
});
