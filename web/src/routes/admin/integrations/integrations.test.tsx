// The API clients and webhooks pages against a fake /graphql: a secret is shown once (gone when its
// dialog is closed), the server's errors sit at their fields, and revoking, rotating and replaying
// happen only after a confirmation.
import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter, Route, Routes } from "react-router";
import { Observable } from "rxjs";
import { beforeAll, describe, expect, it, vi } from "vitest";

import { loadAdminStrings } from "../testing";
import ApiClientsPage from "./ApiClientsPage";
import WebhookDeliveriesPage from "./WebhookDeliveriesPage";
import WebhooksPage from "./WebhooksPage";

vi.mock("@carequeue/graphql", async (original) => ({
  ...(await original<typeof import("@carequeue/graphql")>()),
  // A facility admin (not global): the form names no facility.
  useSession: () => ({ session: { user: { facilityID: "FC1" } }, ready: true }),
}));

beforeAll(loadAdminStrings);

const SECRET = "cqs_s3cr3t-shown-once";
const facilities = { __typename: "FacilityConnection", edges: [{ __typename: "FacilityEdge", node: { __typename: "Facility", id: "FC1", name: "St Mary's" } }] };
const page = { __typename: "PageInfo", hasNextPage: false, endCursor: null };
const client = {
  __typename: "APIClient",
  id: "AC1",
  name: "Epic EHR",
  facilityID: "FC1",
  scopes: ["queues:read"],
  secretPrefix: "cqs_ab",
  createdAt: "2026-12-01T10:00:00Z",
  lastUsedAt: null,
  revokedAt: null,
};
const endpoint = {
  __typename: "WebhookEndpoint",
  id: "WH1",
  url: "https://ehr.example.org/hooks",
  description: null,
  events: ["TICKET_CALLED"],
  dataScope: "CODES",
  enabled: true,
  facilityID: "FC1",
  facility: facilities.edges[0]!.node,
  lastDelivery: null,
};

type Answer = { data: Record<string, unknown> } | { error: string; field?: string; code?: string };

/** A fake /graphql answering the page queries itself and each mutation with answers[operationName]. */
function serve(ui: ReactNode, answers: Record<string, Answer>, path = "/") {
  const calls: { operation: string; variables: Record<string, unknown> }[] = [];
  const link = new ApolloLink(
    (op) =>
      new Observable((observer) => {
        const name = op.operationName ?? "";
        calls.push({ operation: name, variables: op.variables });
        const pages: Record<string, Record<string, unknown>> = {
          AdminApiClientsPage: { facilities, apiClients: { __typename: "APIClientConnection", totalCount: 1, pageInfo: page, edges: [{ __typename: "APIClientEdge", node: client }] } },
          AdminWebhooksPage: { facilities, webhookEndpoints: { __typename: "WebhookEndpointConnection", totalCount: 1, pageInfo: page, edges: [{ __typename: "WebhookEndpointEdge", node: endpoint }] } },
          AdminWebhookDeliveriesPage: {
            node: endpoint,
            webhookDeliveries: {
              __typename: "WebhookDeliveryConnection",
              totalCount: 1,
              pageInfo: page,
              edges: [
                {
                  __typename: "WebhookDeliveryEdge",
                  node: { __typename: "WebhookDelivery", id: "WD1", createdAt: "2026-12-01T10:00:00Z", event: "TICKET_CALLED", attempt: 1, status: "FAILED", httpStatus: 410, durationMs: 42, errorClass: "http_4xx", responseSnippet: "gone", replay: false },
                },
              ],
            },
          },
        };
        const a: Answer = pages[name] ? { data: pages[name] } : (answers[name] ?? { error: `unexpected ${name}` });
        if ("error" in a) {
          observer.next({ data: null, errors: [{ message: a.error, path: ["x"], extensions: { code: a.code ?? "BAD_USER_INPUT", ...(a.field ? { field: a.field } : {}) } }] });
        } else {
          observer.next({ data: a.data });
        }
        observer.complete();
      }),
  );
  render(
    <ApolloProvider client={new ApolloClient({ link, cache: new InMemoryCache() })}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/" element={ui} />
          <Route path="/admin/webhooks/:id" element={ui} />
        </Routes>
      </MemoryRouter>
    </ApolloProvider>,
  );
  return { mutations: (name: string) => calls.filter((c) => c.operation === name) };
}

