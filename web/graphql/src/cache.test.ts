// The cache's paging of connection fields (createCache): pages fetched with `after` append to the list
// of the same page size, ordering and filter; another page size is another list.
import { parse } from "graphql";
import { describe, expect, it } from "vitest";

import { createCache } from "./client";

const Facilities = parse(`query Facilities($first: Int, $after: Cursor) {
  facilities(first: $first, after: $after, orderBy: { field: NAME }) {
    edges { cursor node { id name } }
    pageInfo { hasNextPage endCursor }
  }
}`);

const page = (ids: string[], hasNextPage: boolean) => ({
  facilities: {
    __typename: "FacilityConnection",
    edges: ids.map((id) => ({ __typename: "FacilityEdge", cursor: `c-${id}`, node: { __typename: "Facility", id, name: `Facility ${id}` } })),
    pageInfo: { __typename: "PageInfo", hasNextPage, endCursor: `c-${ids[ids.length - 1]}` },
  },
});

type Read = { facilities: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean } } } | null;
const ids = (r: Read) => r?.facilities.edges.map((e) => e.node.id);

describe("createCache paging", () => {
  it("AppendsAPageFetchedAfterTheLastCursor", () => {
    const cache = createCache();
    cache.writeQuery({ query: Facilities, variables: { first: 2 }, data: page(["FC1", "FC2"], true) });
    cache.writeQuery({ query: Facilities, variables: { first: 2, after: "c-FC2" }, data: page(["FC3"], false) });
    const read = cache.readQuery<Read>({ query: Facilities, variables: { first: 2 } });
    expect(ids(read)).toEqual(["FC1", "FC2", "FC3"]);
    expect(read?.facilities.pageInfo.hasNextPage).toBe(false);
  });

  it("StartsAgainOnARefetchWithoutAfter", () => {
    const cache = createCache();
    cache.writeQuery({ query: Facilities, variables: { first: 2 }, data: page(["FC1", "FC2"], true) });
    cache.writeQuery({ query: Facilities, variables: { first: 2, after: "c-FC2" }, data: page(["FC3"], false) });
    cache.writeQuery({ query: Facilities, variables: { first: 2 }, data: page(["FC0", "FC1"], true) });
    expect(ids(cache.readQuery<Read>({ query: Facilities, variables: { first: 2 } }))).toEqual(["FC0", "FC1"]);
  });

  it("KeepsAnotherPageSizeApart", () => {
    const cache = createCache();
    cache.writeQuery({ query: Facilities, variables: { first: 1 }, data: page(["FC1"], true) });
    // A list of a hundred is not answered by the one a screen asked for.
    expect(cache.readQuery<Read>({ query: Facilities, variables: { first: 100 } })).toBeNull();
  });
});