describe("API clients page", () => {
  it("ShowsTheSecretOnceAfterCreating", async () => {
    const s = serve(<ApiClientsPage />, { AdminCreateApiClient: { data: { createAPIClient: { __typename: "APIClientSecret", clientSecret: SECRET, client: { ...client, id: "AC2", name: "Lab system" } } } } });
    await screen.findByRole("rowheader", { name: /Epic EHR/ });
    fireEvent.click(screen.getByRole("button", { name: "New API client" }));
    const form = screen.getByRole("dialog", { name: "New API client" });
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: " Lab system " } });
    fireEvent.click(within(form).getByLabelText("tickets:checkin"));
    fireEvent.click(within(form).getByRole("button", { name: "Create client" }));

    const shown = await screen.findByRole("dialog", { name: "Secret of Lab system" });
    expect(within(shown).getByText(/you will not see it again/)).toBeTruthy();
    expect((within(shown).getByLabelText("Client secret") as HTMLInputElement).value).toBe(SECRET);
    expect(within(shown).getByText("Client ID: AC2")).toBeTruthy();
    expect(s.mutations("AdminCreateApiClient")[0]!.variables).toEqual({ input: { name: "Lab system", scopes: ["tickets:checkin"] } });

    fireEvent.click(within(shown).getByRole("button", { name: "I have copied it" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(document.body.innerHTML).not.toContain(SECRET);
  });

  it("ShowsTheServersErrorsAtTheirFields", async () => {
    serve(<ApiClientsPage />, { AdminCreateApiClient: { error: "choose at least one scope", field: "input.scopes" } });
    await screen.findByRole("rowheader", { name: /Epic EHR/ });
    fireEvent.click(screen.getByRole("button", { name: "New API client" }));
    const form = screen.getByRole("dialog", { name: "New API client" });
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "Lab" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create client" }));
    const group = within(form).getByRole("group", { name: "Permissions" });
    await waitFor(() => expect(group.getAttribute("aria-invalid")).toBe("true"));
    const described = (group.getAttribute("aria-describedby") ?? "").split(" ").map((id) => document.getElementById(id)?.textContent);
    expect(described).toContain("choose at least one scope");
    expect(screen.queryByRole("dialog", { name: /^Secret/ })).toBeNull();
  });

  it("RevokesOnlyAfterConfirming", async () => {
    const s = serve(<ApiClientsPage />, { AdminRevokeApiClient: { data: { revokeAPIClient: { ...client, revokedAt: "2026-12-04T10:00:00Z" } } } });
    fireEvent.click(await screen.findByRole("button", { name: "Revoke Epic EHR" }));
    let confirm = screen.getByRole("dialog", { name: "Revoke Epic EHR?" });
    expect(within(confirm).getByText(/cannot be undone/)).toBeTruthy();
    fireEvent.click(within(confirm).getByRole("button", { name: "Cancel" }));
    expect(s.mutations("AdminRevokeApiClient")).toHaveLength(0);

    fireEvent.click(screen.getByRole("button", { name: "Revoke Epic EHR" }));
    confirm = screen.getByRole("dialog", { name: "Revoke Epic EHR?" });
    fireEvent.click(within(confirm).getByRole("button", { name: "Revoke" }));
    await screen.findByText("Epic EHR is revoked.");
    expect(s.mutations("AdminRevokeApiClient")[0]!.variables).toEqual({ id: "AC1" });
  });

  it("RotatesAfterConfirmingAndShowsTheNewSecretOnce", async () => {
    const s = serve(<ApiClientsPage />, { AdminRotateApiClientSecret: { data: { rotateAPIClientSecret: { __typename: "APIClientSecret", clientSecret: SECRET, client } } } });
    fireEvent.click(await screen.findByRole("button", { name: "Rotate the secret of Epic EHR" }));
    expect(s.mutations("AdminRotateApiClientSecret")).toHaveLength(0);
    fireEvent.click(within(screen.getByRole("dialog", { name: "Rotate the secret of Epic EHR?" })).getByRole("button", { name: "Rotate secret" }));
    const shown = await screen.findByRole("dialog", { name: "Secret of Epic EHR" });
    expect((within(shown).getByLabelText("Client secret") as HTMLInputElement).value).toBe(SECRET);
  });
});

describe("webhooks pages", () => {
  it("ShowsTheServersURLErrorAtTheField", async () => {
    const s = serve(<WebhooksPage />, { AdminCreateWebhookEndpoint: { error: "the URL must use https", field: "input.url" } });
    await screen.findByRole("rowheader", { name: /ehr\.example\.org/ });
    fireEvent.click(screen.getByRole("button", { name: "New endpoint" }));
    const form = screen.getByRole("dialog", { name: "New endpoint" });
    fireEvent.change(within(form).getByLabelText("URL"), { target: { value: "http://ehr.example.org/h" } });
    fireEvent.click(within(form).getByLabelText("Called"));
    fireEvent.click(within(form).getByLabelText("With MRN"));
    fireEvent.click(within(form).getByRole("button", { name: "Create endpoint" }));
    const url = within(form).getByLabelText("URL");
    await waitFor(() => expect(url.getAttribute("aria-invalid")).toBe("true"));
    expect(within(form).getByText("the URL must use https")).toBeTruthy();
    expect(s.mutations("AdminCreateWebhookEndpoint")[0]!.variables).toEqual({
      input: { url: "http://ehr.example.org/h", description: "", events: ["TICKET_CALLED"], dataScope: "MRN", facilityID: "FC1" },
    });
  });

  it("DeletesOnlyAfterConfirming", async () => {
    const s = serve(<WebhooksPage />, { AdminDeleteWebhookEndpoint: { data: { deleteWebhookEndpoint: true } } });
    fireEvent.click(await screen.findByRole("button", { name: "Delete https://ehr.example.org/hooks" }));
    const confirm = screen.getByRole("dialog", { name: "Delete this endpoint?" });
    expect(s.mutations("AdminDeleteWebhookEndpoint")).toHaveLength(0);
    fireEvent.click(within(confirm).getByRole("button", { name: "Delete" }));
    await screen.findByText("https://ehr.example.org/hooks is deleted.");
    expect(s.mutations("AdminDeleteWebhookEndpoint")[0]!.variables).toEqual({ id: "WH1" });
  });

  it("ReplaysAfterConfirmingWithFeedback", async () => {
    const s = serve(<WebhookDeliveriesPage />, { AdminReplayWebhookDelivery: { data: { replayWebhookDelivery: true } } }, "/admin/webhooks/WH1");
    const row = await screen.findByRole("row", { name: /Called/ });
    expect(within(row).getByText("410")).toBeTruthy();
    expect(within(row).getByText("http_4xx")).toBeTruthy();
    fireEvent.click(within(row).getByRole("button", { name: /^Replay Called/ }));
    expect(s.mutations("AdminReplayWebhookDelivery")).toHaveLength(0);
    fireEvent.click(within(screen.getByRole("dialog", { name: "Send this event again?" })).getByRole("button", { name: "Replay" }));
    await screen.findByText(/is sent again/);
    expect(s.mutations("AdminReplayWebhookDelivery")[0]!.variables).toEqual({ id: "WD1" });
  });
});
